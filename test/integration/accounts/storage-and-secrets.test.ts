import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import type { Account } from '../../../electron/ipc/contract';
import { createNodeCipher } from '../../support/node-cipher';
import { openAccountsWorld, vaultEntryKeys, type AccountsWorld } from '../../support/accounts/world';

let world: AccountsWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

/** Every form a secret could leak in. */
function forms(secret: string): string[] {
  return [
    secret,
    Buffer.from(secret).toString('base64'),
    Buffer.from(secret).toString('base64url'),
    encodeURIComponent(secret),
    JSON.stringify(secret).slice(1, -1),
  ];
}

test('on Linux basic_text without consent, tokens stay in memory only and the account says so', async () => {
  world = await openAccountsWorld({ cipher: createNodeCipher(undefined, 'basic_text') });
  const added = await world.call<Account>('accounts:add', { providerId: 'sandbox' });
  expect(added).toMatchObject({ ok: true, value: { storage: 'session-only', health: 'session-only' } });
  expect(vaultEntryKeys(world.ports.paths.dataDir)).toEqual([]);
  // It still works for this session.
  expect(await world.core.accounts.tokens.getAccessToken((added as { value: Account }).value.id)).toBeTruthy();
});

test('with explicit consent, basic_text storage writes the vault', async () => {
  world = await openAccountsWorld({ cipher: createNodeCipher(undefined, 'basic_text') });
  expect(await world.call('settings:set', { weakStorageConsent: true })).toMatchObject({ ok: true });
  const added = await world.call<Account>('accounts:add', { providerId: 'sandbox' });
  expect(added).toMatchObject({ ok: true, value: { storage: 'vault', health: 'ready' } });
});

test('after sign-in and refresh, no token, code or verifier appears in any file, log line or IPC payload', async () => {
  world = await openAccountsWorld();
  const added = await world.call<Account>('accounts:add', { providerId: 'sandbox' });
  if (!added.ok) throw new Error(added.error.message);
  const id = added.value.id;
  world.core.accounts.tokens.invalidate(id);
  await world.core.accounts.tokens.getAccessToken(id);
  world.core.accounts.tokens.invalidate(id);
  await world.core.accounts.tokens.getAccessToken(id);
  await world.call('accounts:list');
  await world.call('providers:list');

  const secrets = new Set<string>();
  for (const body of world.providerRequests) {
    const params = new URLSearchParams(body);
    for (const key of ['code', 'code_verifier', 'refresh_token', 'token']) {
      const value = params.get(key);
      if (value) secrets.add(value);
    }
  }
  for (const body of world.providerResponses) {
    try {
      const json = JSON.parse(body) as Record<string, unknown>;
      for (const key of ['access_token', 'refresh_token', 'id_token'])
        if (typeof json[key] === 'string') secrets.add(json[key] as string);
    } catch {
      // Not JSON (HTML pages): nothing to collect.
    }
  }
  // code, verifier, and three rounds of access + refresh tokens, plus ID token.
  expect(secrets.size).toBeGreaterThanOrEqual(8);

  const haystacks: Array<[string, string]> = [];
  for (const file of filesUnder(world.ports.paths.dataDir)) {
    const bytes = readFileSync(file);
    haystacks.push([file, bytes.toString('utf8')], [file, bytes.toString('latin1')]);
    expect([path.basename(file), statSync(file).mode & 0o077]).toEqual([path.basename(file), 0]);
  }
  haystacks.push(['logs', JSON.stringify(world.ports.logRecords)]);
  haystacks.push(['ipc and events', JSON.stringify(world.seen)]);
  expect(world.ports.logRecords.length).toBeGreaterThan(0);

  const leaks: string[] = [];
  for (const secret of secrets) {
    for (const form of forms(secret)) {
      for (const [where, text] of haystacks) if (text.includes(form)) leaks.push(`${where}: ${form.slice(0, 12)}…`);
    }
  }
  expect(leaks).toEqual([]);
});
