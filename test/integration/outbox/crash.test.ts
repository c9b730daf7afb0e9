// Crash test: a child process hosting the outbox sends 30 messages to a slow sandbox server and
// is killed with SIGKILL at seeded random moments (after a random number of outbox changes with a
// send in flight), then restarted, at least five times. After the last restart every message must
// have arrived at least once and duplicates stay within kills x messages in flight (concurrent
// sends, plus as many sent ones whose folder is still being deleted: outbox.ts). The seed is
// printed; rerun a failure with CRASH_SEED=<seed>.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../support/node-ports';
import { startSandbox, type Sandbox } from '../../support/sandbox';

const MESSAGES = 30;
const KILLS = 6;
const CONCURRENCY = 2;
/** Messages in flight at once, each possibly resent after a kill (outbox.ts: twice the sending slots). */
const IN_FLIGHT = 2 * CONCURRENCY;
const SLOW_DATA_REPLY_MS = 120;
const CHILD = fileURLToPath(new URL('../../support/crash-child.ts', import.meta.url));
const seed = Number(process.env.CRASH_SEED ?? randomBytes(4).readUInt32LE(0));

/** mulberry32: a tiny seeded PRNG so a failing run can be replayed from its seed. */
function prng(a: number): () => number {
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Line = { event: string; [key: string]: unknown };
let sandbox: Sandbox;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  sandbox = await startSandbox({ smtp: { dataReplyDelayMs: SLOW_DATA_REPLY_MS } });
}, 20_000);

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await sandbox?.stop();
}, 10_000);

function startChild(
  env: Record<string, string>,
  onLine: (line: Line) => void,
): { child: ChildProcess; exited: Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => void (stderr = (stderr + chunk.toString()).slice(-4000)));
  createInterface({ input: child.stdout! }).on('line', (text) => {
    try {
      onLine(JSON.parse(text) as Line);
    } catch {
      // not ours (a library notice)
    }
  });
  const exited = new Promise<void>((resolve, reject) => {
    child.once('exit', (code, signal) => {
      children.delete(child);
      if (signal === 'SIGKILL' || code === 0) resolve();
      else reject(new Error(`crash child exited with ${code ?? signal}: ${stderr}`));
    });
  });
  return { child, exited };
}

describe('crash test', () => {
  it(`delivers all ${MESSAGES} messages through ${KILLS} SIGKILLs with bounded duplicates`, async () => {
    console.log(`crash test seed: ${seed} (rerun with CRASH_SEED=${seed})`);
    const random = prng(seed);
    const env = {
      CRASH_DATA_DIR: tempDataDir('quicksend-crash-'),
      CRASH_CIPHER_KEY: randomBytes(32).toString('hex'),
      CRASH_ISSUER: sandbox.issuer,
      CRASH_CLIENT_ID: sandbox.clientId,
      CRASH_SMTP_PORT: String(sandbox.smtp.port),
      CRASH_CONCURRENCY: String(CONCURRENCY),
    };
    const accepted = new Set<string>();
    const killedAfter: number[] = [];

    for (let run = 0; run <= KILLS; run += 1) {
      const last = run === KILLS;
      // Kill after a random number (1-8) of outbox changes seen while a send is in flight.
      const killAt = 1 + Math.floor(random() * 8);
      let busyChanges = 0;
      let enqueued = run > 0;
      let resolveDone!: () => void;
      const done = new Promise<void>((resolve) => (resolveDone = resolve));
      const { child, exited } = startChild({ ...env, CRASH_ENQUEUE: run === 0 ? String(MESSAGES) : '0' }, (line) => {
        if (line.event === 'accepted') accepted.add(String(line.id));
        if (line.event === 'enqueued') enqueued = true;
        if (line.event === 'empty') resolveDone();
        if (!last && enqueued && line.event === 'changed' && Number(line.sending) > 0 && ++busyChanges === killAt) {
          killedAfter.push(killAt);
          child.kill('SIGKILL');
          resolveDone();
        }
      });
      await Promise.race([done, exited]);
      if (last) child.kill('SIGTERM');
      await exited;
    }

    const received = sandbox.smtp.messages();
    const byMessageId = new Map<string, number>();
    for (const m of received) byMessageId.set(m.messageId ?? '', (byMessageId.get(m.messageId ?? '') ?? 0) + 1);
    const duplicates = received.length - byMessageId.size;
    console.log(
      `crash test: seed ${seed}, kills ${killedAfter.length} (after ${killedAfter.join(', ')} busy changes), ${received.length} deliveries of ${byMessageId.size} messages, ${duplicates} duplicates (bound ${killedAfter.length * IN_FLIGHT})`,
    );

    expect(accepted.size).toBe(MESSAGES);
    expect(killedAfter.length).toBeGreaterThanOrEqual(5);
    for (const id of accepted) expect(byMessageId.get(`<${id}@quicksend.test>`) ?? 0).toBeGreaterThanOrEqual(1);
    expect(byMessageId.size).toBe(MESSAGES);
    expect(duplicates).toBeLessThanOrEqual(killedAfter.length * IN_FLIGHT);
  }, 90_000);
});
