import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { describe, expect, test } from 'vitest';
import {
  createOutboxStore,
  newOutboxId,
  type LoadedEntry,
  type StoredMessage,
  type StoredState,
} from '../../../../electron/outbox/outbox-store';
import { createQuarantine } from '../../../../electron/diagnostics/quarantine';
import { loadDataKey } from '../../../../electron/vault/data-key';
import { createNodeCipher } from '../../../support/node-cipher';
import { tempDataDir } from '../../../support/node-ports';

const state: StoredState = { v: 1, state: 'waiting', attempts: 0, retries: 0, nextAttemptAt: 0, lastError: null };
const message: Omit<StoredMessage, 'attachments'> = {
  v: 1,
  accountId: 'acc',
  from: { name: '', address: 'me@example.org' },
  to: [{ name: '', address: 'you@example.org' }],
  cc: [],
  bcc: [],
  subject: 'Hi',
  text: 'Hello',
  messageId: '<x@example.org>',
  createdAt: 0,
  sizeBytes: 10,
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
    expect(stored.attachments).toEqual([
      { name: 'report.txt', originalPath: source, file: 'att-0', sizeBytes: 17, sealed: true },
    ]);
    expect(readFileSync(path.join(dataDir, 'outbox', id, 'att-0')).toString('latin1')).not.toContain('quarterly');
    for (let i = 0; i < 2; i++)
      expect(await text(store.openAttachment(id, stored.attachments[0]!))).toBe('quarterly numbers');
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

describe('the index', () => {
  const quiet = () => {};
  async function world() {
    const dataDir = tempDataDir('qs-index-');
    const key = await loadDataKey(dataDir, createNodeCipher());
    const quarantine = createQuarantine({ clock: { now: () => Date.UTC(2030, 0, 1) } });
    const open = () => createOutboxStore(dataDir, key, quarantine);
    const store = open();
    await store.load(quiet);
    const ids: string[] = [];
    for (const subject of ['one', 'two', 'three']) {
      const id = newOutboxId(Date.now());
      await store.create(id, { ...message, subject, createdAt: ids.length }, [], state);
      ids.push(id);
    }
    await store.saveState(ids[1]!, {
      ...state,
      state: 'failed',
      attempts: 1,
      lastError: { code: 'smtp.permanent', message: 'No.' },
    });
    await store.close();
    const index = path.join(dataDir, 'outbox-index.bin');
    return { dataDir, key, quarantine, open, ids, index, folder: (id: string) => path.join(dataDir, 'outbox', id) };
  }
  const summary = (entries: LoadedEntry[]) => entries.map((e) => [e.message.subject, e.state.state]);

  test('a restart lists every message and its state from the index alone; bodies are not read', async () => {
    const w = await world();
    // A body that cannot be read goes unnoticed until it is needed: proof that load did not read it.
    writeFileSync(path.join(w.folder(w.ids[0]!), 'message.bin'), 'garbage');
    const broken: string[] = [];
    const store = w.open();
    expect(summary(await store.load((id) => broken.push(id)))).toEqual([
      ['one', 'waiting'],
      ['two', 'failed'],
      ['three', 'waiting'],
    ]);
    expect(broken).toEqual([]);
    await expect(store.readMessage(w.ids[0]!)).rejects.toThrow();
    expect((await store.readMessage(w.ids[2]!)).text).toBe('Hello');
    expect(w.quarantine.notices()).toEqual([]);
  });

  test('a missing index is rebuilt from the message folders (states start again as waiting)', async () => {
    const w = await world();
    rmSync(w.index);
    const store = w.open();
    expect(summary(await store.load(quiet))).toEqual([
      ['one', 'waiting'],
      ['two', 'waiting'],
      ['three', 'waiting'],
    ]);
    await store.close();
    expect(existsSync(w.index)).toBe(true);
    expect(summary(await w.open().load(quiet))).toEqual([
      ['one', 'waiting'],
      ['two', 'waiting'],
      ['three', 'waiting'],
    ]);
  });

  test('a damaged index is kept aside and rebuilt: what it still says is kept, what it lost is sent again, with a notice', async () => {
    const w = await world();
    const bytes = Buffer.from(readFileSync(w.index));
    bytes[bytes.length - 10]! ^= 0xff; // inside the last record: the failed state of "two"
    writeFileSync(w.index, bytes);
    const store = w.open();
    expect(summary(await store.load(quiet))).toEqual([
      ['one', 'waiting'],
      ['two', 'waiting'],
      ['three', 'waiting'],
    ]);
    expect(w.quarantine.notices()).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/outbox was damaged/),
        hint: expect.stringContaining('outbox-index.bin.damaged-'),
      }),
    ]);
    expect(readdirSync(w.dataDir).filter((n) => n.startsWith('outbox-index.bin.damaged-'))).toHaveLength(1);
    await store.close();
    expect(summary(await w.open().load(quiet))).toEqual([
      ['one', 'waiting'],
      ['two', 'waiting'],
      ['three', 'waiting'],
    ]);
  });

  test('after a crash between a folder and its record: a record without its folder is dropped, a folder without a record is read back', async () => {
    const w = await world();
    // Removed (folder gone) but its record never written; and a message whose record never made it.
    rmSync(w.folder(w.ids[0]!), { recursive: true });
    const bytesBefore = readFileSync(w.index);
    const other = createOutboxStore(w.dataDir, w.key);
    await other.load(quiet);
    const late = newOutboxId(Date.now());
    await other.create(late, { ...message, subject: 'four', createdAt: 9 }, [], state);
    await other.close();
    writeFileSync(w.index, bytesBefore); // as if the crash came before the index write
    const store = w.open();
    expect(summary(await store.load(quiet))).toEqual([
      ['two', 'failed'],
      ['three', 'waiting'],
      ['four', 'waiting'],
    ]);
    expect(w.quarantine.notices()).toEqual([]);
    await store.close();
    expect(summary(await w.open().load(quiet))).toEqual([
      ['two', 'failed'],
      ['three', 'waiting'],
      ['four', 'waiting'],
    ]);
  });

  test('folders of the format before the index (a state.json each) are read once, states kept, a damaged state sent again with a notice', async () => {
    const w = await world();
    rmSync(w.index);
    writeFileSync(
      path.join(w.folder(w.ids[1]!), 'state.json'),
      JSON.stringify({
        v: 1,
        state: 'failed',
        attempts: 2,
        retries: 0,
        nextAttemptAt: null,
        lastError: { code: 'smtp.permanent', message: 'No.' },
      }),
    );
    writeFileSync(path.join(w.folder(w.ids[2]!), 'state.json'), '{"v":1,"state":"wai');
    const store = w.open();
    expect(summary(await store.load(quiet))).toEqual([
      ['one', 'waiting'],
      ['two', 'failed'],
      ['three', 'waiting'],
    ]);
    expect(w.quarantine.notices()).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/sending state of a message .* damaged/) }),
    ]);
    await store.close();
    expect(existsSync(path.join(w.folder(w.ids[1]!), 'state.json'))).toBe(false);
    expect(summary(await w.open().load(quiet))).toEqual([
      ['one', 'waiting'],
      ['two', 'failed'],
      ['three', 'waiting'],
    ]);
  });

  test('compaction keeps the index about the size of what waits', async () => {
    const dataDir = tempDataDir('qs-index-');
    const key = await loadDataKey(dataDir, createNodeCipher());
    const store = createOutboxStore(dataDir, key);
    await store.load(quiet);
    const id = newOutboxId(Date.now());
    await store.create(id, message, [], state);
    const file = path.join(dataDir, 'outbox-index.bin');
    const one = statSync(file).size;
    // 2,500 changes of one message: without compaction some 100 bytes each.
    for (let round = 0; round < 5; round++)
      await Promise.all(
        Array.from({ length: 500 }, (_, i) => store.saveState(id, { ...state, attempts: round * 500 + i })),
      );
    await store.close();
    expect(statSync(file).size).toBeLessThan(one + 1_000 * 150);
    const [entry] = await createOutboxStore(dataDir, key).load(quiet);
    expect(entry?.state.attempts).toBe(2_499);
  });
});
