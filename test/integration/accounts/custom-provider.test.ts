/**
 * "Other provider" against a spec-conforming OpenID provider (the sandbox with oidc-provider's
 * defaults): added exactly as the form does, then signed in, refreshed and removed.
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { Account, Provider, ProviderDiscovery } from '../../../electron/ipc/contract';
import { SANDBOX_MAIL_SCOPE } from '../../support/sandbox';
import {
  addSandboxAsCustomProvider,
  openAccountsWorld,
  signInAs,
  storedRefreshToken,
  vaultEntryKeys,
  type AccountsWorld,
} from '../../support/accounts/world';

let world: AccountsWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function add(w: AccountsWorld, providerId: string): Promise<Account> {
  const result = await w.call<Account>('accounts:add', { providerId });
  if (!result.ok) throw new Error(`sign-in failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

describe('a custom provider that follows OpenID Connect', () => {
  test('signs in: prompt=consent brings the refresh token, UserInfo the verified address', async () => {
    world = await openAccountsWorld();
    const provider = await addSandboxAsCustomProvider(world);
    expect(provider).toMatchObject({ kind: 'custom', supportsRevocation: true, configured: true });

    const account = await add(world, provider.id);
    expect(account).toMatchObject({ provider: provider.id, address: 'demo@quicksend.test', health: 'ready' });
    const opened = new URL(world.browser.opened[0]!);
    expect(opened.searchParams.get('prompt')).toBe('consent');
    expect(opened.searchParams.get('scope')?.split(' ')).toContain('offline_access');
    // The ID token carried only `sub`: the address came from the UserInfo endpoint.
    expect(world.providerCalls).toContain('GET /me');
    const refreshToken = await storedRefreshToken(world, account.id);
    expect((await world.sandbox.introspect(refreshToken)).active).toBe(true);

    // And it keeps working: a refresh with the stored (rotated) token.
    world.core.accounts.tokens.invalidate(account.id);
    const access = await world.core.accounts.tokens.getAccessToken(account.id);
    expect(await world.sandbox.introspect(access)).toMatchObject({ active: true, email: 'demo@quicksend.test' });
    expect(await storedRefreshToken(world, account.id)).not.toBe(refreshToken);
  });

  test('removal revokes the refresh token when discovery advertised a revocation endpoint', async () => {
    world = await openAccountsWorld();
    const provider = await addSandboxAsCustomProvider(world);
    const account = await add(world, provider.id);
    const refreshToken = await storedRefreshToken(world, account.id);
    expect(await world.call('accounts:remove', { accountId: account.id })).toEqual({
      ok: true,
      value: { removed: true, revocation: 'revoked' },
    });
    expect((await world.sandbox.introspect(refreshToken)).active).toBe(false);
    expect(vaultEntryKeys(world.ports.paths.dataDir).filter((k) => k.startsWith('account:'))).toEqual([]);
  });

  test('an unverified address is refused, nothing is stored and the grant is given back', async () => {
    world = await openAccountsWorld({
      sandbox: { users: [{ email: 'unverified@quicksend.test', emailVerified: false }] },
    });
    world.browser.script = signInAs('unverified@quicksend.test');
    const provider = await addSandboxAsCustomProvider(world);
    const result = await world.call('accounts:add', { providerId: provider.id });
    expect(result).toMatchObject({ ok: false, error: { code: 'signin.no_verified_address' } });
    expect(await world.call('accounts:list')).toEqual({ ok: true, value: [] });
    expect(vaultEntryKeys(world.ports.paths.dataDir).filter((k) => k.startsWith('account:'))).toEqual([]);
    const refreshTokens = world.providerResponses.flatMap((body) => {
      try {
        const rt = (JSON.parse(body) as { refresh_token?: unknown }).refresh_token;
        return typeof rt === 'string' ? [rt] : [];
      } catch {
        return [];
      }
    });
    expect(refreshTokens).toHaveLength(1);
    expect((await world.sandbox.introspect(refreshTokens[0]!)).active).toBe(false);
  });

  test('a Google-like provider that puts the email in the ID token is not asked at UserInfo', async () => {
    world = await openAccountsWorld({ sandbox: { emailInIdToken: true } });
    const provider = await addSandboxAsCustomProvider(world);
    expect(await add(world, provider.id)).toMatchObject({ address: 'demo@quicksend.test', health: 'ready' });
    expect(world.providerCalls).not.toContain('GET /me');
  });

  test('without offline_access in its scopes it sends no prompt=consent and the sign-in says what is missing', async () => {
    world = await openAccountsWorld();
    const provider = await addSandboxAsCustomProvider(world, `openid email ${SANDBOX_MAIL_SCOPE}`);
    const result = await world.call('accounts:add', { providerId: provider.id });
    expect(new URL(world.browser.opened[0]!).searchParams.get('prompt')).toBeNull();
    expect(result).toMatchObject({ ok: false, error: { code: 'signin.no_refresh_token' } });
  });

  test('the sandbox preset gets prompt=consent from the same rule and reads the address from UserInfo too', async () => {
    world = await openAccountsWorld();
    const result = await world.call<Account>('accounts:add', { providerId: 'sandbox' });
    expect(result).toMatchObject({ ok: true, value: { address: 'demo@quicksend.test' } });
    expect(new URL(world.browser.opened[0]!).searchParams.get('prompt')).toBe('consent');
    expect(world.providerCalls).toContain('GET /me');
  });
});

describe('providers:discover', () => {
  test('says what the issuer offers and saves nothing', async () => {
    world = await openAccountsWorld();
    const before = await world.call<Provider[]>('providers:list');
    const result = await world.call<ProviderDiscovery>('providers:discover', {
      issuer: world.sandbox.issuer,
      clientId: world.sandbox.clientId,
    });
    expect(result).toEqual({
      ok: true,
      value: {
        issuer: world.sandbox.issuer,
        pkceMethods: ['S256'],
        userInfo: true,
        revocation: true,
        refreshTokenGrant: 'advertised',
        offlineAccess: 'advertised',
      },
    });
    expect(await world.call('providers:list')).toEqual(before);
  });

  test('an issuer that does not answer is explained in plain words', async () => {
    world = await openAccountsWorld();
    const issuer = world.sandbox.issuer;
    await world.sandbox.stop();
    world.sandbox.stop = async () => {};
    expect(await world.call('providers:discover', { issuer, clientId: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'provider.unreachable', message: expect.stringContaining('127.0.0.1') },
    });
  });

  test('an address that is not an issuer URL is refused before anything is fetched', async () => {
    world = await openAccountsWorld();
    const calls = world.providerCalls.length;
    expect(await world.call('providers:discover', { issuer: 'login.example.com', clientId: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'provider.bad_issuer' },
    });
    expect(await world.call('providers:discover', { issuer: 'http://login.example.com', clientId: 'x' })).toMatchObject(
      { ok: false, error: { code: 'provider.insecure_issuer' } },
    );
    expect(world.providerCalls.length).toBe(calls);
  });
});
