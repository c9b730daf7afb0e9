/**
 * Turns a provider definition plus a client id into an openid-client Configuration by
 * discovery. openid-client does the protocol work (PKCE, state, nonce, RFC 9207 `iss`, ID
 * token checks); this module only decides what is allowed and explains failures.
 *
 * Microsoft's multi-tenant `common` endpoint publishes the issuer as a template
 * (`https://login.microsoftonline.com/{tenantid}/v2.0`) while ID tokens carry the real tenant.
 * openid-client 6.9 handles exactly this for login.microsoftonline.com: the ID token's `iss`
 * must equal the template with the token's own `tid` filled in, while signature (the common
 * JWKS), audience, expiry and nonce stay strictly checked
 * (node_modules/openid-client/build/index.js, `handleEntraId` and `_expectedIssuer`). We rely on
 * it rather than turning issuer validation off, and turn on ID token signature checks, which
 * openid-client leaves off for token endpoint answers; test/unit/electron/oauth/oidc-config.test.ts
 * proves a token from the wrong tenant, audience, nonce, expiry or key is still refused.
 */
import type * as OpenIdTypes from 'openid-client';
import { openid } from './openid';
import type { ProviderDefinition } from './provider-definition';
import type { ProviderDiscovery } from '../ipc/contract';
import { AppError } from '../shared/errors';
import type { Fetch } from '../shared/ports';

export type OidcEnvironment = {
  fetch: Fetch;
  /** Tests, demo and web host: allows http://127.0.0.1 issuers (the sandbox). */
  development: boolean;
  /** Seconds per request to the provider (default 30). */
  timeoutSeconds?: number;
  /**
   * Seconds a refresh request may take (default 300). Long on purpose: a provider may rotate
   * the refresh token and then answer slowly, and giving up would lose the new token.
   */
  refreshTimeoutSeconds?: number;
};

export type ClientCredentials = { clientId: string; clientSecret?: string | undefined };

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Checks an issuer URL before anything is fetched: https, or loopback http in development. */
export function checkIssuerUrl(issuer: string, development: boolean): URL {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new AppError('provider.bad_issuer', 'That issuer is not a valid web address.', {
      hint: 'It looks like https://login.example.com',
    });
  }
  if (url.protocol === 'https:' && !url.username && !url.password) return url;
  if (development && url.protocol === 'http:' && LOOPBACK.has(url.hostname)) return url;
  throw new AppError('provider.insecure_issuer', 'The issuer must use https.', {
    hint: 'Sign-in over plain http would expose your tokens; use the provider’s https address.',
  });
}

/**
 * Discovers the provider (within `env.timeoutSeconds`) and returns a configuration whose
 * requests may each take `requestTimeoutSeconds` (default: the same).
 */
export async function discoverProvider(
  provider: ProviderDefinition,
  credentials: ClientCredentials,
  env: OidcEnvironment,
  requestTimeoutSeconds = env.timeoutSeconds ?? 30,
): Promise<OpenIdTypes.Configuration> {
  const url = checkIssuerUrl(provider.issuer, env.development);
  const insecure = url.protocol === 'http:';
  const client = await openid();
  const auth = credentials.clientSecret ? client.ClientSecretPost(credentials.clientSecret) : client.None();
  let config: OpenIdTypes.Configuration;
  try {
    config = await client.discovery(url, credentials.clientId, undefined, auth, {
      execute: insecure ? [client.allowInsecureRequests] : [],
      [client.customFetch]: (input: string, init: OpenIdTypes.CustomFetchOptions) =>
        env.fetch(input, init as RequestInit),
      timeout: env.timeoutSeconds ?? 30,
    });
  } catch (error) {
    throw explainDiscoveryFailure(provider, error);
  }
  if (insecure) client.allowInsecureRequests(config);
  // ID tokens from the token endpoint may be trusted on TLS alone (OIDC Core 3.1.3.7), and
  // openid-client does so by default. We also verify their signatures against the provider's
  // JWKS, so the tenant and audience checks above rest on a signed token, not only on TLS.
  client.enableNonRepudiationChecks(config);
  config.timeout = requestTimeoutSeconds;
  const metadata = config.serverMetadata();
  if (!metadata.authorization_endpoint || !metadata.token_endpoint) {
    throw new AppError(
      'provider.bad_metadata',
      `${provider.name} does not offer the sign-in endpoints Quicksend needs.`,
      {
        hint: 'The discovery document lacks an authorization or token endpoint.',
      },
    );
  }
  const pkce = metadata.code_challenge_methods_supported;
  if (pkce && !pkce.includes('S256')) {
    throw new AppError(
      'provider.no_pkce',
      `${provider.name} does not support PKCE with S256, which Quicksend requires.`,
    );
  }
  return config;
}

/** What a discovered configuration offers, for the person to judge before saving a provider. */
export function summarizeDiscovery(config: OpenIdTypes.Configuration): ProviderDiscovery {
  const metadata = config.serverMetadata();
  const listed = (list: string[] | undefined, value: string) =>
    list === undefined ? 'not-published' : list.includes(value) ? 'advertised' : 'not-advertised';
  return {
    issuer: metadata.issuer,
    pkceMethods: metadata.code_challenge_methods_supported ?? [],
    userInfo: !!metadata.userinfo_endpoint,
    revocation: !!metadata.revocation_endpoint,
    refreshTokenGrant: listed(metadata.grant_types_supported, 'refresh_token'),
    offlineAccess: listed(metadata.scopes_supported, 'offline_access'),
  };
}

function explainDiscoveryFailure(provider: ProviderDefinition, error: unknown): AppError {
  if (error instanceof AppError) return error;
  const code = (error as { code?: string }).code;
  if (
    code === 'OAUTH_RESPONSE_IS_NOT_JSON' ||
    code === 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED' ||
    code === 'OAUTH_INVALID_RESPONSE' ||
    code === 'OAUTH_RESPONSE_IS_NOT_CONFORM'
  ) {
    return new AppError(
      'provider.bad_metadata',
      `${provider.name} answered, but not with a valid OpenID Connect discovery document.`,
      {
        hint: 'Check the issuer address: it is the part before /.well-known/openid-configuration.',
        cause: error,
      },
    );
  }
  return new AppError('provider.unreachable', `Quicksend could not reach ${provider.name}.`, {
    hint: 'Check your internet connection (and proxy), then try again.',
    cause: error,
  });
}
