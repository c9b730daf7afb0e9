/**
 * The token manager (oauth/token-manager.ts) wired to accounts: refresh tokens come from and go
 * to the token store, refreshes and revocations go through the grants module, a refused grant
 * marks the account as needing sign-in. It also remembers the providers of accounts removed in
 * this run, so that a refresh answering after its account was removed is given back (revoked)
 * instead of saved: removal never waits for a refresh, and a refresh is never abandoned.
 */
import type { Grants, Revocation } from '../oauth/grants';
import type { ProviderDefinition } from '../oauth/provider-definition';
import type { SignInTokens } from '../oauth/sign-in';
import { createTokenManager } from '../oauth/token-manager';
import { AppError } from '../shared/errors';
import type { Logger, Redactor } from '../shared/logger';
import type { Clock } from '../shared/ports';
import type { AccountList } from './account-list';
import type { AccountRecord, AccountStore } from './account-store';
import type { ProviderRegistry } from './provider-registry';
import type { AccessTokenSource } from './sending-account';
import type { TokenStore } from './token-store';

export type AccountTokensDeps = {
  records: AccountStore;
  tokenStore: TokenStore;
  grants: Grants;
  providers: Pick<ProviderRegistry, 'get' | 'find'>;
  accountList: Pick<AccountList, 'setRefreshing' | 'markNeedsSignIn'>;
  clock: Clock;
  logger: Logger;
  redactor: Redactor;
  /** Milliseconds between keep-alive refreshes; 0 turns them off. */
  keepAliveMs: number;
  /** How long a send waits for a running refresh before it is retried later (default 30 s). */
  tokenWaitMs?: number | undefined;
  /** How long removal and quitting wait for a running refresh to save its answer (default 10 s). */
  refreshSettleMs?: number | undefined;
};

/** What removal took from an account, to revoke its grant afterwards. */
export type ReleasedGrant = { provider: ProviderDefinition | undefined; refreshToken: string | undefined };

/** Builds the token manager for accounts and the grant bookkeeping of removal; see the file comment. */
export function createAccountTokens(deps: AccountTokensDeps) {
  const log = deps.logger.child('accounts');
  // Providers of accounts removed in this run, so a refresh answer arriving later can be revoked.
  const removedProviders = new Map<string, ProviderDefinition>();

  const manager = createTokenManager({
    clock: deps.clock,
    logger: deps.logger,
    redactor: deps.redactor,
    keepAliveMs: deps.keepAliveMs,
    callerWaitMs: deps.tokenWaitMs,
    disposeWaitMs: deps.refreshSettleMs,
    loadRefreshToken: (accountId) => deps.tokenStore.refreshToken(accountId),
    saveRefreshToken: (accountId, refreshToken) => deps.tokenStore.replaceRefreshToken(accountId, refreshToken),
    async onOrphanedAnswer(accountId, result) {
      // A removed account's grant is given back; one signed in afresh keeps its new grant
      // (revoking the old one at Google would end the new one too), so its answer just goes.
      const provider = removedProviders.get(accountId);
      if (!provider || !result.refreshToken) return;
      const outcome = await deps.grants.revoke(provider, result.refreshToken);
      log.info('late refresh answer of a removed account given back', { accountId, revocation: outcome });
    },
    async refresh(accountId, refreshToken) {
      const record = deps.records.get(accountId);
      if (!record) throw new AppError('accounts.unknown', 'That account no longer exists.');
      return deps.grants.refresh(deps.providers.get(record.providerId), refreshToken);
    },
    async onNeedsSignIn(accountId, reason) {
      deps.accountList.markNeedsSignIn(accountId, reason.code);
    },
    onRefreshing: (accountId, active) => deps.accountList.setRefreshing(accountId, active),
  });

  return {
    /** What the sending side asks for access tokens. */
    source: {
      getAccessToken: (accountId) => manager.getAccessToken(accountId),
      invalidate: (accountId) => manager.invalidate(accountId),
    } satisfies AccessTokenSource,
    /** Forgets the cached access token, so the next call refreshes. */
    invalidate: (accountId: string) => manager.invalidate(accountId),
    /** Keeps a fresh sign-in's grant: stored (where the policy allows), its access token cached. */
    async keep(accountId: string, tokens: SignInTokens): Promise<void> {
      // Signed in afresh: a refresh of an older grant answering now is not this account's to revoke.
      removedProviders.delete(accountId);
      // First, so a refresh of the old grant still running cannot save over the new token.
      manager.forget(accountId);
      await deps.tokenStore.save(accountId, { refreshToken: tokens.refreshToken, scope: tokens.scope });
      manager.seed(accountId, tokens.accessToken, tokens.expiresAt);
      manager.keepAlive(accountId);
    },
    /**
     * Lets go of an account's grant locally at once: marked removed (so a refresh still running
     * gives its answer back instead of saving it), forgotten, deleted from the store. Returns
     * what is needed to revoke the stored grant afterwards, without waiting for any refresh.
     */
    async release(record: AccountRecord): Promise<ReleasedGrant> {
      const provider = deps.providers.find(record.providerId);
      if (provider) removedProviders.set(record.id, provider);
      manager.forget(record.id);
      const refreshToken = await deps.tokenStore.take(record.id);
      return { provider, refreshToken };
    },
    /** Revokes a released grant where the provider offers it; `failed` when its token was unreadable. */
    async revokeReleased(released: ReleasedGrant): Promise<Revocation> {
      if (!released.provider?.supportsRevocation) return 'not-supported';
      if (!released.refreshToken) return 'failed';
      return deps.grants.revoke(released.provider, released.refreshToken);
    },
    /** At start-up: accounts whose grant is gone need sign-in; the others get keep-alive refreshes. */
    async start(): Promise<void> {
      for (const record of deps.records.list()) {
        if (record.needsSignIn) continue;
        const stored = await deps.tokenStore.refreshToken(record.id).catch(() => undefined);
        if (stored) manager.keepAlive(record.id);
        else deps.records.update(record.id, { needsSignIn: true });
      }
    },
    /** Resolves when no refresh runs for the account (or any), waiting at most `refreshSettleMs`. */
    settled: (accountId?: string) => manager.settled(accountId),
    /** Stops keep-alive timers and waits (bounded) for running refreshes. */
    dispose: () => manager.dispose(),
  };
}

/** Access tokens of accounts, their grants kept and given back. */
export type AccountTokens = ReturnType<typeof createAccountTokens>;
