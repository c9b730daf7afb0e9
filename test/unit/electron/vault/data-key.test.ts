import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { loadDataKey } from '../../../../electron/vault/data-key';
import { createNodeCipher } from '../../../support/node-cipher';
import { tempDataDir } from '../../../support/node-ports';

test('the key is created once, stored wrapped (0600), and reloads to open what it sealed', async () => {
  const dir = tempDataDir();
  const cipher = createNodeCipher();
  const first = await loadDataKey(dir, cipher);
  const sealed = first.seal('Dear Ann, the body of the message');
  expect(Buffer.from(sealed).toString('latin1')).not.toContain('Dear Ann');
  const file = path.join(dir, 'data-key.bin');
  expect(statSync(file).mode & 0o777).toBe(0o600);
  const second = await loadDataKey(dir, cipher);
  expect(second.open(sealed).toString('utf8')).toBe('Dear Ann, the body of the message');
  // The stored key is wrapped: another OS key cannot unwrap it.
  await expect(loadDataKey(dir, createNodeCipher())).rejects.toThrow();
  expect(readFileSync(file).length).toBeGreaterThan(29);
});

test('tampered sealed data is refused', async () => {
  const key = await loadDataKey(tempDataDir(), createNodeCipher());
  const sealed = Uint8Array.from(key.seal('hello'));
  sealed[sealed.length - 1]! ^= 0xff;
  expect(() => key.open(sealed)).toThrow();
});

test('concurrent first loads share one key (outbox and drafts start together)', async () => {
  const dir = tempDataDir();
  const cipher = createNodeCipher();
  const [a, b] = await Promise.all([loadDataKey(dir, cipher), loadDataKey(dir, cipher)]);
  expect(b.open(a.seal('shared')).toString()).toBe('shared');
});
