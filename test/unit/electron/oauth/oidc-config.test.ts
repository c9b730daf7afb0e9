/**
 * Discovery rules, and Microsoft's multi-tenant issuer: all provider traffic is answered
 * in-process by the injected fetch (no network), with ID tokens signed by a local key.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import * as client from 'openid-client';
import { describe, expect, test } from 'vitest';
import { microsoft } from '../../../../electron/accounts/providers';
import type { ProviderDefinition } from '../../../../electron/oauth/provider-definition';
import { checkIssuerUrl, discoverProvider } from '../../../../electron/oauth/oidc-config';

const b64 = (value: object | Buffer) =>
  (Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value))).toString('base64url');

function jwt(key: KeyObject, kid: string, claims: Record<string, unknown>): string {
  const head = b64({ alg: 'RS256', typ: 'JWT', kid });
  const body = b64(claims);
  return `${head}.${body}.${b64(sign('sha256', Buffer.from(`${head}.${body}`), key))}`;
}

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const OTHER_TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';
const CLIENT_ID = '11111111-2222-3333-4444-555555555555';
const base = 'https://login.microsoftonline.com';

function fakeMicrosoft(idTokenClaims: (now: number) => Record<string, unknown>, signer?: KeyObject) {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const requested: string[] = [];
  const fetchImpl = (async (input: string | URL | Request) => {
    const url = String(input);
    requested.push(url);
    const json = (body: unknown) =>
      new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
    if (url === `${base}/common/v2.0/.well-known/openid-configuration`) {
      return json({
        issuer: `${base}/{tenantid}/v2.0`,
        authorization_endpoint: `${base}/common/oauth2/v2.0/authorize`,
        token_endpoint: `${base}/common/oauth2/v2.0/token`,
        jwks_uri: `${base}/common/discovery/v2.0/keys`,
        response_types_supported: ['code'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['plain', 'S256'],
      });
    }
    if (url === `${base}/common/discovery/v2.0/keys`)
      return json({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k1', use: 'sig', alg: 'RS256' }] });
    if (url === `${base}/common/oauth2/v2.0/token`) {
      const now = Math.floor(Date.now() / 1000);
      return json({
        token_type: 'Bearer',
        access_token: 'at',
        refresh_token: 'rt',
        expires_in: 3600,
        scope: 'https://outlook.office.com/SMTP.Send',
        id_token: jwt(signer ?? privateKey, 'k1', idTokenClaims(now)),
      });
    }
    return new Response('not found', { status: 404 });
  }) as typeof fetch;
  return { fetchImpl, requested };
}

const goodClaims = (now: number) => ({
  iss: `${base}/${TENANT}/v2.0`,
  tid: TENANT,
  aud: CLIENT_ID,
  sub: 'subject',
  nonce: 'n-1',
  iat: now,
  exp: now + 3600,
  preferred_username: 'ann@contoso.com',
});

async function exchange(fetchImpl: typeof fetch) {
  const config = await discoverProvider(microsoft, { clientId: CLIENT_ID }, { fetch: fetchImpl, development: false });
  return client.authorizationCodeGrant(config, new URL('http://127.0.0.1:50000/callback?code=c&state=s'), {
    pkceCodeVerifier: client.randomPKCECodeVerifier(),
    expectedState: 's',
    expectedNonce: 'n-1',
    idTokenExpected: true,
  });
}

describe('Microsoft multi-tenant issuer', () => {
  test('an ID token from the signed-in tenant is accepted', async () => {
    const { fetchImpl, requested } = fakeMicrosoft(goodClaims);
    const tokens = await exchange(fetchImpl);
    expect(tokens.claims()).toMatchObject({ tid: TENANT, preferred_username: 'ann@contoso.com' });
    expect(requested.every((u) => u.startsWith(base))).toBe(true);
  });

  test.each([
    ['an issuer of another tenant than its tid', (now: number) => ({ ...goodClaims(now), tid: OTHER_TENANT })],
    ['another audience', (now: number) => ({ ...goodClaims(now), aud: 'someone-else' })],
    ['an expired token', (now: number) => ({ ...goodClaims(now), iat: now - 7200, exp: now - 3600 })],
    ['a wrong nonce', (now: number) => ({ ...goodClaims(now), nonce: 'replayed' })],
    ['a non-Microsoft issuer', (now: number) => ({ ...goodClaims(now), iss: 'https://evil.example/v2.0' })],
  ])('an ID token with %s is refused', async (_name, claims) => {
    const { fetchImpl } = fakeMicrosoft(claims);
    await expect(exchange(fetchImpl)).rejects.toThrow();
  });

  test('an ID token signed by another key is refused', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const { fetchImpl } = fakeMicrosoft(goodClaims, privateKey);
    await expect(exchange(fetchImpl)).rejects.toThrow();
  });
});

describe('discovery rules', () => {
  test('issuers must be https; loopback http only in development', () => {
    expect(() => checkIssuerUrl('http://login.example.com', false)).toThrow(
      expect.objectContaining({ code: 'provider.insecure_issuer' }),
    );
    expect(() => checkIssuerUrl('http://127.0.0.1:4000', false)).toThrow(
      expect.objectContaining({ code: 'provider.insecure_issuer' }),
    );
    expect(checkIssuerUrl('http://127.0.0.1:4000', true).host).toBe('127.0.0.1:4000');
    expect(() => checkIssuerUrl('http://10.0.0.5', true)).toThrow(
      expect.objectContaining({ code: 'provider.insecure_issuer' }),
    );
    expect(() => checkIssuerUrl('https://user:pw@login.example.com', false)).toThrow();
    expect(() => checkIssuerUrl('not a url', false)).toThrow(expect.objectContaining({ code: 'provider.bad_issuer' }));
  });

  const custom: ProviderDefinition = {
    ...microsoft,
    id: 'custom-x',
    kind: 'custom',
    name: 'Example',
    issuer: 'https://id.example.com',
  };

  test('metadata without the needed endpoints is explained', async () => {
    const fetchImpl = (async () =>
      new Response(JSON.stringify({ issuer: 'https://id.example.com', jwks_uri: 'https://id.example.com/jwks' }), {
        headers: { 'content-type': 'application/json' },
      })) as typeof fetch;
    await expect(
      discoverProvider(custom, { clientId: 'x' }, { fetch: fetchImpl, development: false }),
    ).rejects.toMatchObject({ code: 'provider.bad_metadata' });
  });

  test('a provider that answers garbage is explained', async () => {
    const fetchImpl = (async () =>
      new Response('<html>hello</html>', { headers: { 'content-type': 'text/html' } })) as typeof fetch;
    await expect(
      discoverProvider(custom, { clientId: 'x' }, { fetch: fetchImpl, development: false }),
    ).rejects.toMatchObject({ code: 'provider.bad_metadata' });
  });

  test('an unreachable provider is explained', async () => {
    const fetchImpl = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    await expect(
      discoverProvider(custom, { clientId: 'x' }, { fetch: fetchImpl, development: false }),
    ).rejects.toMatchObject({ code: 'provider.unreachable' });
  });

  test('a provider without S256 PKCE is refused', async () => {
    const fetchImpl = (async () =>
      new Response(
        JSON.stringify({
          issuer: 'https://id.example.com',
          authorization_endpoint: 'https://id.example.com/a',
          token_endpoint: 'https://id.example.com/t',
          code_challenge_methods_supported: ['plain'],
        }),
        { headers: { 'content-type': 'application/json' } },
      )) as typeof fetch;
    await expect(
      discoverProvider(custom, { clientId: 'x' }, { fetch: fetchImpl, development: false }),
    ).rejects.toMatchObject({ code: 'provider.no_pkce' });
  });
});
