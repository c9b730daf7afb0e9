/**
 * What Quicksend needs to know about an identity provider: where to sign in, which scopes
 * sending needs, how to reach its SMTP server, how large a message may be. The presets are data
 * in accounts/providers.ts; custom providers are stored in the settings file, so the schema here
 * is what a stored entry must satisfy to be used (accounts/provider-settings.ts reads them).
 */
import { z } from 'zod';
import { EXTRA_AUTHORIZATION_PARAMS, smtpSecuritySchema } from '../ipc/contract';

/** A provider's (or account's) SMTP server as stored; the contract's form limits what comes in. */
const smtpEndpointSchema = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  /** `tls`: implicit TLS (465); `starttls`: upgrade required (587); `none`: loopback + development only. */
  security: smtpSecuritySchema,
  /** PEM of an extra certificate authority for a self-hosted server; added to the system roots. */
  extraCa: z.string().optional(),
  /** Sign in with OAUTHBEARER (RFC 7628) when the server offers it beside XOAUTH2. */
  preferOAuthBearer: z.boolean().optional(),
});

/** Where and how an account's mail is submitted. */
export type SmtpEndpoint = z.output<typeof smtpEndpointSchema>;

/**
 * A provider as data. Parsing a stored custom provider with this schema (rather than trusting
 * the settings file's shape) means a damaged or hand-edited entry is left out instead of
 * failing later inside a sign-in or a send.
 */
export const providerDefinitionSchema = z.object({
  id: z.string().min(1),
  /** Which preset a provider follows; `custom` and `sandbox` follow the standards only. */
  kind: z.enum(['google', 'microsoft', 'custom', 'sandbox']),
  name: z.string(),
  /** Discovery base (RFC 8414 / OIDC Discovery). */
  issuer: z.string().min(1),
  /** Everything requested at sign-in. */
  scopes: z.array(z.string()),
  /** Scopes without which sending cannot work; a grant lacking one is refused. */
  requiredScopes: z.array(z.string()),
  /**
   * The provider's own documented parameters; {@link authorizationParams} adds the standard
   * ones. Stored entries of older versions may carry any key: the allow-list applies on use.
   */
  extraAuthorizationParams: z.record(z.string(), z.string()),
  smtp: smtpEndpointSchema,
  /** Largest message the provider accepts, after base64 encoding. */
  attachmentLimitBytes: z.number().nonnegative(),
  /** RFC 7009 token revocation is offered (Microsoft has none). */
  supportsRevocation: z.boolean(),
  /** Google issues a (non-confidential) secret even to desktop clients and expects it back. */
  needsClientSecret: z.boolean(),
  helpUrl: z.string(),
});

/** An identity provider Quicksend can sign in with and send through. */
export type ProviderDefinition = z.output<typeof providerDefinitionSchema>;

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
    const value = Object.hasOwn(provider.extraAuthorizationParams, key)
      ? provider.extraAuthorizationParams[key]
      : undefined;
    if (typeof value === 'string') params[key] = value;
  }
  if (provider.scopes.includes('offline_access')) params.prompt = 'consent';
  return params;
}
