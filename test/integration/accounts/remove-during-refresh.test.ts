/**
 * Issue 13 item 1: removing an account (or signing out of all) while its token refresh is in
 * flight. The provider has already rotated the refresh token when the removal happens, and its
 * answer arrives afterwards: that answer must be revoked (the provider supports it) and never
 * saved, and the removal must not wait for it.
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { Account } from '../../../electron/ipc/contract';
import {
  addSandboxAsCustomProvider,
  openAccountsWorld,
  vaultEntryKeys,
  type AccountsWorld,
} from '../../support/accounts/world';

let world: AccountsWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const USER = 'demo@quicksend.test';

async function addAccount(w: AccountsWorld): Promise<Account> {
  const provider = await addSandboxAsCustomProvider(w);
  const result = await w.call<Account>('accounts:add', { providerId: provider.id });
  if (!result.ok) throw new Error(`sign-in failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

/** Starts a refresh and waits until the provider has rotated the token but holds its answer. */
async function refreshHeldAtProvider(w: AccountsWorld, accountId: string) {
  const hold = w.sandbox.holdTokenAnswers();
  w.core.accounts.tokens.invalidate(accountId);
  const asked = w.core.accounts.tokens.getAccessToken(accountId).catch((error: unknown) => error);
  await hold.whenHeld(1);
  return { hold, asked };
}

describe('removal while a refresh is in flight', () => {
  // A long settle time: a removal that waited for the held answer would time the test out.
  const core = { tokenWaitMs: 200, refreshSettleMs: 60_000 };

  test('accounts:remove answers without waiting; the late answer is revoked and no vault entry comes back', async () => {
    world = await openAccountsWorld({ core });
    const account = await addAccount(world);
    const { hold, asked } = await refreshHeldAtProvider(world, account.id);

    const removed = await world.call<{ removed: true; revocation: string }>('accounts:remove', {
      accountId: account.id,
    });
    expect(removed).toMatchObject({ ok: true, value: { removed: true } });
    expect(vaultEntryKeys(world.ports.paths.dataDir)).not.toContain(`account:${account.id}`);
    expect(await world.call<Account[]>('accounts:list')).toMatchObject({ ok: true, value: [] });

    // Now the provider's answer (with a freshly rotated refresh token) arrives.
    hold.release();
    await asked;
    await world.core.accounts.refreshSettled();
    expect(vaultEntryKeys(world.ports.paths.dataDir)).not.toContain(`account:${account.id}`);
    await expect.poll(() => world!.sandbox.liveRefreshTokens(USER), { timeout: 5_000 }).toEqual([]);
  });

  test('accounts:signOutAll answers without waiting; the late answer is revoked and nothing is saved', async () => {
    world = await openAccountsWorld({ core });
    const account = await addAccount(world);
    const { hold, asked } = await refreshHeldAtProvider(world, account.id);

    const out = await world.call<{ accounts: number }>('accounts:signOutAll', {
      confirm: true,
      deleteWaitingMessages: false,
    });
    expect(out).toMatchObject({ ok: true, value: { accounts: 1 } });

    hold.release();
    await asked;
    await world.core.accounts.refreshSettled();
    expect(vaultEntryKeys(world.ports.paths.dataDir).filter((key) => key.startsWith('account:'))).toEqual([]);
    await expect.poll(() => world!.sandbox.liveRefreshTokens(USER), { timeout: 5_000 }).toEqual([]);
  });
});
