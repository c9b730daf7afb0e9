/**
 * Issue 13 item 3: a cancel wins at every stage of a sign-in. Before the browser opens (while
 * the provider is discovered), while the code is exchanged, and when a second add for the same
 * provider supersedes the first. Tokens obtained after a cancel are revoked, never stored.
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { Account } from '../../../electron/ipc/contract';
import { openAccountsWorld, vaultEntryKeys, type AccountsWorld } from '../../support/accounts/world';

let world: AccountsWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const USER = 'demo@quicksend.test';

/** A gate for one kind of provider request: held until `open()`, `reached` once one is waiting. */
function gate(matches: (url: URL) => boolean) {
  let open!: () => void;
  let reach!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const reached = new Promise<void>((resolve) => (reach = resolve));
  let closed = true;
  return {
    before: async (url: URL) => {
      if (!closed || !matches(url)) return;
      reach();
      await opened;
    },
    reached,
    open: () => {
      closed = false;
      open();
    },
  };
}

describe('cancelling a sign-in', () => {
  test('a cancel while the provider is being discovered wins: the browser never opens', async () => {
    const discovery = gate((url) => url.pathname.endsWith('/.well-known/openid-configuration'));
    world = await openAccountsWorld({ beforeFetch: discovery.before });
    const adding = world.call<Account>('accounts:add', { providerId: 'sandbox' });
    await discovery.reached;
    expect(await world.call('accounts:cancelSignIn', { providerId: 'sandbox' })).toMatchObject({
      ok: true,
      value: { cancelled: true },
    });
    discovery.open();
    expect(await adding).toMatchObject({ ok: false, error: { code: 'signin.cancelled' } });
    expect(world.browser.opened).toEqual([]);
    expect(await world.call('accounts:list')).toMatchObject({ ok: true, value: [] });
  });

  test('a cancel while the code is exchanged wins: no account, nothing stored, the grant is given back', async () => {
    world = await openAccountsWorld();
    const exchange = world.sandbox.holdTokenAnswers({ grantType: 'authorization_code' });
    const adding = world.call<Account>('accounts:add', { providerId: 'sandbox' });
    await exchange.whenHeld(1); // the provider issued the tokens; its answer is on hold
    expect(await world.call('accounts:cancelSignIn', { providerId: 'sandbox' })).toMatchObject({
      ok: true,
      value: { cancelled: true },
    });
    exchange.release();
    expect(await adding).toMatchObject({ ok: false, error: { code: 'signin.cancelled' } });
    expect(await world.call('accounts:list')).toMatchObject({ ok: true, value: [] });
    expect(vaultEntryKeys(world.ports.paths.dataDir).filter((key) => key.startsWith('account:'))).toEqual([]);
    await expect.poll(() => world!.sandbox.liveRefreshTokens(USER), { timeout: 5_000 }).toEqual([]);
  });

  test('two quick adds for one provider: the first is superseded before its browser opens, the second signs in', async () => {
    const discovery = gate((url) => url.pathname.endsWith('/.well-known/openid-configuration'));
    world = await openAccountsWorld({ beforeFetch: discovery.before });
    const first = world.call<Account>('accounts:add', { providerId: 'sandbox' });
    await discovery.reached;
    const second = world.call<Account>('accounts:add', { providerId: 'sandbox' });
    discovery.open();
    expect(await first).toMatchObject({ ok: false, error: { code: 'signin.superseded' } });
    expect(await second).toMatchObject({ ok: true, value: { address: USER } });
    expect(world.browser.opened).toHaveLength(1);
    expect(await world.call<Account[]>('accounts:list')).toMatchObject({ ok: true, value: [{ address: USER }] });
  });
});
