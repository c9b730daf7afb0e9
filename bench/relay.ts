/**
 * Issue 16 item 10: the relay for other programs, run by `npm run bench` (or alone).
 *
 * 1. Throughput, in one core against the bench servers: N small messages through the relay
 *    (one pooled nodemailer connection, AUTH PLAIN on the loopback, the relay's sink is the
 *    outbox) beside the same N by direct `mail:send` through the router, each timed until the
 *    outbox has drained and the server has them all; repetitions alternate which goes first.
 *    Ratio relay / direct per repetition (aim: at most 1.2x).
 * 2. Memory: a 200 MB message through the relay, in a fresh process that holds only the relay
 *    and a forwarding sink (test/support/relay/sinks.ts) to a sandbox of its own with a 300 MB
 *    limit (the bench provider's accounts take at most 25 MB, so the outbox would refuse it
 *    before the relay's streaming is tested). Peak resident memory over the idle baseline: the
 *    kernel's high-water mark (VmHWM, reset after the baseline) and 5 ms RSS samples, whichever
 *    is higher. Aim: within 64 MB of idle.
 *
 * Asserts nothing about speed.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import nodemailer, { type Transporter } from 'nodemailer';
import { createSandboxTokenSource } from '../test/fakes/sandbox-token-source';
import { startSandbox } from '../test/support/sandbox';
import { freePort, openRelayWorld } from '../test/support/relay/relay-world';
import { createForwardingSink } from '../test/support/relay/sinks';
import { call, drained, message, signIn, startBenchCore } from './lib/bench-core';
import { serversClient, serversFromEnv } from './lib/servers-protocol';
import { progress, runWorker } from './lib/worker';
import { resetHwm, vmHwmBytes } from './lib/high-water';

const USER = 'demo@quicksend.test';
const MB = 1024 * 1024;
const MESSAGES = Number(process.env.BENCH_RELAY_MESSAGES ?? 200);
const REPS = Number(process.env.BENCH_RELAY_REPS ?? 3);
const BIG_BYTES = 200 * MB;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type SandboxInfo = { issuer: string; clientId: string; smtp: { host: string; port: number; ca: string } };

export type RelayMemory = {
  messageMb: number;
  seconds: number;
  baselineMb: number;
  peakMb: number;
  growthMb: number;
  hwmAvailable: boolean;
};
export type RelayResult = {
  messages: number;
  reps: number;
  directMs: number[];
  relayMs: number[];
  ratios: number[];
  memory: RelayMemory;
};

async function throughput(): Promise<Pick<RelayResult, 'directMs' | 'relayMs' | 'ratios'>> {
  const servers = serversFromEnv();
  const control = serversClient(servers);
  const bench = await startBenchCore(servers);
  const { core } = bench;
  try {
    const accountId = await signIn(core);
    const port = await freePort();
    await core.relay.configure({ enabled: true, port });
    const credential = await core.relay.createCredential({
      programName: 'bench',
      accountId,
      sendLimitPerHour: 100_000,
    });
    const relayTransport = (): Transporter =>
      nodemailer.createTransport({
        pool: true,
        maxConnections: 1,
        maxMessages: Infinity,
        host: '127.0.0.1',
        port,
        ignoreTLS: true,
        auth: { user: credential.username, pass: credential.password },
      });
    const address = servers.email;
    const viaRelay = async (count: number) => {
      const transport = relayTransport();
      try {
        await Promise.all(
          Array.from({ length: count }, (_, i) =>
            transport.sendMail({
              from: address,
              to: `friend${i}@example.com`,
              subject: `Bench message ${i}`,
              text: `Hello ${i}, this is a benchmark message from Quicksend.\n`,
            }),
          ),
        );
      } finally {
        transport.close();
      }
    };
    const direct = async (count: number) => {
      await Promise.all(Array.from({ length: count }, (_, i) => call(core, 'mail:send', message(accountId, i))));
    };
    const timed = async (run: (count: number) => Promise<void>) => {
      const before = await control.stats();
      const t0 = performance.now();
      await run(MESSAGES);
      await drained(core);
      await control.waitFor(before.accepted + MESSAGES, 120_000);
      return performance.now() - t0;
    };
    // Warm-up: modules loaded, pools and the relay connection used once.
    await viaRelay(10);
    await direct(10);
    await drained(core);
    const result = { directMs: [] as number[], relayMs: [] as number[], ratios: [] as number[] };
    for (let rep = 0; rep < REPS; rep += 1) {
      const relayFirst = rep % 2 === 0;
      const first = await timed(relayFirst ? viaRelay : direct);
      const second = await timed(relayFirst ? direct : viaRelay);
      const [relayMs, directMs] = relayFirst ? [first, second] : [second, first];
      result.relayMs.push(relayMs);
      result.directMs.push(directMs);
      result.ratios.push(relayMs / directMs);
      progress(
        `relay rep ${rep + 1}/${REPS}: relay ${relayMs.toFixed(0)} ms, direct mail:send ${directMs.toFixed(0)} ms for ${MESSAGES}`,
      );
    }
    return result;
  } finally {
    await bench.dispose();
  }
}

/** A 200 MB message on disk: headers, then base64-like lines (as an attachment would be). */
async function writeBigMessage(file: string): Promise<void> {
  const out = createWriteStream(file);
  out.write(
    `From: Demo User <${USER}>\r\nTo: big@example.org\r\nSubject: 200 MB through the relay\r\nMIME-Version: 1.0\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n`,
  );
  const line = `${Buffer.alloc(57, 7).toString('base64')}\r\n`;
  const block = line.repeat(Math.floor(MB / line.length));
  let written = 0;
  while (written < BIG_BYTES) {
    if (!out.write(block)) await once(out, 'drain');
    written += block.length;
  }
  out.end();
  await once(out, 'finish');
}

async function memory(info: SandboxInfo, sandbox: Awaited<ReturnType<typeof startSandbox>>) {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'quicksend-bench-relay-'));
  try {
    const file = path.join(scratch, 'big.eml');
    await writeBigMessage(file);
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--memory-child'], {
      env: { ...process.env, BENCH_SANDBOX: JSON.stringify(info) },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout! });
    const next = () => new Promise<string>((resolve) => lines.once('line', resolve));
    const ready = JSON.parse(await next()) as { port: number; username: string; password: string };
    const before = sandbox.smtp.messages().length;
    const t0 = performance.now();
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: ready.port,
      ignoreTLS: true,
      auth: { user: ready.username, pass: ready.password },
      socketTimeout: 600_000,
    });
    await transport.sendMail({ envelope: { from: USER, to: ['big@example.org'] }, raw: { path: file } });
    transport.close();
    await sandbox.smtp.waitForMessages(before + 1, 600_000);
    const seconds = (performance.now() - t0) / 1000;
    child.stdin!.end('report\n');
    const sample = JSON.parse(await next()) as {
      baselineMb: number;
      peakMb: number;
      growthMb: number;
      hwmAvailable: boolean;
    };
    return { messageMb: BIG_BYTES / MB, seconds: +seconds.toFixed(1), ...sample };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The fresh process: relay + forwarding sink only; samples its own memory until told to report. */
async function memoryChild(): Promise<void> {
  const info = JSON.parse(process.env.BENCH_SANDBOX!) as SandboxInfo;
  const tokens = await createSandboxTokenSource(info);
  await tokens.signIn('acc-1', USER);
  const forward = createForwardingSink({ smtp: info.smtp, tokens, login: () => USER });
  const world = await openRelayWorld({
    sink: forward,
    accounts: [
      { id: 'acc-1', address: USER, fromAddress: USER, displayName: 'Demo User', messageLimitBytes: 300 * MB },
    ],
  });
  await world.enable();
  const credential = await world.createCredential();
  global.gc?.();
  await sleep(500);
  const baseline = process.memoryUsage().rss;
  const hwmAvailable = resetHwm();
  let peak = baseline;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  process.stdout.write(
    `${JSON.stringify({ port: world.port, username: credential.username, password: credential.password })}\n`,
  );
  const input = createInterface({ input: process.stdin });
  await new Promise<void>((resolve) => input.once('line', () => resolve()));
  clearInterval(timer);
  const hwm = hwmAvailable ? (vmHwmBytes() ?? peak) : peak;
  const top = Math.max(peak, hwm);
  process.stdout.write(
    `${JSON.stringify({ baselineMb: +(baseline / MB).toFixed(1), peakMb: +(top / MB).toFixed(1), growthMb: +((top - baseline) / MB).toFixed(1), hwmAvailable })}\n`,
  );
  forward.close();
  await world.stop();
  process.exit(0);
}

async function measureMemory(): Promise<RelayMemory> {
  const sandbox = await startSandbox({
    users: [{ email: USER, name: 'Demo User' }],
    smtp: { sizeLimitBytes: 300 * MB, socketTimeoutMs: 600_000 },
  });
  const info: SandboxInfo = {
    issuer: sandbox.issuer,
    clientId: sandbox.clientId,
    smtp: { host: sandbox.smtp.host, port: sandbox.smtp.port, ca: sandbox.smtp.ca },
  };
  try {
    return await memory(info, sandbox);
  } finally {
    await sandbox.stop();
  }
}

if (process.argv.includes('--memory-child')) void memoryChild();
else
  void runWorker('relay', async (): Promise<RelayResult> => {
    const speed = await throughput();
    progress('relay: a 200 MB message through the relay…');
    const memoryResult = await measureMemory();
    return { messages: MESSAGES, reps: REPS, ...speed, memory: memoryResult };
  });
