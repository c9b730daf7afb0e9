import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import * as client from 'openid-client';
import { afterEach, describe, expect, test } from 'vitest';
import type { Account } from '../../../electron/ipc/contract';
import { openAccountsWorld, signInAs, type AccountsWorld } from '../../support/accounts/world';

let world: AccountsWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function storedRefreshToken(w: AccountsWorld, accountId: string): Promise<string> {
  const file = JSON.parse(readFileSync(path.join(w.ports.paths.dataDir, 'vault.json'), 'utf8')) as {
    entries: Record<string, string>;
  };
  const sealed = file.entries[`account:${accountId}`]!;
  const { plain } = await w.ports.cipher.decrypt(Buffer.from(sealed, 'base64'));
  return (JSON.parse(plain) as { refreshToken: string }).refreshToken;
}

async function addAccount(w: AccountsWorld, loginHint?: string): Promise<Account> {
  const result = await w.call<Account>(
    'accounts:add',
    loginHint ? { providerId: 'sandbox', loginHint } : { providerId: 'sandbox' },
  );
  if (!result.ok) throw new Error(`sign-in failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

describe('sign-in against the sandbox provider', () => {
  test('a full sign-in adds a ready account whose refresh token is stored encrypted, 0600', async () => {
    world = await openAccountsWorld();
    const account = await addAccount(world, 'demo@quicksend.test');
    expect(account).toMatchObject({
      provider: 'sandbox',
      address: 'demo@quicksend.test',
      fromAddress: 'demo@quicksend.test',
      displayName: 'Demo User',
      health: 'ready',
      storage: 'vault',
    });

    const stages = world.seen.flatMap((s) =>
      (s as { event?: string }).event === 'signin:progress'
        ? [(s as { payload: { stage: string } }).payload.stage]
        : [],
    );
    expect(stages).toEqual(['opening-browser', 'waiting-for-browser', 'exchanging', 'done']);
    const opened = new URL(world.browser.opened[0]!);
    expect(opened.searchParams.get('code_challenge_method')).toBe('S256');
    expect(opened.searchParams.get('login_hint')).toBe('demo@quicksend.test');
    expect(opened.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(opened.searchParams.get('state')).toBeTruthy();
    expect(opened.searchParams.get('nonce')).toBeTruthy();

    const vaultFile = path.join(world.ports.paths.dataDir, 'vault.json');
    expect(statSync(vaultFile).mode & 0o777).toBe(0o600);
    const refreshToken = await storedRefreshToken(world, account.id);
    expect(readFileSync(vaultFile, 'utf8')).not.toContain(refreshToken);
    expect((await world.sandbox.introspect(refreshToken)).active).toBe(true);
    expect(await world.call('accounts:list')).toEqual({ ok: true, value: [account] });
  });

  test('refresh rotates: the stored refresh token is the new one, the old one is dead', async () => {
    world = await openAccountsWorld();
    const account = await addAccount(world);
    const first = await storedRefreshToken(world, account.id);
    // As after a 535: the cached access token is dropped, so this refreshes.
    world.core.accounts.tokens.invalidate(account.id);
    const access = await world.core.accounts.tokens.getAccessToken(account.id);
    const second = await storedRefreshToken(world, account.id);
    expect(second).not.toBe(first);
    expect((await world.sandbox.introspect(access)).active).toBe(true);
    // The stored token works...
    world.core.accounts.tokens.invalidate(account.id);
    await world.core.accounts.tokens.getAccessToken(account.id);
    const third = await storedRefreshToken(world, account.id);
    expect(third).not.toBe(second);
    // ...and the old one no longer does.
    const config = await client.discovery(
      new URL(world.sandbox.issuer),
      world.sandbox.clientId,
      undefined,
      client.None(),
      { execute: [client.allowInsecureRequests] },
    );
    await expect(client.refreshTokenGrant(config, first)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  test('concurrent callers share one refresh', async () => {
    world = await openAccountsWorld();
    const account = await addAccount(world);
    world.core.accounts.tokens.invalidate(account.id);
    const before = world.sandbox.tokenRequests().refreshToken;
    const tokens = await Promise.all(
      Array.from({ length: 20 }, () => world!.core.accounts.tokens.getAccessToken(account.id)),
    );
    expect(new Set(tokens).size).toBe(1);
    expect(world.sandbox.tokenRequests().refreshToken - before).toBe(1);
  });

  test('removing an account revokes its refresh token and deletes local secrets', async () => {
    world = await openAccountsWorld();
    const account = await addAccount(world);
    const refreshToken = await storedRefreshToken(world, account.id);
    expect(await world.call('accounts:remove', { accountId: account.id })).toEqual({
      ok: true,
      value: { removed: true, revocation: 'revoked' },
    });
    expect((await world.sandbox.introspect(refreshToken)).active).toBe(false);
    const vault = JSON.parse(readFileSync(path.join(world.ports.paths.dataDir, 'vault.json'), 'utf8')) as {
      entries: object;
    };
    expect(vault.entries).toEqual({});
    expect(await world.call('accounts:list')).toEqual({ ok: true, value: [] });
  });

  test('removal completes locally even when revocation fails (provider down)', async () => {
    world = await openAccountsWorld();
    const account = await addAccount(world);
    await world.sandbox.stop();
    const result = await world.call('accounts:remove', { accountId: account.id });
    expect(result).toEqual({ ok: true, value: { removed: true, revocation: 'failed' } });
    expect(await world.call('accounts:list')).toEqual({ ok: true, value: [] });
    world.sandbox.stop = async () => {};
  });

  test('revocation at the provider: the next token request moves the account to needs-sign-in', async () => {
    world = await openAccountsWorld();
    const account = await addAccount(world);
    await world.sandbox.revokeAllFor('demo@quicksend.test');
    world.core.accounts.tokens.invalidate(account.id);
    await expect(world.core.accounts.tokens.getAccessToken(account.id)).rejects.toMatchObject({
      code: 'auth.needs_sign_in',
    });
    const listed = await world.call<Account[]>('accounts:list');
    expect(listed.ok && listed.value[0]!.health).toBe('needs-sign-in');
    const changes = world.seen.filter((s) => (s as { event?: string }).event === 'accounts:changed');
    expect(JSON.stringify(changes.at(-1))).toContain('needs-sign-in');
  });

  test('signing in again keeps the account and makes it ready; a different address is refused', async () => {
    world = await openAccountsWorld();
    const account = await addAccount(world);
    await world.sandbox.revokeAllFor('demo@quicksend.test');
    world.core.accounts.tokens.invalidate(account.id);
    await world.core.accounts.tokens.getAccessToken(account.id).catch(() => {});

    world.browser.script = signInAs('other@quicksend.test');
    const wrong = await world.call('accounts:reauthorize', { accountId: account.id });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'accounts.different_address' } });
    const still = await world.call<Account[]>('accounts:list');
    expect(still.ok && still.value.map((a) => [a.id, a.health])).toEqual([[account.id, 'needs-sign-in']]);

    world.browser.script = signInAs('demo@quicksend.test');
    const again = await world.call<Account>('accounts:reauthorize', { accountId: account.id });
    expect(again).toMatchObject({ ok: true, value: { id: account.id, health: 'ready' } });
    expect(await world.core.accounts.tokens.getAccessToken(account.id)).toBeTruthy();
  });

  test('emergency sign-out revokes every account and wipes the vault', async () => {
    world = await openAccountsWorld();
    const a = await addAccount(world);
    world.browser.script = signInAs('other@quicksend.test');
    await addAccount(world);
    const tokenA = await storedRefreshToken(world, a.id);
    const result = await world.call('accounts:signOutAll', { confirm: true, deleteWaitingMessages: false });
    expect(result).toEqual({ ok: true, value: { accounts: 2, revoked: 2, revocationFailed: 0, deletedMessages: 0 } });
    expect((await world.sandbox.introspect(tokenA)).active).toBe(false);
    expect(() => statSync(path.join(world!.ports.paths.dataDir, 'vault.json'))).toThrow();
    expect(await world.call('accounts:list')).toEqual({ ok: true, value: [] });
  });

  test('the sandbox is listed with its exact redirect URI only in development', async () => {
    world = await openAccountsWorld();
    const providers =
      await world.call<Array<{ id: string; redirectUri: string; configured: boolean }>>('providers:list');
    expect(providers.ok && providers.value.map((p) => p.id)).toEqual(['google', 'microsoft', 'sandbox']);
    expect(providers.ok && providers.value.every((p) => p.redirectUri === 'http://127.0.0.1/callback')).toBe(true);
    expect(providers.ok && providers.value.find((p) => p.id === 'sandbox')!.configured).toBe(true);
    expect(providers.ok && providers.value.find((p) => p.id === 'google')!.configured).toBe(false);
  });

  test('"last used" shows at once and reaches the settings file on dispose, not on every send', async () => {
    world = await openAccountsWorld();
    const account = await addAccount(world);
    world.core.accounts.directory.touch(account.id);
    const listed = await world.call<Account[]>('accounts:list');
    expect(listed.ok && listed.value[0]!.lastUsedAt).toMatch(/^\d{4}-/);
    const stored = () => (world!.ports.store.get('accounts') as Array<{ lastUsedAt: string | null }>)[0]!.lastUsedAt;
    expect(stored()).toBeNull();
    await world.core.dispose();
    expect(stored()).toMatch(/^\d{4}-/);
  });
});
