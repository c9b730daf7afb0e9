/**
 * Who signed in: the mailbox address Quicksend sends as, from verified claims only.
 *
 * OpenID Connect Core 5.4 puts scope-derived claims such as `email` at the UserInfo endpoint;
 * a provider adds them to the ID token only when asked for them (section 5.5) or when no access
 * token is issued. Google and Microsoft put them in the ID token anyway, oidc-provider and
 * other spec-conforming providers do not. So the address comes from the ID token, or else from
 * UserInfo, fetched with the ID token's `sub` as the expected subject (section 5.3.2: a
 * UserInfo answer for another subject must not be used), and only with `email_verified: true`.
 */
import type * as client from 'openid-client';
import { openid } from './openid';
import type { ProviderDefinition } from './provider-definition';
import { AppError } from '../shared/errors';

/** The person behind a sign-in. */
export type SignInIdentity = { subject: string; address: string; name: string };

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() ? value : undefined);

/**
 * The verified address for a sign-in; asks the UserInfo endpoint (with the access token just
 * issued) when the ID token does not carry a verified `email`. Throws typed errors.
 */
export async function identify(
  config: client.Configuration,
  provider: ProviderDefinition,
  claims: client.IDToken | undefined,
  accessToken: string,
): Promise<SignInIdentity> {
  if (!claims) throw new AppError('signin.no_identity', `${provider.name} did not say who signed in.`);
  const name = text(claims.name) ?? '';
  const email = text(claims.email);
  if (email && claims.email_verified === true) return { subject: claims.sub, address: email, name };
  if (provider.kind === 'microsoft') {
    // Microsoft sends no email_verified and its UserInfo lives on Graph, which the Outlook
    // token cannot call; its XOAUTH2 login is the user principal name.
    const upn = text(claims.preferred_username);
    if (upn && upn.includes('@')) return { subject: claims.sub, address: upn, name };
    throw noVerifiedAddress(provider);
  }
  if (!config.serverMetadata().userinfo_endpoint)
    throw noVerifiedAddress(
      provider,
      'It offers no UserInfo endpoint, and its ID token carried no verified email address.',
    );
  const info = await (await openid()).fetchUserInfo(config, accessToken, claims.sub).catch((error: unknown) => {
    throw explainUserInfoFailure(provider, error);
  });
  const fromInfo = text(info.email);
  if (fromInfo && info.email_verified === true)
    return { subject: claims.sub, address: fromInfo, name: name || (text(info.name) ?? '') };
  throw noVerifiedAddress(provider);
}

function noVerifiedAddress(provider: ProviderDefinition, detail?: string): AppError {
  return new AppError(
    'signin.no_verified_address',
    `${provider.name} did not confirm an email address for this account.`,
    {
      hint: detail
        ? `${detail} Use an account with a verified email address, and include the email scope.`
        : 'Use an account with a verified email address, and include the email scope.',
    },
  );
}

function explainUserInfoFailure(provider: ProviderDefinition, error: unknown): AppError {
  const code = (error as { code?: string }).code;
  if (code === 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED') {
    return new AppError(
      'signin.invalid_answer',
      `${provider.name} described a different account than the one that signed in, so the sign-in was refused.`,
      {
        hint: 'Start the sign-in again. If it repeats, tell the provider’s administrator.',
        cause: error,
      },
    );
  }
  if (code && code.startsWith('OAUTH_')) {
    return new AppError(
      'signin.userinfo_failed',
      `${provider.name} did not tell Quicksend the account’s email address.`,
      {
        hint: 'Its UserInfo endpoint refused the request; check that the client may use the openid and email scopes.',
        cause: error,
      },
    );
  }
  return new AppError('signin.provider_unreachable', 'Quicksend could not reach the provider to finish signing in.', {
    hint: 'Check your connection and try again.',
    cause: error,
  });
}
