/**
 * Accounts end to end: adding one through a browser sign-in, keeping its tokens (vault +
 * token manager), signing in again, removing it with revocation, emergency sign-out, and the
 * IPC handlers for all of it. Also the `AccountDirectory` and token source the sender uses.
 */
import { randomUUID } from 'node:crypto';
import * as client from 'openid-client';
import type { Account } from '../ipc/contract';
import { checkCaCertificate, summaryOf } from '../mail/ca-certificate';
import type { Handlers } from '../ipc/router';
import { createTokenManager, type TokenManager } from '../oauth/token-manager';
import { startSignIn, type SignInHandle, type SignInResult } from '../oauth/sign-in';
import type { EventBus } from '../shared/event-bus';
import { AppError } from '../shared/errors';
import type { Logger, Redactor } from '../shared/logger';
import type { BrowserLauncher, Clock, SecretCipher } from '../shared/ports';
import type { Storage, Vault } from '../vault/vault';
import { createAccountStore, type AccountRecord } from './account-store';
import type { ProviderRegistry } from './provider-registry';
import type { AccessTokenSource, AccountDirectory, SendingAccount } from './sending-account';
import type { KeyValueStore } from '../shared/ports';

export type AccountServiceDeps = {
  store: KeyValueStore;
  vault: Vault;
  cipher: SecretCipher;
  providers: ProviderRegistry;
  browser: BrowserLauncher;
  clock: Clock;
  events: EventBus;
  logger: Logger;
  redactor: Redactor;
  /** Whether the person accepted tokens on disk under Linux's `basic_text` backend. */
  weakStorageConsent(): boolean;
  signInTimeoutMs?: number;
  keepAliveMs?: number;
};

type AccountHandlers = Pick<
  Handlers,
  | 'providers:list'
  | 'providers:setClient'
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
  const accounts = createAccountStore(deps.store);
  const log = deps.logger.child('accounts');
  const signIns = new Map<string, SignInHandle>();
  const refreshing = new Set<string>();
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
    async loadRefreshToken(accountId) {
      const stored = await deps.vault.get(tokenKey(accountId));
      return stored ? (JSON.parse(stored) as { refreshToken: string }).refreshToken : undefined;
    },
    async saveRefreshToken(accountId, refreshToken) {
      const storage = deps.vault.storageOf(tokenKey(accountId)) ?? (await storageFor());
      const previous = JSON.parse((await deps.vault.get(tokenKey(accountId))) ?? '{}') as Record<string, unknown>;
      await deps.vault.set(tokenKey(accountId), JSON.stringify({ ...previous, refreshToken }), storage);
    },
    async refresh(accountId, refreshToken) {
      const record = accounts.get(accountId);
      if (!record) throw new AppError('accounts.unknown', 'That account no longer exists.');
      const config = await deps.providers.configuration(deps.providers.get(record.providerId));
      const response = await client.refreshTokenGrant(config, refreshToken);
      return { accessToken: response.access_token, refreshToken: response.refresh_token, expiresInSeconds: response.expiresIn() };
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

  /** Runs one browser sign-in for a provider; a newer one for the same provider replaces it. */
  async function signIn(providerId: string, loginHint: string | undefined): Promise<SignInResult> {
    const provider = deps.providers.get(providerId);
    const progress = (stage: Parameters<Parameters<typeof startSignIn>[0]['onProgress']>[0], extra: { signInUrl?: string; message?: string } = {}) =>
      deps.events.emit('signin:progress', { providerId, stage, ...extra });
    const previous = signIns.get(providerId);
    if (previous) {
      previous.cancel(new AppError('signin.superseded', 'A newer sign-in replaced this one.'));
      progress('superseded', { message: 'A newer sign-in replaced the earlier one.' });
    }
    let config: client.Configuration;
    try {
      config = await deps.providers.configuration(provider);
    } catch (error) {
      progress('failed', { message: (error as AppError).message });
      throw error;
    }
    const handle = startSignIn({
      config,
      provider,
      loginHint,
      browser: deps.browser,
      clock: deps.clock,
      timeoutMs: deps.signInTimeoutMs ?? 5 * 60_000,
      redactor: deps.redactor,
      onProgress: (stage, extra) => progress(stage, extra ?? {}),
    });
    signIns.set(providerId, handle);
    try {
      const result = await handle.result;
      progress('done');
      return result;
    } catch (error) {
      const code = (error as AppError).code;
      if (code !== 'signin.superseded') {
        const stage = code === 'signin.cancelled' ? 'cancelled' : code === 'signin.timeout' ? 'timed-out' : 'failed';
        progress(stage, { message: (error as Error).message });
      }
      throw error;
    } finally {
      if (signIns.get(providerId) === handle) signIns.delete(providerId);
    }
  }

  async function keepTokens(accountId: string, result: SignInResult): Promise<void> {
    const storage = await storageFor();
    await deps.vault.set(tokenKey(accountId), JSON.stringify({ refreshToken: result.tokens.refreshToken, scope: result.tokens.scope }), storage);
    tokens.seed(accountId, result.tokens.accessToken, result.tokens.expiresAt);
    tokens.keepAlive(accountId);
  }

  async function revoke(record: AccountRecord): Promise<'revoked' | 'not-supported' | 'failed'> {
    const provider = deps.providers.all().find((p) => p.id === record.providerId);
    if (!provider?.supportsRevocation) return 'not-supported';
    try {
      const stored = await deps.vault.get(tokenKey(record.id));
      if (!stored) return 'failed';
      const config = await deps.providers.configuration(provider);
      await client.tokenRevocation(config, (JSON.parse(stored) as { refreshToken: string }).refreshToken, { token_type_hint: 'refresh_token' });
      return 'revoked';
    } catch (error) {
      log.warn('revocation failed', { accountId: record.id, error });
      return 'failed';
    }
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
    'providers:addCustom': async (input) => deps.providers.describe(await deps.providers.addCustom(input, await storageFor())),
    'accounts:list': async () => list(),
    'accounts:add': async ({ providerId, loginHint }) => {
      const result = await signIn(providerId, loginHint);
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
      await keepTokens(record.id, result);
      accounts.put(record);
      log.info('account added', { accountId: record.id, providerId });
      changed();
      if (existing) hooks.onAccountReady?.(record.id);
      return view(record);
    },
    'accounts:cancelSignIn': async ({ providerId }) => {
      const handle = signIns.get(providerId);
      handle?.cancel();
      return { cancelled: handle !== undefined };
    },
    'accounts:reauthorize': async ({ accountId }) => {
      const record = requireAccount(accountId);
      const result = await signIn(record.providerId, record.address).catch((error: AppError) => {
        if (error.code === 'signin.address_mismatch') {
          throw new AppError('accounts.different_address', `That sign-in was for a different account than ${record.address}, so nothing changed.`, {
            hint: 'Sign in with the same account, or add the other one as a new account.',
          });
        }
        throw error;
      });
      tokens.invalidate(accountId);
      await keepTokens(accountId, result);
      const updated = accounts.update(accountId, { needsSignIn: false })!;
      changed();
      hooks.onAccountReady?.(accountId);
      return view(updated);
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
      const revocation = await revoke(record);
      // Local removal completes whatever the provider said.
      tokens.forget(accountId);
      await deps.vault.delete(tokenKey(accountId));
      accounts.remove(accountId);
      log.info('account removed', { accountId, revocation });
      changed();
      return { removed: true as const, revocation };
    },
    'accounts:signOutAll': async ({ deleteWaitingMessages }) => {
      const all = accounts.list();
      const outcomes = await Promise.all(all.map((record) => revoke(record)));
      for (const record of all) tokens.forget(record.id);
      for (const handle of signIns.values()) handle.cancel();
      await deps.vault.wipe();
      accounts.clear();
      const deletedMessages = (await hooks.onSignOutAll?.(deleteWaitingMessages)) ?? 0;
      log.warn('signed out of all accounts', { accounts: all.length });
      changed();
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
    dispose() {
      flushLastUsed();
      for (const handle of signIns.values()) handle.cancel();
      tokens.dispose();
    },
  };
}

export type AccountService = ReturnType<typeof createAccountService>;
