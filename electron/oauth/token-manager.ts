/**
 * Keeps a working access token per account. A cached token is used for most of its life (see
 * {@link refreshMarginMs}); otherwise one refresh per account runs and every caller shares it.
 * A rotated refresh token is saved before the new access token is handed out, because providers
 * (oidc-provider, Microsoft) revoke the whole grant when an old refresh token is replayed.
 *
 * For the same reason a refresh is never abandoned: the provider may already have rotated the
 * token when its answer is slow, and asking again with the old one would end the grant. The
 * request itself gets a patient timeout (minutes, set where it is made); a caller that cannot
 * wait that long gets `auth.transient` (the outbox retries) while the refresh keeps running,
 * later callers join it, its late answer is saved, and dispose() waits a bounded time for it.
 * A keep-alive refresh days apart stops refresh tokens from dying of inactivity.
 */
import { openid, openidIfLoaded } from './openid';
import { AppError } from '../shared/errors';
import type { Logger, Redactor } from '../shared/logger';
import type { Clock, TimerHandle } from '../shared/ports';
import type { RefreshResult } from './grants';
import { decodeOAuthError } from './oauth-errors';

export type { RefreshResult };

export type TokenManagerDeps = {
  clock: Clock;
  logger: Logger;
  redactor: Redactor;
  /** Reads and writes an account's refresh token (in the vault). */
  loadRefreshToken(accountId: string): Promise<string | undefined>;
  /** Replaces the stored refresh token; false when the account's entry is gone (removed). */
  saveRefreshToken(accountId: string, refreshToken: string): Promise<boolean>;
  /**
   * A refresh answered after its account was removed or signed in afresh: its tokens belong
   * to nobody now. Revoke them where that is right (a removed account), else let them go.
   */
  onOrphanedAnswer?(accountId: string, result: RefreshResult): Promise<void>;
  /** Performs the refresh grant at the account's provider (oauth/grants.ts). */
  refresh(accountId: string, refreshToken: string): Promise<RefreshResult>;
  /** The provider refused the refresh token for good. */
  onNeedsSignIn(accountId: string, reason: AppError): Promise<void>;
  onRefreshing?(accountId: string, refreshing: boolean): void;
  /** Milliseconds between keep-alive refreshes; 0 turns them off. */
  keepAliveMs?: number;
  /** How long one caller waits for a running refresh before `auth.transient` (default 30 s). */
  callerWaitMs?: number;
  /** How long dispose() waits for running refreshes to save their answers (default 10 s). */
  disposeWaitMs?: number;
};

type Cached = { accessToken: string; expiresAt: number; marginMs: number };

/**
 * How long before expiry a cached access token is refreshed: a tenth of its lifetime, at most
 * a minute (hour-long tokens refresh a minute early) and at least 5 s (time to open an SMTP
 * connection and authenticate). Tokens of 5 s or less are never reused.
 */
export function refreshMarginMs(lifetimeMs: number): number {
  return Math.min(60_000, Math.max(5_000, lifetimeMs / 10));
}

export type TokenManager = {
  getAccessToken(accountId: string): Promise<string>;
  invalidate(accountId: string): void;
  /** A fresh sign-in's access token, so the first send needs no refresh. */
  seed(accountId: string, accessToken: string, expiresAt: number): void;
  /** Starts (or restarts) the account's keep-alive timer. */
  keepAlive(accountId: string): void;
  /** Drops the account; a refresh still running for it saves nothing. */
  forget(accountId: string): void;
  /** Resolves when no refresh runs for the account (or for any account), or after `maxWaitMs`. */
  settled(accountId?: string, maxWaitMs?: number): Promise<void>;
  /** Stops keep-alive timers and waits (bounded by `disposeWaitMs`) for running refreshes. */
  dispose(): Promise<void>;
};

export function createTokenManager(deps: TokenManagerDeps): TokenManager {
  const cache = new Map<string, Cached>();
  const inFlight = new Map<string, Promise<string>>();
  const timers = new Map<string, TimerHandle>();
  // Bumped when an account is signed in afresh or forgotten: a refresh started before that
  // must not overwrite the newer refresh token (or resurrect a removed account's).
  const epochs = new Map<string, number>();
  const callerWaitMs = deps.callerWaitMs ?? 30_000;
  const log = deps.logger.child('tokens');
  const epochOf = (accountId: string) => epochs.get(accountId) ?? 0;
  const bump = (accountId: string) => epochs.set(accountId, epochOf(accountId) + 1);

  function remember(accountId: string, accessToken: string, expiresAt: number): void {
    cache.set(accountId, { accessToken, expiresAt, marginMs: refreshMarginMs(expiresAt - deps.clock.now()) });
  }

  /** The running refresh, or `auth.transient` once this caller has waited `callerWaitMs`. */
  function waitFor(running: Promise<string>): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const timer = deps.clock.setTimeout(() => {
        reject(
          new AppError('auth.transient', 'The provider is slow to renew access for this account.', {
            hint: 'Quicksend keeps waiting for its answer and tries again by itself.',
          }),
        );
      }, callerWaitMs);
      running.then(
        (token) => (deps.clock.clearTimeout(timer), resolve(token)),
        (error: unknown) => (deps.clock.clearTimeout(timer), reject(error)),
      );
    });
  }

  /** Resolves when `promises` settle or after `ms`, whichever comes first. */
  function boundedWait(promises: Promise<unknown>[], ms: number): Promise<void> {
    if (promises.length === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = deps.clock.setTimeout(resolve, ms);
      void Promise.allSettled(promises).then(() => {
        deps.clock.clearTimeout(timer);
        resolve();
      });
    });
  }

  async function refreshNow(accountId: string): Promise<string> {
    const epoch = epochOf(accountId);
    const refreshToken = await deps.loadRefreshToken(accountId);
    if (!refreshToken) {
      const error = new AppError('auth.needs_sign_in', 'This account needs you to sign in again.', {
        hint: 'Open Accounts and choose Sign in again.',
      });
      await deps.onNeedsSignIn(accountId, error);
      throw error;
    }
    deps.onRefreshing?.(accountId, true);
    try {
      const result = await deps.refresh(accountId, refreshToken).catch(async (error: unknown) => {
        // Classifying checks openid-client's error classes, which a refresh has normally
        // loaded already; an injected refresh may not have.
        if (!(error instanceof AppError)) await openid();
        throw classifyRefreshFailure(error);
      });
      deps.redactor.register(result.accessToken);
      const rotated = !!result.refreshToken && result.refreshToken !== refreshToken;
      if (result.refreshToken) deps.redactor.register(result.refreshToken);
      // Signed in again or removed while this ran: the newer state wins, and this answer is
      // never saved (saving would bring back a removed account's token).
      let orphaned = epochOf(accountId) !== epoch;
      // Saved first: if saving fails we must not use a grant whose refresh token we lost. The
      // vault updates only an entry that exists, so a removal in between is noticed here too.
      if (!orphaned && rotated && result.refreshToken)
        orphaned = !(await deps.saveRefreshToken(accountId, result.refreshToken));
      if (orphaned) {
        log.info('late refresh answer set aside', { accountId });
        await deps
          .onOrphanedAnswer?.(accountId, result)
          .catch((error: unknown) => log.warn('could not give back a late refresh answer', { accountId, error }));
        // Signed in afresh meanwhile: callers get the new sign-in's token.
        const current = cache.get(accountId);
        if (current) return current.accessToken;
        throw new AppError('accounts.unknown', 'That account was removed while its access was being renewed.');
      }
      remember(accountId, result.accessToken, deps.clock.now() + (result.expiresInSeconds ?? 3600) * 1000);
      log.info('access token refreshed', { accountId, rotated });
      return result.accessToken;
    } catch (error) {
      if (error instanceof AppError && error.code === 'auth.needs_sign_in' && epochOf(accountId) === epoch) {
        cache.delete(accountId);
        await deps.onNeedsSignIn(accountId, error);
      }
      throw error;
    } finally {
      deps.onRefreshing?.(accountId, false);
    }
  }

  const manager: TokenManager = {
    getAccessToken(accountId) {
      const cached = cache.get(accountId);
      if (cached && cached.expiresAt - deps.clock.now() > cached.marginMs) return Promise.resolve(cached.accessToken);
      let running = inFlight.get(accountId);
      if (!running) {
        const started = refreshNow(accountId).finally(() => {
          if (inFlight.get(accountId) === started) inFlight.delete(accountId);
        });
        // Every caller may have stopped waiting; the outcome is handled inside refreshNow.
        started.catch(() => {});
        inFlight.set(accountId, started);
        running = started;
      }
      return waitFor(running);
    },
    invalidate(accountId) {
      cache.delete(accountId);
    },
    seed(accountId, accessToken, expiresAt) {
      deps.redactor.register(accessToken);
      bump(accountId);
      remember(accountId, accessToken, expiresAt);
    },
    keepAlive(accountId) {
      const every = deps.keepAliveMs ?? 0;
      const previous = timers.get(accountId);
      if (previous !== undefined) deps.clock.clearTimeout(previous);
      if (every <= 0) return;
      timers.set(
        accountId,
        deps.clock.setTimeout(() => {
          manager.invalidate(accountId);
          manager
            .getAccessToken(accountId)
            .then(() => manager.keepAlive(accountId))
            .catch((error: unknown) => {
              log.warn('keep-alive refresh failed', { accountId, code: (error as AppError).code });
              if (!(error instanceof AppError && error.code === 'auth.needs_sign_in')) manager.keepAlive(accountId);
            });
        }, every),
      );
    },
    forget(accountId) {
      bump(accountId);
      cache.delete(accountId);
      const timer = timers.get(accountId);
      if (timer !== undefined) deps.clock.clearTimeout(timer);
      timers.delete(accountId);
    },
    settled(accountId, maxWaitMs = deps.disposeWaitMs ?? 10_000) {
      const running =
        accountId === undefined ? [...inFlight.values()] : [inFlight.get(accountId)].filter((p) => p !== undefined);
      return boundedWait(running, maxWaitMs);
    },
    async dispose() {
      for (const timer of timers.values()) deps.clock.clearTimeout(timer);
      timers.clear();
      // Quitting must not drop a rotated refresh token that is on its way.
      await manager.settled();
    },
  };
  return manager;
}

/** `invalid_grant` and its relatives mean sign in again; network and 5xx are transient. */
export function classifyRefreshFailure(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const oidc = openidIfLoaded();
  if (oidc && error instanceof oidc.ResponseBodyError) {
    const decoded = decodeOAuthError({
      error: error.error,
      description: error.error_description,
      status: error.status,
    });
    if (decoded.class === 'needs-sign-in')
      return new AppError('auth.needs_sign_in', decoded.message, { hint: decoded.hint, cause: error });
    if (decoded.class === 'transient')
      return new AppError('auth.transient', decoded.message, { hint: 'Quicksend will try again.', cause: error });
    return new AppError('auth.refresh_refused', decoded.message, { hint: decoded.hint, cause: error });
  }
  return new AppError('auth.transient', 'Quicksend could not reach the provider to renew access.', {
    hint: 'It will try again when the connection is back.',
    cause: error,
  });
}
