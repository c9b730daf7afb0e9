/**
 * One sign-in in the person's own browser: authorization code + PKCE S256 with state and nonce
 * (RFC 7636, RFC 9700), a loopback redirect (RFC 8252), the `iss` check of RFC 9207 when the
 * provider offers it. openid-client performs and validates the protocol; this module runs the
 * steps, reports progress and turns every failure into a typed error.
 */
import type * as client from 'openid-client';
import { openid, openidIfLoaded } from './openid';
import { authorizationParams, type ProviderDefinition } from './provider-definition';
import type { SignInStage } from '../ipc/contract';
import { AppError } from '../shared/errors';
import type { Redactor } from '../shared/logger';
import type { BrowserLauncher, Clock } from '../shared/ports';
import type { Grants } from './grants';
import { identify, type SignInIdentity } from './identity';
import { startLoopbackReceiver } from './loopback-receiver';
import { decodeOAuthError } from './oauth-errors';

export type SignInTokens = {
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  scope: string;
};

export type { SignInIdentity };

export type SignInResult = { tokens: SignInTokens; identity: SignInIdentity };

export type SignInInput = {
  config: client.Configuration;
  provider: ProviderDefinition;
  /** What the person typed, if anything: sent as login_hint and checked against the result. */
  loginHint?: string | undefined;
  browser: BrowserLauncher;
  clock: Clock;
  timeoutMs: number;
  redactor: Redactor;
  /** Gives back a grant this sign-in refuses after the provider issued it. */
  grants: Pick<Grants, 'revoke'>;
  onProgress(stage: SignInStage, extra?: { signInUrl?: string }): void;
};

export type SignInHandle = { result: Promise<SignInResult>; cancel(reason?: AppError): void };

export function startSignIn(input: SignInInput): SignInHandle {
  let cancel: (reason?: AppError) => void = () => {};
  let cancelledEarly: AppError | undefined;
  const result = (async () => {
    const oidc = await openid();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const verifier = oidc.randomPKCECodeVerifier();
    input.redactor.register(verifier);
    const receiver = await startLoopbackReceiver({
      expectedState: state,
      timeoutMs: input.timeoutMs,
      clock: input.clock,
    });
    cancel = (reason) => receiver.close(reason);
    if (cancelledEarly) receiver.close(cancelledEarly);
    try {
      // The provider's parameters first, then the person's hint, then the security parameters
      // last, so no provider entry can replace state, nonce, PKCE, redirect or scope.
      const params: Record<string, string> = {
        ...authorizationParams(input.provider),
        ...(input.loginHint ? { login_hint: input.loginHint } : {}),
        response_type: 'code',
        redirect_uri: receiver.redirectUri,
        scope: input.provider.scopes.join(' '),
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      };
      const url = oidc.buildAuthorizationUrl(input.config, params).href;
      input.onProgress('opening-browser', { signInUrl: url });
      await input.browser.open(url).catch(() => {
        // The person can still copy the link from the progress event; keep waiting.
      });
      input.onProgress('waiting-for-browser', { signInUrl: url });
      const callbackUrl = await receiver.callback;
      const code = callbackUrl.searchParams.get('code');
      if (code) input.redactor.register(code);
      input.onProgress('exchanging');
      const response = await oidc
        .authorizationCodeGrant(
          input.config,
          callbackUrl,
          {
            pkceCodeVerifier: verifier,
            expectedState: state,
            expectedNonce: nonce,
            idTokenExpected: true,
          },
          { redirect_uri: receiver.redirectUri },
        )
        .catch((error: unknown) => {
          throw explainSignInFailure(error);
        });
      return await acceptTokens(input, response).catch(async (error: unknown) => {
        // Refused after the provider granted something (wrong account, missing scope): give the
        // grant back rather than leave a live refresh token nobody will ever use.
        if (response.refresh_token) await input.grants.revoke(input.provider, response.refresh_token);
        throw error;
      });
    } finally {
      receiver.close();
    }
  })();
  return {
    result,
    cancel: (reason) => {
      cancelledEarly = reason ?? new AppError('signin.cancelled', 'The sign-in was cancelled.');
      cancel(cancelledEarly);
    },
  };
}

async function acceptTokens(
  input: SignInInput,
  response: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers,
): Promise<SignInResult> {
  input.redactor.register(response.access_token);
  if (response.refresh_token) input.redactor.register(response.refresh_token);
  if (response.id_token) input.redactor.register(response.id_token);
  if (!response.refresh_token) {
    throw new AppError(
      'signin.no_refresh_token',
      `${input.provider.name} did not grant lasting access, so Quicksend could not keep you signed in.`,
      {
        hint: 'Sign in again and allow offline access; for Google, remove Quicksend from your account’s third-party access first.',
      },
    );
  }
  // RFC 6749 section 5.1: no scope in the answer means exactly what was requested was granted.
  const granted = new Set((response.scope ?? input.provider.scopes.join(' ')).split(' ').filter(Boolean));
  const missing = input.provider.requiredScopes.filter((s) => !granted.has(s));
  if (missing.length > 0) {
    throw new AppError(
      'signin.scope_missing',
      'Permission to send mail was not granted, so the account was not added.',
      {
        hint: 'Sign in again and leave the "send email" permission ticked.',
      },
    );
  }
  const identity = await identify(input.config, input.provider, response.claims(), response.access_token);
  if (input.loginHint && input.loginHint.trim().toLowerCase() !== identity.address.toLowerCase()) {
    throw new AppError(
      'signin.address_mismatch',
      `You signed in as ${identity.address}, not ${input.loginHint.trim()}.`,
      {
        hint: 'Sign in with the account you typed, or leave the address empty.',
      },
    );
  }
  const expiresIn = response.expiresIn() ?? 3600;
  return {
    tokens: {
      accessToken: response.access_token,
      refreshToken: response.refresh_token,
      expiresAt: input.clock.now() + expiresIn * 1000,
      scope: [...granted].join(' '),
    },
    identity,
  };
}

export function explainSignInFailure(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const oidc = openidIfLoaded();
  if (oidc && error instanceof oidc.AuthorizationResponseError) {
    const decoded = decodeOAuthError({ error: error.error, description: error.error_description });
    if (error.error === 'access_denied') {
      return new AppError('signin.denied', 'Access was not granted at the provider.', { hint: decoded.hint });
    }
    return new AppError('signin.provider_error', decoded.message, { hint: decoded.hint });
  }
  if (oidc && error instanceof oidc.ResponseBodyError) {
    const decoded = decodeOAuthError({
      error: error.error,
      description: error.error_description,
      status: error.status,
    });
    return new AppError('signin.exchange_failed', decoded.message, {
      hint: decoded.hint ?? 'Start the sign-in again.',
    });
  }
  // openid-client wraps oauth4webapi's precise message in `cause`.
  const messages = [error, (error as { cause?: unknown }).cause]
    .map((e) => (e instanceof Error ? e.message : ''))
    .join(' ');
  if (/"iss" \(issuer\) response parameter/.test(messages)) {
    return new AppError(
      'signin.issuer_mismatch',
      'The sign-in answer came from a different provider than the one Quicksend asked, so it was refused.',
      {
        hint: 'Start the sign-in again. If it repeats, something may be interfering with your browser.',
      },
    );
  }
  const code = (error as { code?: string }).code;
  if (code && code.startsWith('OAUTH_')) {
    return new AppError(
      'signin.invalid_answer',
      'The provider’s answer failed Quicksend’s security checks, so it was refused.',
      {
        hint: 'Start the sign-in again.',
      },
    );
  }
  return new AppError('signin.provider_unreachable', 'Quicksend could not reach the provider to finish signing in.', {
    hint: 'Check your connection and try again.',
  });
}
