import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { createNodeCipher } from '../../../support/node-cipher';
import { createVault } from '../../../../electron/vault/vault';
import { tempDataDir } from '../../../support/node-ports';

const setup = () => {
  const dir = tempDataDir();
  const file = path.join(dir, 'vault.json');
  const cipher = createNodeCipher();
  return { file, cipher, vault: createVault({ file, cipher }) };
};

test('entries are encrypted at rest in a versioned 0600 file and read back', async () => {
  const { file, cipher, vault } = setup();
  await vault.set('account:a', 'refresh-token-aaaa', 'vault');
  await vault.set('account:b', 'refresh-token-bbbb', 'vault');
  const text = readFileSync(file, 'utf8');
  expect(text).not.toContain('refresh-token');
  expect(JSON.parse(text)).toMatchObject({ format: 1 });
  expect(statSync(file).mode & 0o777).toBe(0o600);
  const reopened = createVault({ file, cipher });
  expect(await reopened.get('account:a')).toBe('refresh-token-aaaa');
  expect(reopened.storageOf('account:a')).toBe('vault');
});

test('concurrent writes never lose an entry', async () => {
  const { file, cipher, vault } = setup();
  await Promise.all(Array.from({ length: 25 }, (_, i) => vault.set(`k${i}`, `v${i}`, 'vault')));
  const reopened = createVault({ file, cipher });
  for (let i = 0; i < 25; i++) expect(await reopened.get(`k${i}`)).toBe(`v${i}`);
});

test('session-only entries never reach the disk', async () => {
  const { file, cipher, vault } = setup();
  await vault.set('account:a', 'on-disk-first', 'vault');
  await vault.set('account:a', 'memory-only-secret', 'session-only');
  expect(await vault.get('account:a')).toBe('memory-only-secret');
  expect(vault.storageOf('account:a')).toBe('session-only');
  expect(await createVault({ file, cipher }).get('account:a')).toBeUndefined();
});

test('a vault the OS key no longer opens gives a typed error and keeps the file', async () => {
  const { file, vault } = setup();
  await vault.set('account:a', 'secret-value', 'vault');
  const before = readFileSync(file, 'utf8');
  await expect(createVault({ file, cipher: createNodeCipher() }).get('account:a')).rejects.toMatchObject({
    code: 'vault.unreadable',
  });
  expect(readFileSync(file, 'utf8')).toBe(before);
});

test('a damaged file gives a typed error', async () => {
  const { file, cipher } = setup();
  writeFileSync(file, '{"format": 1, "entr');
  await expect(createVault({ file, cipher }).get('x')).rejects.toMatchObject({ code: 'vault.damaged' });
});

test('wipe removes the file and the session entries', async () => {
  const { file, vault } = setup();
  await vault.set('a', 'one', 'vault');
  await vault.set('b', 'two', 'session-only');
  await vault.wipe();
  expect(() => statSync(file)).toThrow();
  expect(await vault.get('a')).toBeUndefined();
  expect(await vault.get('b')).toBeUndefined();
});

test('a cipher asking for re-encryption gets the entry rewritten', async () => {
  const { file } = setup();
  const inner = createNodeCipher();
  let reencrypt = true;
  const cipher = {
    ...inner,
    decrypt: async (d: Uint8Array) => ({ ...(await inner.decrypt(d)), shouldReEncrypt: reencrypt }),
  };
  await createVault({ file, cipher }).set('a', 'value', 'vault');
  const before = readFileSync(file, 'utf8');
  expect(await createVault({ file, cipher }).get('a')).toBe('value');
  reencrypt = false;
  expect(readFileSync(file, 'utf8')).not.toBe(before);
  expect(await createVault({ file, cipher }).get('a')).toBe('value');
});

test('update changes an entry where it is kept, and never creates one that was deleted', async () => {
  const { file, cipher, vault } = setup();
  await vault.set('account:a', '{"refreshToken":"old-token-aaaa"}', 'vault');
  await vault.set('account:s', '{"refreshToken":"session-aaaa"}', 'session-only');
  expect(await vault.update('account:a', () => '{"refreshToken":"new-token-aaaa"}')).toBe(true);
  expect(await vault.update('account:s', () => '{"refreshToken":"session-bbbb"}')).toBe(true);
  expect(await createVault({ file, cipher }).get('account:a')).toBe('{"refreshToken":"new-token-aaaa"}');
  expect(vault.storageOf('account:s')).toBe('session-only');
  // A removal queued before the update wins: the update finds nothing and writes nothing.
  const removal = vault.delete('account:a');
  const late = vault.update('account:a', () => '{"refreshToken":"late-token-aaaa"}');
  await removal;
  expect(await late).toBe(false);
  expect(await createVault({ file, cipher }).get('account:a')).toBeUndefined();
  expect(readFileSync(file, 'utf8')).not.toContain('account:a');
});
