/**
 * The identity providers Quicksend knows, as data: where to sign in, which scopes sending
 * needs, how to reach SMTP, how large a message may be (the shape is oauth/provider-definition.ts).
 * Client ids are not here: they come from the person (settings) or from the build (see
 * client-ids.ts), never from the repository.
 */
import type { ProviderDefinition, SmtpEndpoint } from '../oauth/provider-definition';

const MB = 1024 * 1024;

/** Gmail and Google Workspace: refresh tokens need offline access and consent every time. */
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

/** Microsoft 365 and Outlook.com: a public client with PKCE, no revocation endpoint. */
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
  helpUrl:
    'https://learn.microsoft.com/exchange/client-developer/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth',
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

/** The presets every build offers (the sandbox joins them in development only). */
export const builtInProviders: readonly ProviderDefinition[] = [google, microsoft];

/** Where every provider sends the browser back (RFC 8252 section 7.3: any port on loopback). */
export const REGISTERED_REDIRECT_URI = 'http://127.0.0.1/callback';
