/**
 * Item 3: latency of one message from `mail:send` to the SMTP server's accept (its timestamp,
 * taken in the servers process on the same wall clock), one message at a time.
 * Warm: the pooled connection is open and authenticated (the previous message just went).
 * Cold: the pool closed its idle connection (idle timeout shortened to 400 ms for this run), so
 * the message pays TCP connect, the server's greeting (smtp-server waits 100 ms before it),
 * STARTTLS and AUTH XOAUTH2 (the server introspects the token at the provider).
 */
import { call, message, signIn, startBenchCore } from './lib/bench-core';
import { serversClient, serversFromEnv, wallNow } from './lib/servers-protocol';
import { progress, runWorker } from './lib/worker';
import { defaultSmtpTimeouts } from '../electron/mail/smtp-transport';

const WARM = Number(process.env.BENCH_LATENCY_WARM ?? 30);
const COLD = Number(process.env.BENCH_LATENCY_COLD ?? 10);
const IDLE_MS = 400;

export type LatencyResult = { warmMs: number[]; coldMs: number[]; idleTimeoutMs: number };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

runWorker('latency', async (): Promise<LatencyResult> => {
  const servers = serversFromEnv();
  const control = serversClient(servers);
  const bench = await startBenchCore(servers, { mail: { timeouts: { ...defaultSmtpTimeouts, idleMs: IDLE_MS } } });
  const { core } = bench;
  const accountId = await signIn(core);

  async function one(n: number): Promise<number> {
    const before = (await control.stats()).accepted;
    const started = wallNow();
    await call(core, 'mail:send', message(accountId, n));
    await control.waitFor(before + 1, 15_000);
    const [record] = await control.accepted(before);
    return record!.at - started;
  }

  progress('latency: warm-up');
  for (let i = 0; i < 5; i += 1) await one(i);
  const result: LatencyResult = { warmMs: [], coldMs: [], idleTimeoutMs: IDLE_MS };
  for (let i = 0; i < WARM; i += 1) result.warmMs.push(await one(i));
  for (let i = 0; i < COLD; i += 1) {
    await sleep(IDLE_MS * 2 + 200); // the pool has closed its connection by now
    result.coldMs.push(await one(i));
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  progress(`latency: warm ${med(result.warmMs).toFixed(1)} ms, cold ${med(result.coldMs).toFixed(1)} ms (medians)`);
  await bench.dispose();
  return result;
});
