/**
 * The token store against a real vault file and a real AES-GCM cipher: what it writes is read
 * back from disk (decrypted here), a damaged record reads as "no grant" rather than throwing,
 * a late rotation never brings back a removed record, and the storage policy keeps tokens off
 * the disk when the OS key store is missing or is Linux's `basic_text` without consent.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { createTokenStore } from '../../../../electron/accounts/token-store';
import type { SecretCipher } from '../../../../electron/shared/ports';
import { createNodeCipher } from '../../../support/node-cipher';
import { createVault } from '../../../../electron/vault/vault';
import { memoryLogger } from '../../../fakes/logger';
import { tempDataDir } from '../../../support/node-ports';

function setup(options: { cipher?: SecretCipher; consent?: boolean } = {}) {
  const file = path.join(tempDataDir(), 'vault.json');
  const cipher = options.cipher ?? createNodeCipher();
  const vault = createVault({ file, cipher });
  const { logger, records } = memoryLogger();
  const store = createTokenStore({ vault, cipher, weakStorageConsent: () => options.consent ?? false, logger });
  /** The account's record as it is on disk, decrypted; undefined when there is none. */
  async function onDisk(accountId: string): Promise<unknown> {
    let entries: Record<string, string>;
    try {
      ({ entries } = JSON.parse(readFileSync(file, 'utf8')) as { entries: Record<string, string> });
    } catch {
      return undefined;
    }
    const sealed = entries[`account:${accountId}`];
    return sealed === undefined ? undefined : JSON.parse((await cipher.decrypt(Buffer.from(sealed, 'base64'))).plain);
  }
  return { store, vault, onDisk, logs: records };
}

describe('the token store', () => {
  test('keeps a sign-in’s grant encrypted in the vault and reads its refresh token back', async () => {
    const { store, onDisk } = setup();
    await store.save('acc-1', { refreshToken: 'rt-1', scope: 'openid mail' });
    expect(await onDisk('acc-1')).toEqual({ refreshToken: 'rt-1', scope: 'openid mail' });
    expect(await store.refreshToken('acc-1')).toBe('rt-1');
    expect(store.storageOf('acc-1')).toBe('vault');
    expect(await store.refreshToken('acc-2')).toBeUndefined();
  });

  test('a rotation replaces the refresh token and keeps the rest of the record', async () => {
    const { store, onDisk } = setup();
    await store.save('acc-1', { refreshToken: 'rt-1', scope: 'openid mail' });
    expect(await store.replaceRefreshToken('acc-1', 'rt-2')).toBe(true);
    expect(await onDisk('acc-1')).toEqual({ refreshToken: 'rt-2', scope: 'openid mail' });
  });

  test('a rotation for a record that is gone writes nothing and says so', async () => {
    const { store, onDisk } = setup();
    await store.save('acc-1', { refreshToken: 'rt-1' });
    expect(await store.take('acc-1')).toBe('rt-1');
    expect(await store.replaceRefreshToken('acc-1', 'rt-late')).toBe(false);
    expect(await onDisk('acc-1')).toBeUndefined();
    expect(await store.refreshToken('acc-1')).toBeUndefined();
  });

  test.each([
    ['not JSON', '{"refreshToken":"rt'],
    ['without a refresh token', JSON.stringify({ scope: 'openid' })],
    ['with an empty refresh token', JSON.stringify({ refreshToken: '' })],
    ['with a refresh token that is not text', JSON.stringify({ refreshToken: 42 })],
  ])('a record %s reads as no grant (the account signs in again), and says so in the log', async (_name, damaged) => {
    const { store, vault, logs } = setup();
    await vault.set('account:acc-1', damaged, 'vault');
    expect(await store.refreshToken('acc-1')).toBeUndefined();
    expect(await store.take('acc-1')).toBeUndefined();
    // Named by account only: nothing of the record itself reaches the log.
    expect(logs.filter((r) => r.message === 'a stored grant cannot be read').map((r) => r.data)).toEqual([
      { accountId: 'acc-1' },
      { accountId: 'acc-1' },
    ]);
  });

  test('a rotation over a damaged record saves the new refresh token whole', async () => {
    const { store, vault, onDisk } = setup();
    await vault.set('account:acc-1', 'not json', 'vault');
    expect(await store.replaceRefreshToken('acc-1', 'rt-new')).toBe(true);
    expect(await onDisk('acc-1')).toEqual({ refreshToken: 'rt-new' });
  });

  test('without a usable OS key store, tokens stay in memory for this session only', async () => {
    const unavailable: SecretCipher = { ...createNodeCipher(), isAvailable: async () => false };
    const { store, onDisk } = setup({ cipher: unavailable });
    expect(await store.storageForNewSecrets()).toBe('session-only');
    await store.save('acc-1', { refreshToken: 'rt-1' });
    expect(await onDisk('acc-1')).toBeUndefined();
    expect(store.storageOf('acc-1')).toBe('session-only');
    expect(await store.refreshToken('acc-1')).toBe('rt-1');
  });

  test('Linux basic_text: session-only unless the person accepted it', async () => {
    const without = setup({ cipher: createNodeCipher(undefined, 'basic_text') });
    expect(await without.store.storageForNewSecrets()).toBe('session-only');
    await without.store.save('acc-1', { refreshToken: 'rt-1' });
    expect(await without.onDisk('acc-1')).toBeUndefined();

    const accepted = setup({ cipher: createNodeCipher(undefined, 'basic_text'), consent: true });
    expect(await accepted.store.storageForNewSecrets()).toBe('vault');
    await accepted.store.save('acc-1', { refreshToken: 'rt-1' });
    expect(await accepted.onDisk('acc-1')).toEqual({ refreshToken: 'rt-1' });
  });

  test('wipeAll deletes every secret, client secrets too', async () => {
    const { store, vault, onDisk } = setup();
    await store.save('acc-1', { refreshToken: 'rt-1' });
    await vault.set('client-secret:google', 'secret', 'vault');
    await store.wipeAll();
    expect(await onDisk('acc-1')).toBeUndefined();
    expect(await vault.get('client-secret:google')).toBeUndefined();
  });
});
