/**
 * Records in settings.json that parse as JSON but not as what they claim to be (a hand edit, a
 * bug of another version): an account record without an address, a custom provider without its
 * SMTP server. The app starts on them, every readable account and provider keeps working, and
 * the unreadable records stay in the file untouched while the others are changed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { Account, Provider, Result } from '../../../electron/ipc/contract';
import { createNodeCipher } from '../../support/node-cipher';
import { addSandboxAsCustomProvider, openAccountsWorld, type AccountsWorld } from '../../support/accounts/world';
import { tempDataDir } from '../../support/node-ports';
import { startSandbox, type Sandbox } from '../../support/sandbox';

let sandbox: Sandbox;
const worlds: AccountsWorld[] = [];
beforeAll(async () => {
  sandbox = await startSandbox({ users: [{ email: 'demo@quicksend.test', name: 'Demo User' }] });
});
afterAll(async () => sandbox.stop());
afterEach(async () => {
  for (const world of worlds.splice(0)) await world.close();
});

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

const brokenAccount = { id: 'acc-broken', providerId: 'sandbox', fromAddress: 'x@quicksend.test', needsSignIn: 'no' };
const brokenProvider = {
  id: 'custom-broken',
  kind: 'custom',
  name: 'Broken',
  issuer: 'https://broken.example',
  scopes: ['openid'],
};

test('an unreadable account record and custom provider: the app starts, the readable ones work, the unreadable ones stay in the file', async () => {
  const dataDir = tempDataDir();
  const cipher = createNodeCipher();
  const first = await openAccountsWorld({ dataDir, cipher, sandboxInstance: sandbox });
  worlds.push(first);
  const account = value(await first.call<Account>('accounts:add', { providerId: 'sandbox' }));
  const custom = await addSandboxAsCustomProvider(first);
  await worlds.pop()?.close();

  const file = path.join(dataDir, 'settings.json');
  const stored = JSON.parse(readFileSync(file, 'utf8')) as { accounts: unknown[]; providers: { custom: unknown[] } };
  stored.accounts.push(brokenAccount);
  stored.providers.custom.unshift(brokenProvider);
  writeFileSync(file, JSON.stringify(stored, undefined, '\t'));

  const world = await openAccountsWorld({ dataDir, cipher, sandboxInstance: sandbox });
  worlds.push(world);
  expect(await world.call('app:info')).toMatchObject({ ok: true, value: { name: 'Quicksend' } });
  expect(value(await world.call<Account[]>('accounts:list'))).toEqual([
    expect.objectContaining({ id: account.id, health: 'ready' }),
  ]);
  const providerIds = value(await world.call<Provider[]>('providers:list')).map((p) => p.id);
  expect(providerIds).toContain(custom.id);
  expect(providerIds).not.toContain(brokenProvider.id);
  // The readable account still refreshes and can be changed.
  world.core.accounts.tokens.invalidate(account.id);
  expect(await world.core.accounts.tokens.getAccessToken(account.id)).toBeTruthy();
  expect(
    value(await world.call<Account>('accounts:update', { accountId: account.id, displayName: 'Demo Again' }))
      .displayName,
  ).toBe('Demo Again');
  expect(await world.call('accounts:reauthorize', { accountId: brokenAccount.id })).toMatchObject({
    ok: false,
    error: { code: 'accounts.unknown' },
  });

  const after = JSON.parse(readFileSync(file, 'utf8')) as { accounts: unknown[]; providers: { custom: unknown[] } };
  expect(after.accounts).toEqual([
    expect.objectContaining({ id: account.id, displayName: 'Demo Again' }),
    brokenAccount,
  ]);
  expect(after.providers.custom).toEqual([brokenProvider, expect.objectContaining({ id: custom.id })]);
  expect(world.ports.logRecords.map((r) => r.message)).toEqual(
    expect.arrayContaining([
      'left out account records that cannot be read',
      'left out custom providers that cannot be read',
    ]),
  );
});
