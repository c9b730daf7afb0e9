/**
 * Keeps a working access token per account. A cached token is used while more than a minute
 * remains; otherwise one refresh per account runs and every concurrent caller shares it. A
 * rotated refresh token is saved before the new access token is handed out, because providers
 * (oidc-provider, Microsoft) revoke the whole grant when an old refresh token is replayed.
 * A keep-alive refresh days apart stops refresh tokens from dying of inactivity.
 */
import * as client from 'openid-client';
import { AppError } from '../shared/errors';
import type { Logger, Redactor } from '../shared/logger';
import type { Clock, TimerHandle } from '../shared/ports';
import { decodeOAuthError } from './oauth-errors';

export type RefreshResult = { accessToken: string; refreshToken?: string | undefined; expiresInSeconds?: number | undefined };

export type TokenManagerDeps = {
  clock: Clock;
  logger: Logger;
  redactor: Redactor;
  /** Reads and writes an account's refresh token (in the vault). */
  loadRefreshToken(accountId: string): Promise<string | undefined>;
  saveRefreshToken(accountId: string, refreshToken: string): Promise<void>;
  /** Performs the refresh grant at the account's provider. */
  refresh(accountId: string, refreshToken: string): Promise<RefreshResult>;
  /** The provider refused the refresh token for good. */
  onNeedsSignIn(accountId: string, reason: AppError): Promise<void>;
  onRefreshing?(accountId: string, refreshing: boolean): void;
  /** Milliseconds between keep-alive refreshes; 0 turns them off. */
  keepAliveMs?: number;
  /** Refresh when less than this remains (default 60 s). */
  minimumValidityMs?: number;
};

type Cached = { accessToken: string; expiresAt: number };

export type TokenManager = {
  getAccessToken(accountId: string): Promise<string>;
  invalidate(accountId: string): void;
  /** A fresh sign-in's access token, so the first send needs no refresh. */
  seed(accountId: string, accessToken: string, expiresAt: number): void;
  /** Starts (or restarts) the account's keep-alive timer. */
  keepAlive(accountId: string): void;
  forget(accountId: string): void;
  dispose(): void;
};

export function createTokenManager(deps: TokenManagerDeps): TokenManager {
  const cache = new Map<string, Cached>();
  const inFlight = new Map<string, Promise<string>>();
  const timers = new Map<string, TimerHandle>();
  const minimum = deps.minimumValidityMs ?? 60_000;
  const log = deps.logger.child('tokens');

  async function refreshNow(accountId: string): Promise<string> {
    const refreshToken = await deps.loadRefreshToken(accountId);
    if (!refreshToken) {
      const error = new AppError('auth.needs_sign_in', 'This account needs you to sign in again.', { hint: 'Open Accounts and choose Sign in again.' });
      await deps.onNeedsSignIn(accountId, error);
      throw error;
    }
    deps.onRefreshing?.(accountId, true);
    try {
      const result = await deps.refresh(accountId, refreshToken).catch((error: unknown) => {
        throw classifyRefreshFailure(error);
      });
      deps.redactor.register(result.accessToken);
      if (result.refreshToken && result.refreshToken !== refreshToken) {
        deps.redactor.register(result.refreshToken);
        // Saved first: if saving fails we must not use a grant whose refresh token we lost.
        await deps.saveRefreshToken(accountId, result.refreshToken);
      }
      const expiresAt = deps.clock.now() + (result.expiresInSeconds ?? 3600) * 1000;
      cache.set(accountId, { accessToken: result.accessToken, expiresAt });
      log.info('access token refreshed', { accountId, rotated: !!result.refreshToken && result.refreshToken !== refreshToken });
      return result.accessToken;
    } catch (error) {
      if (error instanceof AppError && error.code === 'auth.needs_sign_in') {
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
      if (cached && cached.expiresAt - deps.clock.now() > minimum) return Promise.resolve(cached.accessToken);
      let running = inFlight.get(accountId);
      if (!running) {
        running = refreshNow(accountId).finally(() => inFlight.delete(accountId));
        inFlight.set(accountId, running);
      }
      return running;
    },
    invalidate(accountId) {
      cache.delete(accountId);
    },
    seed(accountId, accessToken, expiresAt) {
      deps.redactor.register(accessToken);
      cache.set(accountId, { accessToken, expiresAt });
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
      cache.delete(accountId);
      const timer = timers.get(accountId);
      if (timer !== undefined) deps.clock.clearTimeout(timer);
      timers.delete(accountId);
    },
    dispose() {
      for (const timer of timers.values()) deps.clock.clearTimeout(timer);
      timers.clear();
    },
  };
  return manager;
}

/** `invalid_grant` and its relatives mean sign in again; network and 5xx are transient. */
export function classifyRefreshFailure(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof client.ResponseBodyError) {
    const decoded = decodeOAuthError({ error: error.error, description: error.error_description, status: error.status });
    if (decoded.class === 'needs-sign-in') return new AppError('auth.needs_sign_in', decoded.message, { hint: decoded.hint, cause: error });
    if (decoded.class === 'transient') return new AppError('auth.transient', decoded.message, { hint: 'Quicksend will try again.', cause: error });
    return new AppError('auth.refresh_refused', decoded.message, { hint: decoded.hint, cause: error });
  }
  return new AppError('auth.transient', 'Quicksend could not reach the provider to renew access.', {
    hint: 'It will try again when the connection is back.',
    cause: error,
  });
}
