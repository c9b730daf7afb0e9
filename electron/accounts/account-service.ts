/**
 * Accounts end to end: adding one through a browser sign-in, keeping its tokens (vault +
 * token manager), signing in again, removing it with revocation, emergency sign-out, and the
 * IPC handlers for all of it. Also the `AccountDirectory` and token source the sender uses.
 */
import { randomUUID } from 'node:crypto';
import type { Account } from '../ipc/contract';
import { checkCaCertificate, summaryOf } from '../mail/ca-certificate';
import type { Handlers } from '../ipc/router';
import type { Grants, Revocation } from '../oauth/grants';
import { createTokenManager, type TokenManager } from '../oauth/token-manager';
import { startSignIn, type SignInHandle, type SignInResult } from '../oauth/sign-in';
import type { EventBus } from '../shared/event-bus';
import { AppError } from '../shared/errors';
import type { Logger, Redactor } from '../shared/logger';
import type { BrowserLauncher, Clock, SecretCipher } from '../shared/ports';
import type { Storage, Vault } from '../vault/vault';
import { createAccountStore, type AccountRecord } from './account-store';
import type { ProviderRegistry } from './provider-registry';
import type { ProviderDefinition } from '../oauth/provider-definition';
import type { AccessTokenSource, AccountDirectory, SendingAccount } from './sending-account';
import type { KeyValueStore } from '../shared/ports';

/** A sign-in from its first moment; `committed` once its account is being saved (too late to cancel). */
type SignInAttempt = {
  providerId: string;
  cancelled: AppError | undefined;
  handle: SignInHandle | undefined;
  committed: boolean;
  /** Cancels unless committed; true when this call cancelled it. */
  cancel(reason?: AppError): boolean;
};

export type AccountServiceDeps = {
  store: KeyValueStore;
  vault: Vault;
  cipher: SecretCipher;
  providers: ProviderRegistry;
  /** Refresh and revocation (oauth/grants.ts), shared with sign-in. */
  grants: Grants;
  browser: BrowserLauncher;
  clock: Clock;
  events: EventBus;
  logger: Logger;
  redactor: Redactor;
  /** Whether the person accepted tokens on disk under Linux's `basic_text` backend. */
  weakStorageConsent(): boolean;
  signInTimeoutMs?: number;
  keepAliveMs?: number;
  /** How long a send waits for a running refresh before it is retried later (default 30 s). */
  tokenWaitMs?: number;
  /** How long removal and quitting wait for a running refresh to save its answer (default 10 s). */
  refreshSettleMs?: number;
};

type AccountHandlers = Pick<
  Handlers,
  | 'providers:list'
  | 'providers:setClient'
  | 'providers:discover'
  | 'providers:addCustom'
  | 'accounts:list'
  | 'accounts:add'
  | 'accounts:cancelSignIn'
  | 'accounts:reauthorize'
  | 'accounts:update'
  | 'accounts:setExtraCa'
  | 'accounts:remove'
  | 'accounts:signOutAll'
>;

/** Hooks the sending side registers: resume an account's waiting mail, delete all waiting mail. */
export type AccountHooks = {
  onAccountReady?(accountId: string): void;
  onSignOutAll?(deleteWaitingMessages: boolean): Promise<number>;
  /** The account's SMTP trust changed (extra CA added or removed): re-send what waited for it. */
  onSmtpSettingsChanged?(accountId: string): void;
};

const tokenKey = (accountId: string) => `account:${accountId}`;

export function createAccountService(deps: AccountServiceDeps) {
  const log = deps.logger.child('accounts');
  const accounts = createAccountStore(deps.store, log);
  const attempts = new Map<string, SignInAttempt>();
  const refreshing = new Set<string>();
  // Providers of accounts removed in this run, so a refresh answer arriving later can be revoked.
  const removedProviders = new Map<string, ProviderDefinition>();
  const hooks: AccountHooks = {};
  const lastUsed = new Map<string, string>();
  let lastUsedTimer: ReturnType<Clock['setTimeout']> | undefined;
  function flushLastUsed(): void {
    if (lastUsedTimer !== undefined) deps.clock.clearTimeout(lastUsedTimer);
    lastUsedTimer = undefined;
    try {
      for (const [id, at] of lastUsed) accounts.update(id, { lastUsedAt: at });
      lastUsed.clear();
    } catch (error) {
      // A full disk or read-only folder must not crash a timer or block quitting; the times
      // stay in memory and the next flush tries again.
      log.warn('could not save last-used times', { error });
    }
  }

  async function storageFor(): Promise<Storage> {
    if (!(await deps.cipher.isAvailable())) return 'session-only';
    if (deps.cipher.backend() === 'basic_text' && !deps.weakStorageConsent()) return 'session-only';
    return 'vault';
  }

  function view(record: AccountRecord): Account {
    const provider = deps.providers.all().find((p) => p.id === record.providerId);
    const storage = deps.vault.storageOf(tokenKey(record.id)) ?? 'vault';
    const health: Account['health'] = record.needsSignIn
      ? 'needs-sign-in'
      : refreshing.has(record.id)
        ? 'refreshing'
        : storage === 'session-only'
          ? 'session-only'
          : 'ready';
    return {
      id: record.id,
      provider: record.providerId,
      providerName: provider?.name ?? record.providerId,
      address: record.address,
      fromAddress: record.fromAddress,
      displayName: record.displayName,
      health,
      storage,
      lastUsedAt: lastUsed.get(record.id) ?? record.lastUsedAt,
      ...extraCaOf(record),
    };
  }

  function extraCaOf(record: AccountRecord): Pick<Account, 'extraCa'> {
    const summary = summaryOf(record.extraCa);
    return summary ? { extraCa: summary } : {};
  }

  const list = () => accounts.list().map(view);
  const changed = () => deps.events.emit('accounts:changed', { accounts: list() });

  const tokens: TokenManager = createTokenManager({
    clock: deps.clock,
    logger: deps.logger,
    redactor: deps.redactor,
    keepAliveMs: deps.keepAliveMs ?? 5 * 24 * 3600_000,
    callerWaitMs: deps.tokenWaitMs,
    disposeWaitMs: deps.refreshSettleMs,
    async loadRefreshToken(accountId) {
      const stored = await deps.vault.get(tokenKey(accountId));
      return stored ? (JSON.parse(stored) as { refreshToken: string }).refreshToken : undefined;
    },
    // An update, never a create: a refresh that ends after removal must not bring the entry back.
    saveRefreshToken: (accountId, refreshToken) =>
      deps.vault.update(tokenKey(accountId), (previous) => JSON.stringify({ ...(JSON.parse(previous) as Record<string, unknown>), refreshToken })),
    async onOrphanedAnswer(accountId, result) {
      // A removed account's grant is given back; one signed in afresh keeps its new grant
      // (revoking the old one at Google would end the new one too), so its answer just goes.
      const provider = removedProviders.get(accountId);
      if (!provider || !result.refreshToken) return;
      const outcome = await deps.grants.revoke(provider, result.refreshToken);
      log.info('late refresh answer of a removed account given back', { accountId, revocation: outcome });
    },
    async refresh(accountId, refreshToken) {
      const record = accounts.get(accountId);
      if (!record) throw new AppError('accounts.unknown', 'That account no longer exists.');
      return deps.grants.refresh(deps.providers.get(record.providerId), refreshToken);
    },
    async onNeedsSignIn(accountId, reason) {
      if (accounts.update(accountId, { needsSignIn: true })) {
        log.warn('account needs sign-in', { accountId, code: reason.code });
        changed();
      }
    },
    onRefreshing(accountId, active) {
      if (active) refreshing.add(accountId);
      else refreshing.delete(accountId);
    },
  });

  /**
   * Starts a sign-in attempt for a provider, existing from its first moment (before discovery),
   * so a cancel at any stage wins; a newer attempt for the same provider supersedes this one.
   */
  function beginAttempt(providerId: string): SignInAttempt {
    const previous = attempts.get(providerId);
    if (previous?.cancel(new AppError('signin.superseded', 'A newer sign-in replaced this one.'))) {
      deps.events.emit('signin:progress', { providerId, stage: 'superseded', message: 'A newer sign-in replaced the earlier one.' });
    }
    const attempt: SignInAttempt = {
      providerId,
      cancelled: undefined,
      handle: undefined,
      committed: false,
      cancel(reason = new AppError('signin.cancelled', 'The sign-in was cancelled.')) {
        if (attempt.committed || attempt.cancelled) return false;
        attempt.cancelled = reason;
        attempt.handle?.cancel(reason);
        return true;
      },
    };
    attempts.set(providerId, attempt);
    return attempt;
  }

  function endAttempt(attempt: SignInAttempt): void {
    if (attempts.get(attempt.providerId) === attempt) attempts.delete(attempt.providerId);
  }

  /**
   * Runs the browser sign-in of `attempt`. A cancel before the browser opens stops it there; a
   * cancel that arrives while the code is exchanged gives the new grant back (revoked where the
   * provider supports it, else dropped) and the sign-in ends as cancelled: nothing is stored.
   */
  async function signIn(attempt: SignInAttempt, loginHint: string | undefined): Promise<SignInResult> {
    const { providerId } = attempt;
    const progress = (stage: Parameters<Parameters<typeof startSignIn>[0]['onProgress']>[0], extra: { signInUrl?: string; message?: string } = {}) =>
      deps.events.emit('signin:progress', { providerId, stage, ...extra });
    try {
      const provider = deps.providers.get(providerId);
      const config = await deps.providers.configuration(provider);
      if (attempt.cancelled) throw attempt.cancelled;
      const handle = startSignIn({
        config,
        provider,
        loginHint,
        browser: deps.browser,
        clock: deps.clock,
        timeoutMs: deps.signInTimeoutMs ?? 5 * 60_000,
        redactor: deps.redactor,
        grants: deps.grants,
        onProgress: (stage, extra) => progress(stage, extra ?? {}),
      });
      attempt.handle = handle;
      const result = await handle.result;
      if (attempt.cancelled) {
        const revocation = await deps.grants.revoke(provider, result.tokens.refreshToken);
        log.info('sign-in cancelled after the grant; grant given back', { providerId, revocation });
        throw attempt.cancelled;
      }
      return result;
    } catch (error) {
      const code = (error as AppError).code;
      if (code !== 'signin.superseded') {
        const stage = code === 'signin.cancelled' ? 'cancelled' : code === 'signin.timeout' ? 'timed-out' : 'failed';
        progress(stage, { message: (error as Error).message });
      }
      throw error;
    }
  }

  async function keepTokens(accountId: string, result: SignInResult): Promise<void> {
    // First, so a refresh of the old grant still running cannot save over the new token.
    tokens.forget(accountId);
    const storage = await storageFor();
    await deps.vault.set(tokenKey(accountId), JSON.stringify({ refreshToken: result.tokens.refreshToken, scope: result.tokens.scope }), storage);
    tokens.seed(accountId, result.tokens.accessToken, result.tokens.expiresAt);
    tokens.keepAlive(accountId);
  }

  /**
   * Removes an account locally at once: marked removed (so a refresh still running gives its
   * answer back instead of saving it), its token forgotten and deleted, its record gone. Returns
   * what is needed to revoke the stored grant afterwards, without waiting for any refresh.
   */
  async function removeLocally(record: AccountRecord): Promise<{ provider: ProviderDefinition | undefined; refreshToken: string | undefined }> {
    const provider = deps.providers.all().find((p) => p.id === record.providerId);
    if (provider) removedProviders.set(record.id, provider);
    tokens.forget(record.id);
    const stored = await deps.vault.get(tokenKey(record.id)).catch(() => undefined);
    await deps.vault.delete(tokenKey(record.id));
    accounts.remove(record.id);
    const refreshToken = stored ? (JSON.parse(stored) as { refreshToken?: string }).refreshToken : undefined;
    return { provider, refreshToken };
  }

  async function revokeStored(removed: { provider: ProviderDefinition | undefined; refreshToken: string | undefined }): Promise<Revocation> {
    if (!removed.provider?.supportsRevocation) return 'not-supported';
    if (!removed.refreshToken) return 'failed';
    return deps.grants.revoke(removed.provider, removed.refreshToken);
  }

  function requireAccount(accountId: string): AccountRecord {
    const record = accounts.get(accountId);
    if (!record) throw new AppError('accounts.unknown', 'That account no longer exists.');
    return record;
  }

  const handlers: AccountHandlers = {
    'providers:list': async () => Promise.all(deps.providers.all().map((p) => deps.providers.describe(p))),
    'providers:setClient': async ({ providerId, clientId, clientSecret }) =>
      deps.providers.describe(await deps.providers.setClient(providerId, clientId, clientSecret, await storageFor())),
    'providers:discover': async (input) => deps.providers.discover(input),
    'providers:addCustom': async (input) => deps.providers.describe(await deps.providers.addCustom(input, await storageFor())),
    'accounts:list': async () => list(),
    'accounts:add': async ({ providerId, loginHint }) => {
      const attempt = beginAttempt(providerId);
      try {
        const result = await signIn(attempt, loginHint);
        // The commit point: from here the sign-in is being saved and a cancel comes too late.
        attempt.committed = true;
        const existing = accounts.list().find((a) => a.providerId === providerId && a.address.toLowerCase() === result.identity.address.toLowerCase());
        const record: AccountRecord = existing
          ? { ...existing, needsSignIn: false }
          : {
              id: randomUUID(),
              providerId,
              address: result.identity.address,
              fromAddress: result.identity.address,
              displayName: result.identity.name,
              subject: result.identity.subject,
              needsSignIn: false,
              lastUsedAt: null,
              createdAt: new Date(deps.clock.now()).toISOString(),
            };
        removedProviders.delete(record.id);
        await keepTokens(record.id, result);
        accounts.put(record);
        log.info('account added', { accountId: record.id, providerId });
        changed();
        if (existing) hooks.onAccountReady?.(record.id);
        deps.events.emit('signin:progress', { providerId, stage: 'done' });
        return view(record);
      } finally {
        endAttempt(attempt);
      }
    },
    'accounts:cancelSignIn': async ({ providerId }) => ({ cancelled: attempts.get(providerId)?.cancel() ?? false }),
    'accounts:reauthorize': async ({ accountId }) => {
      const record = requireAccount(accountId);
      const attempt = beginAttempt(record.providerId);
      try {
        const result = await signIn(attempt, record.address).catch((error: AppError) => {
          if (error.code === 'signin.address_mismatch') {
            throw new AppError('accounts.different_address', `That sign-in was for a different account than ${record.address}, so nothing changed.`, {
              hint: 'Sign in with the same account, or add the other one as a new account.',
            });
          }
          throw error;
        });
        attempt.committed = true;
        tokens.invalidate(accountId);
        await keepTokens(accountId, result);
        const updated = accounts.update(accountId, { needsSignIn: false })!;
        changed();
        hooks.onAccountReady?.(accountId);
        deps.events.emit('signin:progress', { providerId: record.providerId, stage: 'done' });
        return view(updated);
      } finally {
        endAttempt(attempt);
      }
    },
    'accounts:update': async ({ accountId, fromAddress, displayName }) => {
      requireAccount(accountId);
      const change: Partial<AccountRecord> = {};
      if (fromAddress !== undefined) change.fromAddress = fromAddress.trim();
      if (displayName !== undefined) change.displayName = displayName.trim();
      const updated = accounts.update(accountId, change)!;
      changed();
      return view(updated);
    },
    'accounts:setExtraCa': async ({ accountId, pem }) => {
      requireAccount(accountId);
      // Checked before anything is saved: a refused certificate changes nothing.
      const checked = pem === null ? null : checkCaCertificate(pem, 'extraCa', deps.clock.now());
      const updated = accounts.update(accountId, { extraCa: checked?.pem ?? undefined })!;
      log.info(checked ? 'extra CA added' : 'extra CA removed', { accountId, ...(checked ? { subject: checked.summary.subject, fingerprint256: checked.summary.fingerprint256 } : {}) });
      changed();
      hooks.onSmtpSettingsChanged?.(accountId);
      return view(updated);
    },
    'accounts:remove': async ({ accountId }) => {
      const record = requireAccount(accountId);
      // Local removal first and whatever the provider says; a refresh still on its way is not
      // waited for: its answer is given back when it comes (onOrphanedAnswer).
      const removed = await removeLocally(record);
      changed();
      const revocation = await revokeStored(removed);
      log.info('account removed', { accountId, revocation });
      return { removed: true as const, revocation };
    },
    'accounts:signOutAll': async ({ deleteWaitingMessages }) => {
      const all = accounts.list();
      for (const attempt of attempts.values()) attempt.cancel();
      const removed = await Promise.all(all.map((record) => removeLocally(record)));
      await deps.vault.wipe();
      accounts.clear();
      // Sending stops before anything goes over the network.
      const deletedMessages = (await hooks.onSignOutAll?.(deleteWaitingMessages)) ?? 0;
      changed();
      const outcomes = await Promise.all(removed.map((r) => revokeStored(r)));
      log.warn('signed out of all accounts', { accounts: all.length });
      return {
        accounts: all.length,
        revoked: outcomes.filter((o) => o === 'revoked').length,
        revocationFailed: outcomes.filter((o) => o === 'failed').length,
        deletedMessages,
      };
    },
  };

  const directory: AccountDirectory = {
    get(accountId): SendingAccount | undefined {
      const record = accounts.get(accountId);
      if (!record) return undefined;
      const provider = deps.providers.all().find((p) => p.id === record.providerId);
      if (!provider) return undefined;
      return {
        id: record.id,
        providerId: record.providerId,
        login: record.address,
        fromAddress: record.fromAddress,
        displayName: record.displayName,
        // The account's own CA adds to the provider's (both add to the system roots).
        smtp: record.extraCa ? { ...provider.smtp, extraCa: [provider.smtp.extraCa, record.extraCa].filter(Boolean).join('\n') } : provider.smtp,
        attachmentLimitBytes: provider.attachmentLimitBytes,
      };
    },
    async markNeedsSignIn(accountId, reason) {
      tokens.invalidate(accountId);
      if (accounts.update(accountId, { needsSignIn: true })) {
        log.warn('account needs sign-in', { accountId, reason });
        changed();
      }
    },
    touch(accountId) {
      // Every delivery touches the account; the settings store writes synchronously, so keep the
      // time in memory and save it at most once a minute (and on dispose), off the send path.
      lastUsed.set(accountId, new Date(deps.clock.now()).toISOString());
      lastUsedTimer ??= deps.clock.setTimeout(flushLastUsed, 60_000);
    },
  };

  const tokenSource: AccessTokenSource = {
    getAccessToken: (accountId) => tokens.getAccessToken(accountId),
    invalidate: (accountId) => tokens.invalidate(accountId),
  };

  return {
    handlers,
    directory,
    tokens: tokenSource,
    hooks,
    /** Loads the vault and starts keep-alive timers for accounts that can refresh. */
    async start() {
      for (const record of accounts.list()) {
        const stored = await deps.vault.get(tokenKey(record.id)).catch(() => undefined);
        if (!stored && !record.needsSignIn) accounts.update(record.id, { needsSignIn: true });
        else if (stored && !record.needsSignIn) tokens.keepAlive(record.id);
      }
    },
    /** Resolves when no refresh runs for the account (or any), waiting at most `refreshSettleMs`. */
    refreshSettled: (accountId?: string) => tokens.settled(accountId),
    /** Saves last-used times, cancels sign-ins, and waits (bounded) for running refreshes. */
    async dispose() {
      flushLastUsed();
      for (const attempt of attempts.values()) attempt.cancel();
      await tokens.dispose();
    },
  };
}

export type AccountService = ReturnType<typeof createAccountService>;
