import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { describe, expect, test } from 'vitest';
import { createOutboxStore, newOutboxId, type StoredMessage, type StoredState } from '../../../../electron/outbox/outbox-store';
import { loadDataKey } from '../../../../electron/vault/data-key';
import { createNodeCipher } from '../../../support/node-cipher';
import { tempDataDir } from '../../../support/node-ports';

const state: StoredState = { v: 1, state: 'waiting', attempts: 0, retries: 0, nextAttemptAt: 0, lastError: null };
const message: Omit<StoredMessage, 'attachments'> = {
  v: 1, accountId: 'acc', from: { name: '', address: 'me@example.org' }, to: [{ name: '', address: 'you@example.org' }], cc: [], bcc: [],
  subject: 'Hi', text: 'Hello', messageId: '<x@example.org>', createdAt: 0, sizeBytes: 10,
};

async function setup() {
  const dataDir = tempDataDir('qs-store-');
  const store = createOutboxStore(dataDir, await loadDataKey(dataDir, createNodeCipher()));
  const source = path.join(dataDir, 'report.txt');
  writeFileSync(source, 'quarterly numbers');
  return { dataDir, store, source };
}

describe('attachment copies', () => {
  test('are sealed on disk and come back as the plain bytes, as often as asked', async () => {
    const { dataDir, store, source } = await setup();
    const id = newOutboxId(Date.now());
    const stored = await store.create(id, message, [source], state);
    expect(stored.attachments).toEqual([{ name: 'report.txt', originalPath: source, file: 'att-0', sizeBytes: 17, sealed: true }]);
    expect(readFileSync(path.join(dataDir, 'outbox', id, 'att-0')).toString('latin1')).not.toContain('quarterly');
    for (let i = 0; i < 2; i++) expect(await text(store.openAttachment(id, stored.attachments[0]!))).toBe('quarterly numbers');
  });

  test('a changed copy fails the stream instead of giving changed bytes', async () => {
    const { dataDir, store, source } = await setup();
    const id = newOutboxId(Date.now());
    const stored = await store.create(id, message, [source], state);
    const copy = path.join(dataDir, 'outbox', id, 'att-0');
    const bytes = readFileSync(copy);
    bytes[bytes.length - 20]! ^= 1;
    writeFileSync(copy, bytes);
    await expect(text(store.openAttachment(id, stored.attachments[0]!))).rejects.toThrow(/integrity/);
  });

  test('a plain copy written before copies were sealed is still sent as it is (upgrade)', async () => {
    const { dataDir, store, source } = await setup();
    const id = newOutboxId(Date.now());
    const stored = await store.create(id, message, [source], state);
    writeFileSync(path.join(dataDir, 'outbox', id, 'att-0'), 'legacy plain bytes');
    const legacy = { ...stored.attachments[0]!, sealed: undefined };
    expect(await text(store.openAttachment(id, legacy))).toBe('legacy plain bytes');
  });
});
