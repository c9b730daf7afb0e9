import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { openSealedLog } from '../../../../electron/outbox/sealed-log';
import { loadDataKey } from '../../../../electron/vault/data-key';
import { createNodeCipher } from '../../../support/node-cipher';
import { tempDataDir } from '../../../support/node-ports';

async function setup() {
  const dir = tempDataDir('qs-log-');
  const key = await loadDataKey(dir, createNodeCipher());
  return { dir, key, file: path.join(dir, 'log.bin') };
}

test('appends come back in order after a reopen, sealed on disk', async () => {
  const { key, file } = await setup();
  const log = openSealedLog<{ n: number; secret: string }>(file, key);
  expect(await log.read()).toEqual({ found: false, legacy: null, records: [], damaged: false });
  await log.append({ n: 1, secret: 'alpha-secret' });
  await log.append({ n: 2, secret: 'beta-secret' }, { n: 3, secret: 'gamma-secret' });
  expect(readFileSync(file).toString('latin1')).not.toMatch(/secret/);
  const again = openSealedLog<{ n: number }>(file, key);
  expect((await again.read()).records.map((r) => r.n)).toEqual([1, 2, 3]);
});

test('appends made while a write runs share the next write (one frame for the group)', async () => {
  const { key, file } = await setup();
  const log = openSealedLog<number>(file, key);
  await log.read();
  await log.append(0);
  const sizeOfOne = statSync(file).size;
  await Promise.all(Array.from({ length: 50 }, (_, i) => log.append(i + 1)));
  // 50 appends, but far fewer frames than 50: each frame costs a header and a seal (29 bytes).
  const grew = statSync(file).size - sizeOfOne;
  expect(grew).toBeLessThan(50 * 33);
  expect((await openSealedLog<number>(file, key).read()).records).toEqual(Array.from({ length: 51 }, (_, i) => i));
});

test('a rewrite replaces everything with the current records, and later appends follow it', async () => {
  const { key, file } = await setup();
  const log = openSealedLog<string>(file, key);
  await log.read();
  for (const r of ['a', 'b', 'c']) await log.append(r);
  expect(log.appendedSinceRewrite()).toBe(3);
  await log.rewrite(() => ['c']);
  expect(log.appendedSinceRewrite()).toBe(0);
  await log.append('d');
  expect((await openSealedLog<string>(file, key).read()).records).toEqual(['c', 'd']);
});

test('an append cut short by a crash is dropped silently and cut off; the next append reads back', async () => {
  const { key, file } = await setup();
  const log = openSealedLog<string>(file, key);
  await log.read();
  await log.append('whole');
  await log.append('torn');
  const bytes = readFileSync(file);
  writeFileSync(file, bytes.subarray(0, bytes.length - 5));
  const reopened = openSealedLog<string>(file, key);
  expect(await reopened.read()).toEqual({ found: true, legacy: null, records: ['whole'], damaged: false });
  await reopened.append('after');
  expect((await openSealedLog<string>(file, key).read()).records).toEqual(['whole', 'after']);
});

test('a damaged record in the middle is reported; the records before and after it are kept', async () => {
  const { key, file } = await setup();
  const log = openSealedLog<string>(file, key);
  await log.read();
  for (const r of ['first', 'second', 'third']) await log.append(r);
  const bytes = Buffer.from(readFileSync(file));
  const second = 8 + 4 + bytes.readUInt32BE(8); // magic, then the first frame
  bytes[second + 4 + 20]! ^= 0xff;
  writeFileSync(file, bytes);
  expect(await openSealedLog<string>(file, key).read()).toEqual({
    found: true,
    legacy: null,
    records: ['first', 'third'],
    damaged: true,
  });
});

test('a file of another format is handed back as it is (for its owner to convert)', async () => {
  const { key, file } = await setup();
  writeFileSync(file, 'something else');
  expect(await openSealedLog<string>(file, key).read()).toMatchObject({
    found: true,
    legacy: Buffer.from('something else'),
    records: [],
  });
});
