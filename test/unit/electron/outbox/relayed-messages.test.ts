import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { describe, expect, test } from 'vitest';
import { indexedOf } from '../../../../electron/outbox/outbox-index';
import { createOutboxStore, newOutboxId, type StoredState } from '../../../../electron/outbox/outbox-store';
import {
  createRelayedSink,
  decodeWords,
  relayedMailOptions,
  storeRelayed,
  summaryOf,
} from '../../../../electron/outbox/relayed-messages';
import { RelaySinkError, type RelayMessage } from '../../../../electron/relay/relay-sink';
import type { Notification } from '../../../../electron/shared/ports';
import { loadDataKey } from '../../../../electron/vault/data-key';
import { createNodeCipher } from '../../../support/node-cipher';
import { tempDataDir } from '../../../support/node-ports';

const state: StoredState = { v: 1, state: 'waiting', attempts: 0, retries: 0, nextAttemptAt: 0, lastError: null };
const BODY = 'The secret body of a relayed message 7f3a.\r\n';
const raw = (body = BODY) =>
  Buffer.from(
    `From: Demo <demo@quicksend.test>\r\nTo: bob@example.org\r\nSubject: =?UTF-8?B?w5xiZXIgZGVu?= =?UTF-8?Q?_Sch=C3=A9ma?=\r\nMessage-ID: <m1@quicksend.test>\r\n\r\n${body}`,
  );

function relayed(message: Readable): RelayMessage {
  return {
    credentialId: 'cred-1',
    accountId: 'acc-1',
    programName: 'backup script',
    envelope: { from: 'demo@quicksend.test', to: ['bob@example.org', 'hidden@example.com'] },
    message,
    declaredSizeBytes: null,
  };
}

async function setup() {
  const dataDir = tempDataDir('qs-relayed-');
  const store = createOutboxStore(dataDir, await loadDataKey(dataDir, createNodeCipher()));
  const outboxFiles = () => readdirSync(path.join(dataDir, 'outbox'), { recursive: true }).map(String);
  return { dataDir, store, outboxFiles };
}

describe('storing a relayed message', () => {
  test('is sealed on disk, summarised for the list, and sent back byte for byte with its exact envelope', async () => {
    const { dataDir, store } = await setup();
    const id = newOutboxId(Date.now());
    const bytes = raw();
    const stored = await storeRelayed(store, id, relayed(Readable.from([bytes.subarray(0, 7), bytes.subarray(7)])), {
      now: 1000,
      limitBytes: 1_000_000,
      state,
    });
    expect(stored).toMatchObject({
      subject: 'Über den Schéma',
      messageId: '<m1@quicksend.test>',
      sizeBytes: bytes.length,
      to: [
        { name: '', address: 'bob@example.org' },
        { name: '', address: 'hidden@example.com' },
      ],
      relayed: {
        program: 'backup script',
        credentialId: 'cred-1',
        envelope: { from: 'demo@quicksend.test', to: ['bob@example.org', 'hidden@example.com'] },
      },
    });
    for (const file of readdirSync(path.join(dataDir, 'outbox', id)))
      expect(readFileSync(path.join(dataDir, 'outbox', id, file)).toString('latin1')).not.toContain('secret body');
    // What a fresh start loads is what was stored.
    const [loaded] = await store.load(() => {});
    expect(loaded!.message).toEqual(indexedOf(stored));
    expect(await store.readMessage(id)).toEqual(stored);
    const options = relayedMailOptions(store, id, { ...stored, relayed: stored.relayed! }, ['hidden@example.com']);
    expect(options.envelope).toEqual({ from: 'demo@quicksend.test', to: ['hidden@example.com'] });
    expect((await buffer(options.raw as Readable)).equals(bytes)).toBe(true);
  });

  test('over the account limit by bytes: too-big, and nothing is left in the outbox folder', async () => {
    const { store, outboxFiles } = await setup();
    const big = raw('x'.repeat(200_000));
    const error = await storeRelayed(
      store,
      newOutboxId(Date.now()),
      relayed(Readable.from([big.subarray(0, 65_536), big.subarray(65_536)])),
      { now: 0, limitBytes: 100_000, state },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RelaySinkError);
    expect((error as RelaySinkError).reason).toBe('too-big');
    expect(outboxFiles()).toEqual([]);
  });

  test('a message the relay destroys mid-way fails with the relay’s reason and leaves nothing', async () => {
    const { store, outboxFiles } = await setup();
    const input = new PassThrough();
    const storing = storeRelayed(store, newOutboxId(Date.now()), relayed(input), {
      now: 0,
      limitBytes: 1_000_000,
      state,
    });
    input.write(raw().subarray(0, 40));
    const reason = new Error('550 From not allowed');
    setImmediate(() => input.destroy(reason));
    await expect(storing).rejects.toBe(reason);
    expect(outboxFiles()).toEqual([]);
  });

  test('a full disk is storage-full (452 at the relay)', async () => {
    const full = Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    const store = { createStreamed: async () => Promise.reject(full) };
    const error = await storeRelayed(store, 'x', relayed(Readable.from([raw()])), {
      now: 0,
      limitBytes: 1_000_000,
      state,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'RelaySinkError', reason: 'storage-full' });
  });
});

describe('summaries', () => {
  test('folded Subject, encoded words in two charsets, and an unknown charset left as it is', () => {
    expect(summaryOf(Buffer.from('Subject: a long\r\n subject\r\nMessage-Id:\r\n <id@x>\r\n\r\nbody'))).toEqual({
      subject: 'a long subject',
      messageId: '<id@x>',
    });
    expect(decodeWords('=?ISO-8859-1?Q?caf=E9?= ok')).toBe('café ok');
    expect(decodeWords('=?x-unknown?B?AAAA?=')).toBe('=?x-unknown?B?AAAA?=');
    expect(summaryOf(Buffer.from('To: x\r\n\r\n'))).toEqual({ subject: '', messageId: null });
  });
});

describe('the sink', () => {
  test('tells the person which program’s message waits for which account while it needs sign-in, once an hour', async () => {
    const notifications: Notification[] = [];
    let now = 0;
    let needs: string | null = null;
    const sink = createRelayedSink({
      intake: async () => ({ id: 'o1' }),
      needsSignIn: () => needs,
      notifier: { notify: (n) => void notifications.push(n) },
      clock: { now: () => now } as never,
    });
    await sink.accept(relayed(Readable.from([raw()])));
    expect(notifications).toEqual([]);
    needs = 'demo@quicksend.test';
    expect(await sink.accept(relayed(Readable.from([raw()])))).toEqual({ id: 'o1' });
    now += 60_000;
    await sink.accept(relayed(Readable.from([raw()])));
    expect(notifications).toHaveLength(1);
    expect(notifications[0]!.title).toContain('backup script');
    expect(notifications[0]!.body).toContain('demo@quicksend.test');
    now += 60 * 60_000;
    await sink.accept(relayed(Readable.from([raw()])));
    expect(notifications).toHaveLength(2);
  });
});
