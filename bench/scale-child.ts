/**
 * The processes of item 7. `BENCH_SCALE_MODE=setup`: a core (network reported offline) signs in
 * and stops; then BENCH_SCALE_MESSAGES waiting messages are written with the outbox's own store,
 * validated and sized by the same functions `mail:send` uses, so they are exactly what the app
 * would have on disk. (Through `mail:send` itself 10,000 messages take minutes: each accepted
 * message re-sends the whole outbox snapshot, see RESULTS.md.) fsync is skipped while writing
 * them, as this is preparation, not measurement. `restart`: a fresh process builds the core on the
 * same data directory (same cipher key) with the network online and reports the time from
 * `createCore` to the SMTP server accepting the first message, and the process's memory then;
 * it exits at once afterwards, like a process that is killed.
 */
import { open } from 'node:fs/promises';
import { messageIdFor, validateMessage } from '../electron/mail/message';
import { encodedMessageSize, MESSAGE_LIMITS } from '../electron/mail/message-rules';
import { createOutboxStore, newOutboxId, waitingState } from '../electron/outbox/outbox-store';
import { systemClock } from '../electron/shared/ports';
import { loadDataKey } from '../electron/vault/data-key';
import { createNodeCipher } from '../test/support/node-cipher';
import { signIn, startBenchCore, message } from './lib/bench-core';
import { serversClient, serversFromEnv, wallNow } from './lib/servers-protocol';
import { progress, runWorker } from './lib/worker';

export type ScaleSetup = { accepted: number; ms: number };
export type ScaleRestart = {
  waitingAtStart: number;
  createCoreMs: number;
  firstSendMs: number;
  rssMb: number;
  heapUsedMb: number;
};

const MB = 1024 * 1024;
const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

runWorker('scale', async (): Promise<ScaleSetup | ScaleRestart> => {
  const servers = serversFromEnv();
  const dataDir = env('BENCH_SCALE_DATA_DIR');
  const cipherKey = Buffer.from(env('BENCH_SCALE_KEY'), 'hex');
  if (env('BENCH_SCALE_MODE') === 'setup') {
    const count = Number(env('BENCH_SCALE_MESSAGES'));
    const offline = { isOnline: () => false, onOnline: () => () => {}, onResume: () => () => {} };
    const { core } = await startBenchCore(servers, { dataDir, cipherKey, network: offline });
    const accountId = await signIn(core);
    const account = core.accounts.directory.get(accountId);
    await core.dispose();
    if (!account) throw new Error('the signed-in account is not in the directory');

    const probe = await open(dataDir, 'r');
    (Object.getPrototypeOf(probe) as { sync(): Promise<void> }).sync = async () => {}; // preparation only
    await probe.close();
    const store = createOutboxStore(dataDir, await loadDataKey(dataDir, createNodeCipher(cipherKey)));
    const started = performance.now();
    const BATCH = 100;
    for (let i = 0; i < count; i += BATCH) {
      await Promise.all(
        Array.from({ length: Math.min(BATCH, count - i) }, async (_, j) => {
          const valid = validateMessage(message(accountId, i + j), account, MESSAGE_LIMITS);
          const now = systemClock.now();
          const id = newOutboxId(now);
          const state = waitingState(now);
          const { attachmentPaths: _none, ...rest } = valid;
          await store.create(
            id,
            {
              v: 1,
              ...rest,
              createdAt: now,
              messageId: messageIdFor(id, valid.from),
              sizeBytes: encodedMessageSize(valid.text, []),
            },
            [],
            state,
          );
        }),
      );
      if ((i / BATCH) % 20 === 19) progress(`scale setup: ${i + BATCH} of ${count} waiting messages written`);
    }
    const ms = performance.now() - started;
    const accepted = count;
    return { accepted, ms };
  }

  const control = serversClient(servers);
  const before = (await control.stats()).accepted;
  const started = wallNow();
  const { core } = await startBenchCore(servers, { dataDir, cipherKey });
  const createCoreMs = wallNow() - started;
  const waitingAtStart = core.mail.waitingCount();
  await control.waitFor(before + 1, 60_000);
  const memory = process.memoryUsage();
  const [first] = await control.accepted(before);
  const result: ScaleRestart = {
    waitingAtStart,
    createCoreMs,
    firstSendMs: first!.at - started,
    rssMb: memory.rss / MB,
    heapUsedMb: memory.heapUsed / MB,
  };
  process.stdout.write(`@@RESULT ${JSON.stringify(result)}\n`);
  process.exit(0); // killed, not stopped: what was in flight is resent next time
});
