// An AccessTokenSource backed by real tokens from the sandbox identity provider: signs in with
// openid-client (code + PKCE, the browser leg played by completeLogin), caches the access token,
// refreshes with the rotating refresh token after invalidate(), and reports `auth.needs_sign_in`
// when the provider refuses the refresh (revoked grant). It stands in for the token manager
// that electron/oauth/ is building, with the same contract.
import * as client from 'openid-client';
import type { AccessTokenSource } from '../../electron/accounts/sending-account';
import { AppError } from '../../electron/shared/errors';
import { SANDBOX_MAIL_SCOPE, completeLogin, type SandboxIdentityProvider } from '../support/sandbox';

const SCOPE = `openid email offline_access ${SANDBOX_MAIL_SCOPE}`;

type Held = { email: string; accessToken: string | null; refreshToken: string };

export type SandboxTokenSource = AccessTokenSource & {
  /** Signs `email` in as `accountId` (a real authorization code + PKCE flow). */
  signIn(accountId: string, email: string): Promise<void>;
  /** Calls made, for assertions: gets, refreshes (token endpoint) and invalidations. */
  counts: { get: number; refresh: number; invalidate: number };
};

/** Creates the source; `onToken` sees every access token handed out (register it with a redactor). */
export async function createSandboxTokenSource(
  sandbox: Pick<SandboxIdentityProvider, 'issuer' | 'clientId'>,
  onToken: (token: string) => void = () => {},
): Promise<SandboxTokenSource> {
  const config = await client.discovery(new URL(sandbox.issuer), sandbox.clientId, undefined, undefined, {
    execute: [client.allowInsecureRequests],
  });
  const held = new Map<string, Held>();
  const refreshing = new Map<string, Promise<string>>();
  const counts = { get: 0, refresh: 0, invalidate: 0 };

  async function refresh(accountId: string, entry: Held): Promise<string> {
    counts.refresh += 1;
    try {
      const tokens = await client.refreshTokenGrant(config, entry.refreshToken);
      if (tokens.refresh_token) entry.refreshToken = tokens.refresh_token; // rotation: keep the new one
      entry.accessToken = tokens.access_token;
      onToken(tokens.access_token);
      return tokens.access_token;
    } catch (error) {
      if (error instanceof client.ResponseBodyError && error.error === 'invalid_grant') {
        throw new AppError('auth.needs_sign_in', `Sign in to ${entry.email} again.`, { cause: error });
      }
      throw error;
    } finally {
      refreshing.delete(accountId);
    }
  }

  return {
    counts,
    async signIn(accountId, email) {
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: `http://127.0.0.1:${40_000 + Math.floor(Math.random() * 20_000)}/callback`,
        scope: SCOPE,
        prompt: 'consent',
        login_hint: email,
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
      });
      const callback = new URL(await completeLogin(url.href, email));
      const tokens = await client.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: verifier,
        expectedState: state,
      });
      if (!tokens.refresh_token) throw new Error('sandbox issued no refresh token');
      onToken(tokens.access_token);
      held.set(accountId, { email, accessToken: tokens.access_token, refreshToken: tokens.refresh_token });
    },
    async getAccessToken(accountId) {
      counts.get += 1;
      const entry = held.get(accountId);
      if (!entry) throw new AppError('auth.needs_sign_in', 'This account is not signed in.');
      if (entry.accessToken) return entry.accessToken;
      // One refresh per account at a time: concurrent callers share it.
      let pending = refreshing.get(accountId);
      if (!pending) {
        pending = refresh(accountId, entry);
        refreshing.set(accountId, pending);
      }
      return pending;
    },
    invalidate(accountId) {
      counts.invalidate += 1;
      const entry = held.get(accountId);
      if (entry) entry.accessToken = null;
    },
  };
}
