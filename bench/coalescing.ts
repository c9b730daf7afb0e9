/**
 * Item 4: refresh coalescing. 100 sends at once on an account whose access token has expired:
 * how many requests the provider's token endpoint received, and the time until the last of the
 * 100 was accepted. Expired as a laptop finds it after a night asleep: the app's clock moves
 * 2 hours ahead (tokens live 1 hour) and the network monitor reports a resume, which closes the
 * pooled connections; the token manager must refresh before anything can go out.
 * Rows: Quicksend's defaults (2 messages in flight), and 10 in flight with 10 connections, so
 * that more callers ask the token manager at the same moment.
 */
import type { MailServiceOptions } from '../electron/outbox/mail-service';
import type { Clock } from '../electron/shared/ports';
import { call, drained, message, signIn, startBenchCore } from './lib/bench-core';
import { serversClient, serversFromEnv } from './lib/servers-protocol';
import { progress, runWorker } from './lib/worker';

const SENDS = 100;
const REPS = Number(process.env.BENCH_COALESCING_REPS ?? 5);
const HOUR = 3_600_000;

export type CoalescingRow = { label: string; tokenRequests: number[]; totalMs: number[] };
export type CoalescingResult = { sends: number; reps: number; rows: CoalescingRow[] };

async function measure(label: string, mail: Partial<MailServiceOptions>): Promise<CoalescingRow> {
  const servers = serversFromEnv();
  const control = serversClient(servers);
  let offset = 0;
  const clock: Clock = {
    now: () => Date.now() + offset,
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  };
  const resumed = new Set<() => void>();
  const network = {
    isOnline: () => true,
    onOnline: () => () => {},
    onResume: (fn: () => void) => (resumed.add(fn), () => void resumed.delete(fn)),
  };
  const bench = await startBenchCore(servers, { clock, network, mail });
  const { core } = bench;
  const accountId = await signIn(core);
  // Warm-up with a valid token: modules loaded, pool used once.
  await Promise.all(Array.from({ length: 10 }, (_, i) => call(core, 'mail:send', message(accountId, i))));
  await drained(core);

  const row: CoalescingRow = { label, tokenRequests: [], totalMs: [] };
  for (let rep = 0; rep < REPS; rep += 1) {
    offset += 2 * HOUR; // every cached access token is now past its expiry
    for (const fn of resumed) fn(); // as after sleep: pooled connections are closed
    const before = await control.stats();
    const started = performance.now();
    await Promise.all(Array.from({ length: SENDS }, (_, i) => call(core, 'mail:send', message(accountId, i))));
    await drained(core);
    const totalMs = performance.now() - started;
    const after = await control.waitFor(before.accepted + SENDS, 10_000);
    row.tokenRequests.push(after.tokenRequests.total - before.tokenRequests.total);
    row.totalMs.push(totalMs);
    progress(
      `coalescing (${label}) rep ${rep + 1}/${REPS}: ${row.tokenRequests.at(-1)} token request(s), ${totalMs.toFixed(0)} ms`,
    );
  }
  await bench.dispose();
  return row;
}

runWorker('coalescing', async (): Promise<CoalescingResult> => ({
  sends: SENDS,
  reps: REPS,
  rows: [
    await measure('defaults: 2 in flight, 2 connections', {}),
    await measure('10 in flight, 10 connections', { concurrency: 10, maxConnectionsPerAccount: 10 }),
  ],
}));
