// The worker's send pipeline: a sent message's deletion from disk (folder rename, folder fsync)
// overlaps the next send instead of holding its connection slot, within a bound on messages in
// flight (which is also what bounds duplicates after a crash).
import { expect, test } from 'vitest';
import type { AccountDirectory } from '../../../../electron/accounts/sending-account';
import { openHistory } from '../../../../electron/outbox/history';
import { createOutbox } from '../../../../electron/outbox/outbox';
import { createOutboxStore, type StoredMessage } from '../../../../electron/outbox/outbox-store';
import { loadDataKey } from '../../../../electron/vault/data-key';
import { createNodeCipher } from '../../../support/node-cipher';
import { createFakeNetwork } from '../../../fakes/fake-network';
import { memoryLogger } from '../../../fakes/logger';
import { createManualClock } from '../../../fakes/manual-clock';
import { createScriptedSender } from '../../../fakes/scripted-sender';
import { tempDataDir } from '../../../support/node-ports';

const message = (
  subject: string,
): Omit<StoredMessage, 'attachments' | 'createdAt' | 'messageId'> & { messageIdFor(id: string): string } => ({
  v: 1,
  accountId: 'acc',
  from: { name: '', address: 'me@example.org' },
  to: [{ name: '', address: 'you@example.org' }],
  cc: [],
  bcc: [],
  subject,
  text: `Body of ${subject}`,
  sizeBytes: 100,
  messageIdFor: (id) => `<${id}@example.org>`,
});

/** A gate that opens once; `reached(n)` resolves when `n` callers wait at it. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const arrived: string[] = [];
  const watchers: Array<{ n: number; resolve(): void }> = [];
  return {
    arrived,
    open: () => open(),
    async pass(id: string): Promise<void> {
      arrived.push(id);
      for (const w of watchers.filter((w) => arrived.length >= w.n)) w.resolve();
      await opened;
    },
    reached: (n: number) =>
      new Promise<void>((resolve) => (arrived.length >= n ? resolve() : watchers.push({ n, resolve }))),
  };
}

async function setup(concurrency: number) {
  const dataDir = tempDataDir('qs-outbox-');
  const key = await loadDataKey(dataDir, createNodeCipher());
  const store = createOutboxStore(dataDir, key);
  const removals = gate();
  const clock = createManualClock();
  const sender = createScriptedSender(clock.now);
  // Sends at the same moment, as the server would count connections in use.
  let sending = 0;
  let mostAtOnce = 0;
  const send = sender.send.bind(sender);
  sender.send = async (accountId, input) => {
    mostAtOnce = Math.max(mostAtOnce, ++sending);
    try {
      return await send(accountId, input);
    } finally {
      sending -= 1;
    }
  };
  const accounts: AccountDirectory = { get: () => undefined, markNeedsSignIn: async () => {}, touch: () => {} };
  const outbox = createOutbox({
    // Deleting a sent message waits at the gate: the test decides when the disk is done.
    store: { ...store, remove: async (id: string) => (await removals.pass(id), store.remove(id)) },
    history: await openHistory(dataDir, key, 100),
    sender,
    accounts,
    clock,
    network: createFakeNetwork(),
    logger: memoryLogger().logger,
    backoff: { baseMs: 1_000, capMs: 8_000, factor: 2, random: () => 0.5 },
    concurrency,
    offlineRecheckMs: 60_000,
    onChange: () => {},
    pausedStore: { read: async () => false, write: async () => {} },
  });
  await outbox.start();
  return { outbox, sender, removals, mostAtOnce: () => mostAtOnce };
}

test('the next message is sent while the last one is still being deleted; sends never exceed the slots', async () => {
  const { outbox, sender, removals, mostAtOnce } = await setup(1);
  for (const subject of ['one', 'two', 'three']) await outbox.enqueue(message(subject), [], 0);
  // Two messages sent, both still being deleted: the second did not wait for the first's disk work.
  await removals.reached(2);
  expect(sender.calls.map((c) => c.subject)).toEqual(['one', 'two']);
  // In flight at most twice the slots: the third waits until a deletion is done.
  expect(removals.arrived).toHaveLength(2);
  removals.open();
  await removals.reached(3);
  await outbox.stop();
  expect(sender.calls.map((c) => c.subject)).toEqual(['one', 'two', 'three']);
  expect(mostAtOnce()).toBe(1);
});

test('with two slots, four sent messages can be finishing on disk at once, and no more', async () => {
  const { outbox, sender, removals, mostAtOnce } = await setup(2);
  for (let i = 0; i < 6; i++) await outbox.enqueue(message(`m${i}`), [], 0);
  await removals.reached(4);
  expect(sender.calls).toHaveLength(4);
  removals.open();
  await removals.reached(6);
  await outbox.stop();
  expect(sender.calls.map((c) => c.subject).sort()).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
  expect(mostAtOnce()).toBeLessThanOrEqual(2);
});
