// The sandbox identity provider speaks real OAuth 2.0 / OIDC: checked here with openid-client,
// the library the app itself uses, so a later app failure is the app's and not the sandbox's.
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_MAIL_SCOPE, completeLogin, startSandbox, type Sandbox } from '../../support/sandbox';

const EMAIL = 'demo@quicksend.test';
const SCOPE = `openid email profile offline_access ${SANDBOX_MAIL_SCOPE}`;
// Nothing listens here: completeLogin stops at the redirect and hands us the URL.
const REDIRECT_URI = `http://127.0.0.1:${40_000 + Math.floor(Math.random() * 20_000)}/callback`;

let sandbox: Sandbox;
let config: client.Configuration;

beforeAll(async () => {
  sandbox = await startSandbox();
  config = await discover(sandbox);
}, 20_000);

afterAll(async () => {
  await sandbox?.stop();
}, 10_000);

function discover(target: Sandbox): Promise<client.Configuration> {
  return client.discovery(new URL(target.issuer), target.clientId, undefined, undefined, {
    execute: [client.allowInsecureRequests],
  });
}

/** The app's sign-in: code + PKCE S256, state, nonce, prompt=consent for a refresh token. */
async function signIn(cfg: client.Configuration = config, email = EMAIL) {
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(cfg, {
    redirect_uri: REDIRECT_URI,
    scope: SCOPE,
    prompt: 'consent',
    login_hint: email,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  const callbackUrl = new URL(await completeLogin(url.href, email));
  const tokens = await client.authorizationCodeGrant(cfg, callbackUrl, {
    pkceCodeVerifier: codeVerifier,
    expectedState: state,
    expectedNonce: nonce,
  });
  return { callbackUrl, tokens };
}

/** The OAuth error code a refresh fails with (openid-client's ResponseBodyError.error). */
async function refreshError(refreshToken: string): Promise<string> {
  const error: unknown = await client.refreshTokenGrant(config, refreshToken).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(client.ResponseBodyError);
  return (error as client.ResponseBodyError).error;
}

describe('sandbox identity provider', () => {
  it('binds 127.0.0.1 on an ephemeral port and publishes discovery with revocation', () => {
    expect(sandbox.issuer).toBe(`http://127.0.0.1:${sandbox.port}`);
    const metadata = config.serverMetadata();
    expect(metadata.issuer).toBe(sandbox.issuer);
    expect(metadata.authorization_endpoint).toBe(`${sandbox.issuer}/auth`);
    expect(metadata.token_endpoint).toBe(`${sandbox.issuer}/token`);
    expect(metadata.revocation_endpoint).toBe(`${sandbox.issuer}/token/revocation`);
    expect(metadata.introspection_endpoint).toBe(`${sandbox.issuer}/token/introspection`);
    expect(metadata.jwks_uri).toBe(`${sandbox.issuer}/jwks`);
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
    expect(metadata.authorization_response_iss_parameter_supported).toBe(true);
    expect(metadata.scopes_supported).toEqual(expect.arrayContaining(SCOPE.split(' ')));
    expect(metadata.response_types_supported).toEqual(['code']);
  }, 10_000);

  it('completes code + PKCE and issues access, refresh and ID tokens; as the standard says, the email is at UserInfo, not in the ID token', async () => {
    const before = sandbox.tokenRequests();
    const { callbackUrl, tokens } = await signIn();

    expect(callbackUrl.origin).not.toBe(sandbox.issuer);
    expect(callbackUrl.searchParams.get('iss')).toBe(sandbox.issuer); // RFC 9207
    expect(tokens.access_token).toEqual(expect.any(String));
    expect(tokens.refresh_token).toEqual(expect.any(String));
    expect(tokens.id_token).toEqual(expect.any(String));
    expect(tokens.scope?.split(' ')).toContain(SANDBOX_MAIL_SCOPE);
    expect(tokens.expiresIn()).toBeGreaterThan(3500);
    const claims = tokens.claims()!;
    expect(claims.sub).toBe(sandbox.users[0]?.sub);
    expect(claims).not.toHaveProperty('email');
    expect(claims).not.toHaveProperty('name');
    expect(await client.fetchUserInfo(config, tokens.access_token, claims.sub)).toEqual({
      sub: claims.sub,
      email: EMAIL,
      email_verified: true,
      name: 'Demo User',
    });
    expect(sandbox.tokenRequests().authorizationCode).toBe(before.authorizationCode + 1);
  }, 10_000);

  it('introspects an access token as active with the mail scope, sub and email', async () => {
    const { tokens } = await signIn();
    const result = await sandbox.introspect(tokens.access_token);
    expect(result).toMatchObject({
      active: true,
      sub: sandbox.users[0]?.sub,
      email: EMAIL,
      client_id: sandbox.clientId,
    });
    expect(result.scope?.split(' ')).toContain(SANDBOX_MAIL_SCOPE);
    expect(await sandbox.introspect('not-a-token')).toEqual({ active: false });
  }, 10_000);

  it('rotates refresh tokens; replaying a used one fails and revokes the whole grant', async () => {
    const { tokens } = await signIn();
    const oldRefresh = tokens.refresh_token ?? '';
    const before = sandbox.tokenRequests();

    const rotated = await client.refreshTokenGrant(config, oldRefresh);
    expect(rotated.refresh_token).toEqual(expect.any(String));
    expect(rotated.refresh_token).not.toBe(oldRefresh);
    const newest = await client.refreshTokenGrant(config, rotated.refresh_token ?? '');
    expect((await sandbox.introspect(newest.access_token)).active).toBe(true);

    expect(await refreshError(oldRefresh)).toBe('invalid_grant');
    // oidc-provider treats a replayed refresh token as theft (OAuth 2.0 Security BCP 4.14.2)
    // and revokes the grant: the app must store each rotated token before using it.
    expect(await refreshError(newest.refresh_token ?? '')).toBe('invalid_grant');
    expect((await sandbox.introspect(newest.access_token)).active).toBe(false);
    expect(sandbox.tokenRequests().refreshToken).toBe(before.refreshToken + 4);
  }, 10_000);

  it('advertises what a standard client checks: refresh_token grant, offline_access, UserInfo', () => {
    const metadata = config.serverMetadata();
    expect(metadata.grant_types_supported).toEqual(expect.arrayContaining(['authorization_code', 'refresh_token']));
    expect(metadata.scopes_supported).toContain('offline_access');
    expect(metadata.userinfo_endpoint).toBe(`${sandbox.issuer}/me`);
  });

  it('without prompt=consent it drops offline_access and issues no refresh token (OIDC Core 11)', async () => {
    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: SCOPE,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: 'no-consent',
    });
    const callbackUrl = new URL(await completeLogin(url.href, EMAIL));
    const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: verifier,
      expectedState: 'no-consent',
    });
    expect(tokens.access_token).toEqual(expect.any(String));
    expect(tokens.refresh_token).toBeUndefined();
  }, 10_000);

  it('holds back a processed token answer: the refresh token is already rotated while the answer waits', async () => {
    const { tokens } = await signIn();
    const oldRefresh = tokens.refresh_token ?? '';
    const hold = sandbox.holdTokenAnswers();
    try {
      const answer = client.refreshTokenGrant(config, oldRefresh);
      await hold.whenHeld(1);
      // The work is done: the old refresh token is spent although no answer has left yet.
      expect((await sandbox.introspect(oldRefresh)).active).toBe(false);
      hold.release();
      const rotated = await answer;
      expect(rotated.refresh_token).not.toBe(oldRefresh);
      expect((await sandbox.introspect(rotated.refresh_token ?? '')).active).toBe(true);
      expect(hold.held()).toBe(1);
    } finally {
      hold.release();
    }
  }, 10_000);

  it('holds each answer for the given time when asked to, then sends it', async () => {
    const { tokens } = await signIn();
    const hold = sandbox.holdTokenAnswers({ ms: 300 });
    try {
      const rotated = await client.refreshTokenGrant(config, tokens.refresh_token ?? '');
      expect(hold.held()).toBe(1);
      expect((await sandbox.introspect(rotated.access_token)).active).toBe(true);
    } finally {
      hold.release();
    }
  }, 10_000);

  it('makes refresh fail with invalid_grant after the refresh token is revoked', async () => {
    const { tokens } = await signIn();
    await client.tokenRevocation(config, tokens.refresh_token ?? '', { token_type_hint: 'refresh_token' });
    expect(await refreshError(tokens.refresh_token ?? '')).toBe('invalid_grant');
    expect((await sandbox.introspect(tokens.access_token)).active).toBe(false);
  }, 10_000);

  it('revokeAllFor(email) ends every grant of the user', async () => {
    const first = await signIn();
    const second = await signIn();
    await sandbox.revokeAllFor(EMAIL);
    expect(await refreshError(first.tokens.refresh_token ?? '')).toBe('invalid_grant');
    expect(await refreshError(second.tokens.refresh_token ?? '')).toBe('invalid_grant');
    expect((await sandbox.introspect(second.tokens.access_token)).active).toBe(false);
  }, 10_000);

  it('refuses an authorization request without PKCE', async () => {
    const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: SCOPE, state: 'no-pkce' });
    const callbackUrl = new URL(await completeLogin(url.href, EMAIL));
    expect(callbackUrl.searchParams.get('error')).toBe('invalid_request');
    expect(callbackUrl.searchParams.get('code')).toBeNull();
    expect(callbackUrl.searchParams.get('state')).toBe('no-pkce');
  }, 10_000);

  it('serves a login form with stable hooks and rejects an unknown email', async () => {
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: SCOPE,
      prompt: 'consent',
      login_hint: 'someone@else.test',
      code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    const redirect = await fetch(url, { redirect: 'manual' });
    const page = await fetch(new URL(redirect.headers.get('location') ?? '', sandbox.issuer), {
      headers: {
        cookie: redirect.headers
          .getSetCookie()
          .map((c) => c.split(';')[0])
          .join('; '),
      },
    });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('<label for="email">Email</label>');
    expect(html).toMatch(/<input id="email"[^>]*value="someone@else.test"/);
    expect(html).toContain('<button id="sign-in" type="submit">Sign in</button>');

    await expect(completeLogin(url.href, 'someone@else.test')).rejects.toThrow(/no sandbox account/);
  }, 10_000);
});

describe('sandbox identity provider with short lifetimes', () => {
  let shortLived: Sandbox;
  beforeAll(async () => {
    shortLived = await startSandbox({ accessTokenTtlSeconds: 5, users: [{ email: 'ada@sandbox.test', name: 'Ada' }] });
  }, 20_000);
  afterAll(async () => {
    await shortLived?.stop();
  }, 10_000);

  it('issues access tokens with the configured lifetime to the configured user', async () => {
    const { tokens } = await signIn(await discover(shortLived), 'ada@sandbox.test');
    expect(tokens.expires_in).toBe(5);
    const userInfo = await client.fetchUserInfo(await discover(shortLived), tokens.access_token, tokens.claims()!.sub);
    expect(userInfo).toMatchObject({ email: 'ada@sandbox.test', name: 'Ada' });
  }, 10_000);
});

describe('sandbox identity provider options', () => {
  let googleLike: Sandbox;
  beforeAll(async () => {
    googleLike = await startSandbox({
      emailInIdToken: true,
      users: [
        { email: 'ada@sandbox.test', name: 'Ada' },
        { email: 'unverified@sandbox.test', emailVerified: false },
      ],
    });
  }, 20_000);
  afterAll(async () => {
    await googleLike?.stop();
  }, 10_000);

  it('emailInIdToken (Google-like) puts email, email_verified and name into the ID token', async () => {
    const { tokens } = await signIn(await discover(googleLike), 'ada@sandbox.test');
    expect(tokens.claims()).toMatchObject({ email: 'ada@sandbox.test', email_verified: true, name: 'Ada' });
  }, 10_000);

  it('a user with emailVerified: false has email_verified false wherever the email appears', async () => {
    const cfg = await discover(googleLike);
    const { tokens } = await signIn(cfg, 'unverified@sandbox.test');
    expect(tokens.claims()).toMatchObject({ email: 'unverified@sandbox.test', email_verified: false });
    expect(await client.fetchUserInfo(cfg, tokens.access_token, tokens.claims()!.sub)).toMatchObject({
      email_verified: false,
    });
  }, 10_000);
});
