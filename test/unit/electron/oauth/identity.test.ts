/**
 * Where the address comes from: verified ID token claims, else the UserInfo endpoint with the
 * subject checked. The provider is answered in-process by an injected fetch (no network).
 */
import * as client from 'openid-client';
import { describe, expect, test } from 'vitest';
import { google, microsoft } from '../../../../electron/accounts/providers';
import type { ProviderDefinition } from '../../../../electron/oauth/provider-definition';
import { identify } from '../../../../electron/oauth/identity';

const ISSUER = 'https://id.example.com';
const custom: ProviderDefinition = { ...google, id: 'custom-1', kind: 'custom', name: 'Example ID', issuer: ISSUER };

function provider(userInfo: ((auth: string | null) => Response) | undefined) {
  const requests: string[] = [];
  const metadata: client.ServerMetadata = {
    issuer: ISSUER,
    authorization_endpoint: `${ISSUER}/auth`,
    token_endpoint: `${ISSUER}/token`,
    ...(userInfo ? { userinfo_endpoint: `${ISSUER}/me` } : {}),
  };
  const config = new client.Configuration(metadata, 'client-1');
  config[client.customFetch] = async (url, options) => {
    requests.push(url);
    const auth = new Headers(options.headers).get('authorization');
    if (url === `${ISSUER}/me` && userInfo) return userInfo(auth);
    return new Response('not found', { status: 404 });
  };
  return { config, requests };
}

const json = (body: unknown) => new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
const idToken = (claims: Record<string, unknown>) =>
  ({ iss: ISSUER, aud: 'client-1', iat: 0, exp: 1, sub: 'subject-1', ...claims }) as client.IDToken;

describe('identify', () => {
  test('a verified email in the ID token is used without asking UserInfo', async () => {
    const { config, requests } = provider(() =>
      json({ sub: 'subject-1', email: 'other@example.com', email_verified: true }),
    );
    const identity = await identify(
      config,
      custom,
      idToken({ email: 'ann@example.com', email_verified: true, name: 'Ann' }),
      'at',
    );
    expect(identity).toEqual({ subject: 'subject-1', address: 'ann@example.com', name: 'Ann' });
    expect(requests).toEqual([]);
  });

  test('an ID token with only sub: the address comes from UserInfo, asked with the access token', async () => {
    let seenAuth: string | null = null;
    const { config, requests } = provider((auth) => {
      seenAuth = auth;
      return json({ sub: 'subject-1', email: 'ann@example.com', email_verified: true, name: 'Ann Example' });
    });
    expect(await identify(config, custom, idToken({}), 'access-123')).toEqual({
      subject: 'subject-1',
      address: 'ann@example.com',
      name: 'Ann Example',
    });
    expect(requests).toEqual([`${ISSUER}/me`]);
    expect(seenAuth).toBe('Bearer access-123');
  });

  test('an unverified email in the ID token is not used; UserInfo decides', async () => {
    const { config } = provider(() => json({ sub: 'subject-1', email: 'ann@example.com', email_verified: true }));
    expect((await identify(config, custom, idToken({ email: 'ann@example.com' }), 'at')).address).toBe(
      'ann@example.com',
    );
  });

  test('UserInfo for a different subject is refused (the subject check is never skipped)', async () => {
    const { config } = provider(() =>
      json({ sub: 'someone-else', email: 'mallory@example.com', email_verified: true }),
    );
    await expect(identify(config, custom, idToken({}), 'at')).rejects.toMatchObject({ code: 'signin.invalid_answer' });
  });

  test.each([
    ['email_verified false', { email_verified: false }],
    ['email_verified as the string "true"', { email_verified: 'true' }],
    ['no email_verified', {}],
  ])('a UserInfo email with %s is not accepted', async (_name, extra) => {
    const { config } = provider(() => json({ sub: 'subject-1', email: 'ann@example.com', ...extra }));
    await expect(identify(config, custom, idToken({}), 'at')).rejects.toMatchObject({
      code: 'signin.no_verified_address',
    });
  });

  test('no verified email in the ID token and no UserInfo endpoint: refused in plain words', async () => {
    const { config } = provider(undefined);
    await expect(identify(config, custom, idToken({}), 'at')).rejects.toMatchObject({
      code: 'signin.no_verified_address',
      hint: expect.stringContaining('no UserInfo endpoint'),
    });
  });

  test('a UserInfo endpoint that refuses the token is explained', async () => {
    const { config } = provider(
      () => new Response('', { status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_token"' } }),
    );
    await expect(identify(config, custom, idToken({}), 'at')).rejects.toMatchObject({ code: 'signin.userinfo_failed' });
  });

  test('Microsoft: preferred_username without asking UserInfo (its UserInfo is on Graph)', async () => {
    const { config, requests } = provider(() =>
      json({ sub: 'subject-1', email: 'x@example.com', email_verified: true }),
    );
    expect((await identify(config, microsoft, idToken({ preferred_username: 'ann@contoso.com' }), 'at')).address).toBe(
      'ann@contoso.com',
    );
    await expect(
      identify(config, microsoft, idToken({ preferred_username: 'not-an-address' }), 'at'),
    ).rejects.toMatchObject({ code: 'signin.no_verified_address' });
    expect(requests).toEqual([]);
  });
});
