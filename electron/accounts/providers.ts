/**
 * The identity providers Quicksend knows, as data: where to sign in, which scopes sending
 * needs, how to reach SMTP, how large a message may be. Client ids are not here: they come
 * from the person (settings) or from the build (see client-ids.ts), never from the repository.
 */
import { EXTRA_AUTHORIZATION_PARAMS } from '../ipc/contract';
import type { SmtpEndpoint } from './sending-account';

export type ProviderKind = 'google' | 'microsoft' | 'custom' | 'sandbox';

export type ProviderDefinition = {
  id: string;
  kind: ProviderKind;
  name: string;
  /** Discovery base (RFC 8414 / OIDC Discovery). */
  issuer: string;
  /** Everything requested at sign-in. */
  scopes: string[];
  /** Scopes without which sending cannot work; a grant lacking one is refused. */
  requiredScopes: string[];
  /** The provider's own documented parameters; {@link authorizationParams} adds the standard ones. */
  extraAuthorizationParams: Record<string, string>;
  smtp: SmtpEndpoint;
  /** Largest message the provider accepts, after base64 encoding. */
  attachmentLimitBytes: number;
  /** RFC 7009 token revocation is offered (Microsoft has none). */
  supportsRevocation: boolean;
  /** Google issues a (non-confidential) secret even to desktop clients and expects it back. */
  needsClientSecret: boolean;
  helpUrl: string;
};

const MB = 1024 * 1024;

export const google: ProviderDefinition = {
  id: 'google',
  kind: 'google',
  name: 'Google (Gmail, Workspace)',
  issuer: 'https://accounts.google.com',
  scopes: ['openid', 'email', 'https://mail.google.com/'],
  requiredScopes: ['https://mail.google.com/'],
  // Google returns a refresh token only with offline access, and again only with prompt=consent.
  extraAuthorizationParams: { access_type: 'offline', prompt: 'consent' },
  smtp: { host: 'smtp.gmail.com', port: 465, security: 'tls' },
  attachmentLimitBytes: 25 * MB,
  supportsRevocation: true,
  needsClientSecret: true,
  helpUrl: 'https://developers.google.com/identity/protocols/oauth2/native-app',
};

export const microsoft: ProviderDefinition = {
  id: 'microsoft',
  kind: 'microsoft',
  name: 'Microsoft 365 / Outlook.com',
  // The multi-tenant endpoint: see oauth/oidc-config.ts for how its templated issuer is checked.
  issuer: 'https://login.microsoftonline.com/common/v2.0',
  scopes: ['openid', 'email', 'offline_access', 'https://outlook.office.com/SMTP.Send'],
  requiredScopes: ['https://outlook.office.com/SMTP.Send'],
  extraAuthorizationParams: { prompt: 'select_account' },
  smtp: { host: 'smtp.office365.com', port: 587, security: 'starttls' },
  attachmentLimitBytes: 35 * MB,
  supportsRevocation: false,
  needsClientSecret: false,
  helpUrl: 'https://learn.microsoft.com/exchange/client-developer/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth',
};

/** The local test provider (development flag only): the sandbox's issuer and SMTP server. */
export function sandboxProvider(input: { issuer: string; smtp: SmtpEndpoint; mailScope: string }): ProviderDefinition {
  return {
    id: 'sandbox',
    kind: 'sandbox',
    name: 'Sandbox (local test provider)',
    issuer: input.issuer,
    scopes: ['openid', 'email', 'profile', 'offline_access', input.mailScope],
    requiredScopes: [input.mailScope],
    // A standard-following provider: the offline_access rule in authorizationParams applies.
    extraAuthorizationParams: {},
    smtp: input.smtp,
    attachmentLimitBytes: 25 * MB,
    supportsRevocation: true,
    needsClientSecret: false,
    helpUrl: 'https://quicksend.invalid/sandbox',
  };
}

/**
 * The authorization request parameters a provider gets beyond PKCE, state, nonce, redirect and
 * scope (which the sign-in sets last, so nothing here can replace them).
 *
 * A custom provider may add only the allow-listed extras of the contract
 * (`EXTRA_AUTHORIZATION_PARAMS`); entries stored by an older version with other keys are
 * dropped here too. Providers that follow the standard (custom ones and the sandbox) get
 * `prompt=consent` whenever they ask for `offline_access`: OpenID Connect Core 1.0 section 11
 * lets a provider ignore `offline_access` otherwise, and oidc-provider does, so no refresh token
 * comes back. The presets keep their documented parameters instead: Google's
 * `access_type=offline` with `prompt=consent`, Microsoft's `prompt=select_account` (forcing
 * consent there blocks tenants where users may not consent themselves).
 */
export function authorizationParams(provider: ProviderDefinition): Record<string, string> {
  const standard = provider.kind === 'custom' || provider.kind === 'sandbox';
  if (!standard) return { ...provider.extraAuthorizationParams };
  const params: Record<string, string> = {};
  for (const key of EXTRA_AUTHORIZATION_PARAMS) {
    const value = Object.hasOwn(provider.extraAuthorizationParams, key) ? provider.extraAuthorizationParams[key] : undefined;
    if (typeof value === 'string') params[key] = value;
  }
  if (provider.scopes.includes('offline_access')) params.prompt = 'consent';
  return params;
}

export const builtInProviders: readonly ProviderDefinition[] = [google, microsoft];

/** Where every provider sends the browser back (RFC 8252 section 7.3: any port on loopback). */
export const REGISTERED_REDIRECT_URI = 'http://127.0.0.1/callback';
