import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { openHistory } from '../../../../electron/outbox/history';
import { loadDataKey } from '../../../../electron/vault/data-key';
import { createNodeCipher } from '../../../support/node-cipher';
import type { HistoryEntry } from '../../../../electron/ipc/contract';
import { tempDataDir } from '../../../support/node-ports';

const entry = (i: number): HistoryEntry => ({
  id: `m${i}`,
  time: new Date(Date.UTC(2026, 10, 29, 12, 0, i)).toISOString(),
  accountId: 'a',
  from: 'me@example.com',
  to: ['you@example.com'],
  subject: `s${i}`,
  sizeBytes: 100,
  messageId: `<m${i}@x>`,
  outcome: 'sent',
  error: null,
});

test('a burst of additions is written as a group, and every resolved addition is on disk', async () => {
  const dir = tempDataDir();
  const key = await loadDataKey(dir, createNodeCipher());
  const history = await openHistory(dir, key, 500);
  await Promise.all(Array.from({ length: 60 }, (_, i) => history.add(entry(i))));
  const reopened = await openHistory(dir, key, 500);
  expect((await reopened.list()).map((e) => e.id)).toEqual(Array.from({ length: 60 }, (_, i) => `m${59 - i}`));
});

test('an addition made while a write runs is not lost', async () => {
  const dir = tempDataDir();
  const key = await loadDataKey(dir, createNodeCipher());
  const history = await openHistory(dir, key, 3);
  const first = history.add(entry(1));
  await Promise.resolve();
  const second = history.add(entry(2));
  await Promise.all([first, second, history.add(entry(3)), history.add(entry(4))]);
  const reopened = await openHistory(dir, key, 3);
  expect((await reopened.list()).map((e) => e.id)).toEqual(['m4', 'm3', 'm2']);
});

test('one entry per message: recording an id again replaces its entry and moves it to the top', async () => {
  const dir = tempDataDir();
  const key = await loadDataKey(dir, createNodeCipher());
  const history = await openHistory(dir, key, 500);
  await history.add({
    ...entry(1),
    outcome: 'failed',
    refused: [{ address: 'you@example.com', reply: '550 5.1.1 User unknown' }],
  });
  await history.add(entry(2));
  await history.add(entry(1));
  const reopened = await openHistory(dir, key, 500);
  expect((await reopened.list()).map((e) => [e.id, e.outcome, e.refused])).toEqual([
    ['m1', 'sent', undefined],
    ['m2', 'sent', undefined],
  ]);
});

test('recording is an append: the file grows by about one entry, and it is compacted to the kept entries', async () => {
  const dir = tempDataDir();
  const key = await loadDataKey(dir, createNodeCipher());
  const history = await openHistory(dir, key, 10);
  const file = path.join(dir, 'history.bin');
  for (let i = 0; i < 8; i++) await history.add(entry(i));
  const before = statSync(file).size;
  await history.add(entry(8));
  const one = statSync(file).size - before;
  expect(one).toBeLessThan(500); // one entry, not the whole history again
  expect(before).toBeGreaterThan(7 * one);
  // Past `limit` records beyond the kept ones, the log is rewritten with the kept ones only.
  for (let i = 9; i < 40; i++) await history.add(entry(i));
  await history.close();
  expect(statSync(file).size).toBeLessThan(25 * one);
  const reopened = await openHistory(dir, key, 10);
  expect((await reopened.list()).map((e) => e.id)).toEqual(Array.from({ length: 10 }, (_, i) => `m${39 - i}`));
});

test('a history written before the log (one sealed list, newest first) is read and kept', async () => {
  const dir = tempDataDir();
  const key = await loadDataKey(dir, createNodeCipher());
  writeFileSync(
    path.join(dir, 'history.bin'),
    key.seal(JSON.stringify([entry(3), entry(2), { id: 42, to: 'not a list' }, entry(1)])),
  );
  const history = await openHistory(dir, key, 500);
  expect((await history.list()).map((e) => e.id)).toEqual(['m3', 'm2', 'm1']);
  await history.add(entry(4));
  const reopened = await openHistory(dir, key, 500);
  expect((await reopened.list()).map((e) => e.id)).toEqual(['m4', 'm3', 'm2', 'm1']);
});
