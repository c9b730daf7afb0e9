/**
 * A provider that stalls after it has rotated the refresh token (issue 12, item 4), with
 * oidc-provider's reuse detection: replaying the old refresh token revokes the whole grant.
 * Short injected values stand in for the product's minutes: callers wait 200 ms, the refresh
 * request itself may take the default 5 minutes unless a test says otherwise.
 */
import * as client from 'openid-client';
import { afterEach, describe, expect, test } from 'vitest';
import type { Account } from '../../../electron/ipc/contract';
import {
  addSandboxAsCustomProvider,
  openAccountsWorld,
  storedRefreshToken,
  type AccountsWorld,
} from '../../support/accounts/world';
import { startAppHost, type AppHost } from '../../support/app-host';
import { completeLogin } from '../../support/sandbox';

let world: AccountsWorld | undefined;
let app: AppHost | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
  await app?.stop();
  app = undefined;
});

async function customAccount(w: AccountsWorld): Promise<Account> {
  const provider = await addSandboxAsCustomProvider(w);
  const result = await w.call<Account>('accounts:add', { providerId: provider.id });
  if (!result.ok) throw new Error(`sign-in failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

async function health(w: AccountsWorld, accountId: string): Promise<string | undefined> {
  const listed = await w.call<Account[]>('accounts:list');
  return listed.ok ? listed.value.find((a) => a.id === accountId)?.health : undefined;
}

describe('a refresh whose answer is slow', () => {
  test('held back for 1 s: callers are told to retry, the late answer is saved, the account stays signed in', async () => {
    world = await openAccountsWorld({ core: { tokenWaitMs: 200 } });
    const account = await customAccount(world);
    const original = await storedRefreshToken(world, account.id);
    const tokens = world.core.accounts.tokens;
    tokens.invalidate(account.id);

    const hold = world.sandbox.holdTokenAnswers({ ms: 1_000 });
    await expect(tokens.getAccessToken(account.id)).rejects.toMatchObject({ code: 'auth.transient' });
    // The provider has rotated the token, but its answer has not arrived yet.
    await hold.whenHeld(1);
    expect((await world.sandbox.introspect(original)).active).toBe(false);
    expect(await health(world, account.id)).not.toBe('needs-sign-in');

    // Nobody asks again with the spent token: a later caller joins the same refresh.
    await world.core.accounts.refreshSettled(account.id);
    const rotated = await storedRefreshToken(world, account.id);
    expect(rotated).not.toBe(original);
    expect((await world.sandbox.introspect(rotated)).active).toBe(true);
    expect(world.sandbox.tokenRequests().refreshToken).toBe(1);
    hold.release(); // the provider is fast again

    // The answer was cached: the next send needs no refresh, and a later refresh works.
    const access = await tokens.getAccessToken(account.id);
    expect((await world.sandbox.introspect(access)).active).toBe(true);
    expect(world.sandbox.tokenRequests().refreshToken).toBe(1);
    tokens.invalidate(account.id);
    await tokens.getAccessToken(account.id);
    expect(world.sandbox.tokenRequests().refreshToken).toBe(2);
    expect(await health(world, account.id)).toBe('ready');
  });

  test('callers arriving while the refresh runs join it: one request at the provider', async () => {
    world = await openAccountsWorld({ core: { tokenWaitMs: 200 } });
    const account = await customAccount(world);
    const tokens = world.core.accounts.tokens;
    tokens.invalidate(account.id);
    const hold = world.sandbox.holdTokenAnswers();
    await expect(tokens.getAccessToken(account.id)).rejects.toMatchObject({ code: 'auth.transient' });
    await expect(tokens.getAccessToken(account.id)).rejects.toMatchObject({ code: 'auth.transient' });
    await hold.whenHeld(1);
    hold.release();
    await world.core.accounts.refreshSettled(account.id);
    expect(world.sandbox.tokenRequests().refreshToken).toBe(1);
    expect(await tokens.getAccessToken(account.id)).toBeTruthy();
    expect(world.sandbox.tokenRequests().refreshToken).toBe(1);
  });

  test('longer than the refresh request may take: the answer is lost, and only the provider’s invalid_grant ends the sign-in', async () => {
    // Here the request itself gives up after 300 ms, before the provider answers.
    world = await openAccountsWorld({ core: { tokenWaitMs: 5_000, refreshTimeoutSeconds: 0.3 } });
    const account = await customAccount(world);
    const original = await storedRefreshToken(world, account.id);
    const tokens = world.core.accounts.tokens;
    tokens.invalidate(account.id);

    const hold = world.sandbox.holdTokenAnswers();
    await expect(tokens.getAccessToken(account.id)).rejects.toMatchObject({ code: 'auth.transient' });
    hold.release();
    // Lost, but Quicksend cannot know the provider rotated: the account is not given up yet.
    expect(await health(world, account.id)).toBe('ready');
    expect(await storedRefreshToken(world, account.id)).toBe(original);

    // The next refresh replays the spent token; oidc-provider revokes the grant and says so.
    await expect(tokens.getAccessToken(account.id)).rejects.toMatchObject({ code: 'auth.needs_sign_in' });
    expect(await health(world, account.id)).toBe('needs-sign-in');
    expect(world.sandbox.tokenRequests().refreshToken).toBe(2);
  });

  test('quitting waits for a running refresh to save its answer', async () => {
    world = await openAccountsWorld({ core: { tokenWaitMs: 200 } });
    const account = await customAccount(world);
    const original = await storedRefreshToken(world, account.id);
    world.core.accounts.tokens.invalidate(account.id);
    const hold = world.sandbox.holdTokenAnswers({ ms: 1_000 });
    await expect(world.core.accounts.tokens.getAccessToken(account.id)).rejects.toMatchObject({
      code: 'auth.transient',
    });
    await hold.whenHeld(1);

    await world.core.dispose();
    const saved = await storedRefreshToken(world, account.id);
    expect(saved).not.toBe(original);
    // The saved token is the live one: it refreshes without invalid_grant.
    const config = await client.discovery(
      new URL(world.sandbox.issuer),
      world.sandbox.clientId,
      undefined,
      client.None(),
      { execute: [client.allowInsecureRequests] },
    );
    hold.release();
    await expect(client.refreshTokenGrant(config, saved)).resolves.toMatchObject({ access_token: expect.any(String) });
  });
});

describe('sending while the refresh is slow', () => {
  test('the send is retried by the outbox and delivered once; the account stays ready', async () => {
    app = await startAppHost({
      browser: {
        open: async (url) => void completeLogin(url, 'demo@quicksend.test', { visitCallback: true }).catch(() => {}),
      },
      core: { tokenWaitMs: 200, mail: { backoff: { baseMs: 300, capMs: 600, factor: 2, random: () => 0.5 } } },
    });
    const host = app;
    const sender = { frameUrl: `${host.host.origin}/`, isMainFrame: true };
    const call = async <T>(channel: string, request: unknown): Promise<T> => {
      const result = (await host.core.router.handle(channel, request, sender)) as {
        ok: boolean;
        value?: T;
        error?: unknown;
      };
      if (!result.ok) throw new Error(`${channel} failed: ${JSON.stringify(result.error)}`);
      return result.value as T;
    };
    await call('settings:set', { undoDelaySeconds: 0 });
    const account = await call<Account>('accounts:add', { providerId: 'sandbox' });
    const states: string[] = [];
    host.core.events.on('outbox:changed', ({ changes }) => {
      for (const change of changes)
        if (change.type !== 'removed') states.push(`${change.item.state}:${change.item.lastError?.code ?? ''}`);
    });
    host.core.accounts.tokens.invalidate(account.id);
    const hold = host.sandbox.holdTokenAnswers({ ms: 1_000 });

    await call('mail:send', {
      accountId: account.id,
      to: ['friend@example.com'],
      subject: 'Waited for the provider',
      text: 'Hello',
    });
    const [received] = await host.sandbox.smtp.waitForMessages(1, 15_000);
    hold.release();
    expect(received!.to).toEqual(['friend@example.com']);
    // The first attempt met the running refresh and was put back as a transient failure.
    expect(states.some((s) => s.startsWith('retrying:'))).toBe(true);
    expect(states.some((s) => s.startsWith('needs-sign-in'))).toBe(false);
    expect(host.sandbox.tokenRequests().refreshToken).toBe(1);
    const accounts = await call<Account[]>('accounts:list', {});
    expect(accounts.map((a) => a.health)).toEqual(['ready']);
    expect(host.sandbox.smtp.messages()).toHaveLength(1);
  }, 30_000);
});
