/**
 * Issue 16 item 10, the relay's half: `npx tsx bench/relay.ts` (not yet part of `npm run bench`).
 *
 * 1. Throughput: N small messages submitted over one pooled nodemailer connection to the relay
 *    (PLAIN, loopback), each forwarded by the forwarding sink (test/support/relay/sinks.ts) to
 *    the sandbox SMTP server, until the sandbox has them all; beside the same N sent by raw
 *    nodemailer straight to the sandbox (one pooled XOAUTH2 connection). Ratio relay / raw.
 *    The comparison with direct `mail:send` is added once the outbox implements `RelaySink`.
 * 2. Memory: a 200 MB message through the relay, in a fresh process that holds only the relay
 *    and the forwarding sink (client and sandbox stay in this process). Peak resident memory
 *    over the idle baseline: the kernel's high-water mark (VmHWM, reset after the baseline) and
 *    5 ms RSS samples, whichever is higher. Aim: within 64 MB of idle.
 *
 * Prints one JSON object; asserts nothing about speed.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import nodemailer, { type Transporter } from 'nodemailer';
import { createSandboxTokenSource } from '../test/fakes/sandbox-token-source';
import { startSandbox } from '../test/support/sandbox';
import { openRelayWorld } from '../test/support/relay/relay-world';
import { createForwardingSink } from '../test/support/relay/sinks';

const USER = 'demo@quicksend.test';
const MB = 1024 * 1024;
const MESSAGES = Number(process.env.BENCH_RELAY_MESSAGES ?? 200);
const BIG_BYTES = 200 * MB;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type SandboxInfo = { issuer: string; clientId: string; smtp: { host: string; port: number; ca: string } };

async function sendAll(transport: Transporter, count: number): Promise<void> {
  await Promise.all(
    Array.from({ length: count }, (_, i) => transport.sendMail({ from: USER, to: `r${i}@example.org`, subject: `Bench ${i}`, text: `Message ${i}\n${'x'.repeat(2000)}` })),
  );
}

async function throughput(info: SandboxInfo, sandbox: Awaited<ReturnType<typeof startSandbox>>) {
  const tokens = await createSandboxTokenSource(info);
  await tokens.signIn('acc-1', USER);
  const forward = createForwardingSink({ smtp: info.smtp, tokens, login: () => USER });
  const world = await openRelayWorld({ sink: forward });
  await world.enable();
  const credential = await world.createCredential({ sendLimitPerHour: 10_000 });
  const timed = async (label: string, transport: Transporter) => {
    const before = sandbox.smtp.messages().length;
    const t0 = performance.now();
    await sendAll(transport, MESSAGES);
    await sandbox.smtp.waitForMessages(before + MESSAGES, 120_000);
    const ms = performance.now() - t0;
    transport.close();
    process.stderr.write(`  ${label}: ${MESSAGES} messages in ${(ms / 1000).toFixed(2)} s\n`);
    return ms;
  };
  // Warm both paths once (TLS session, token, relay connection).
  const warmRaw = nodemailer.createTransport({ pool: true, maxConnections: 1, maxMessages: Infinity, host: info.smtp.host, port: info.smtp.port, requireTLS: true, tls: { ca: info.smtp.ca }, auth: { type: 'OAuth2', user: USER, accessToken: await tokens.getAccessToken('acc-1') } });
  await sendAll(warmRaw, 5);
  warmRaw.close();
  const rawMs = await timed(
    'raw nodemailer to the sandbox',
    nodemailer.createTransport({ pool: true, maxConnections: 1, maxMessages: Infinity, host: info.smtp.host, port: info.smtp.port, requireTLS: true, tls: { ca: info.smtp.ca }, auth: { type: 'OAuth2', user: USER, accessToken: await tokens.getAccessToken('acc-1') } }),
  );
  const relayMs = await timed(
    'through the relay',
    nodemailer.createTransport({ pool: true, maxConnections: 1, maxMessages: Infinity, host: '127.0.0.1', port: world.port, ignoreTLS: true, auth: { user: credential.username, pass: credential.password } }),
  );
  forward.close();
  await world.stop();
  return { messages: MESSAGES, rawMs: Math.round(rawMs), relayMs: Math.round(relayMs), rawPerSecond: +(MESSAGES / (rawMs / 1000)).toFixed(1), relayPerSecond: +(MESSAGES / (relayMs / 1000)).toFixed(1), ratioRelayToRaw: +(relayMs / rawMs).toFixed(2) };
}

/** A 200 MB message on disk: headers, then base64-like lines (as an attachment would be). */
async function writeBigMessage(file: string): Promise<void> {
  const out = createWriteStream(file);
  out.write(`From: Demo User <${USER}>\r\nTo: big@example.org\r\nSubject: 200 MB through the relay\r\nMIME-Version: 1.0\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n`);
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
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--memory-child'], { env: { ...process.env, BENCH_SANDBOX: JSON.stringify(info) }, stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout! });
    const next = () => new Promise<string>((resolve) => lines.once('line', resolve));
    const ready = JSON.parse(await next()) as { port: number; username: string; password: string };
    const before = sandbox.smtp.messages().length;
    const t0 = performance.now();
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: ready.port, ignoreTLS: true, auth: { user: ready.username, pass: ready.password }, socketTimeout: 600_000 });
    await transport.sendMail({ envelope: { from: USER, to: ['big@example.org'] }, raw: { path: file } });
    transport.close();
    await sandbox.smtp.waitForMessages(before + 1, 600_000);
    const seconds = (performance.now() - t0) / 1000;
    child.stdin!.end('report\n');
    const sample = JSON.parse(await next()) as { baselineMb: number; peakMb: number; growthMb: number; hwmAvailable: boolean };
    return { messageMb: BIG_BYTES / MB, seconds: +seconds.toFixed(1), ...sample };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function vmHwmBytes(): number | null {
  try {
    const kb = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : null;
  } catch {
    return null;
  }
}

/** The fresh process: relay + forwarding sink only; samples its own memory until told to report. */
async function memoryChild(): Promise<void> {
  const info = JSON.parse(process.env.BENCH_SANDBOX!) as SandboxInfo;
  const tokens = await createSandboxTokenSource(info);
  await tokens.signIn('acc-1', USER);
  const forward = createForwardingSink({ smtp: info.smtp, tokens, login: () => USER });
  const world = await openRelayWorld({ sink: forward, accounts: [{ id: 'acc-1', address: USER, fromAddress: USER, displayName: 'Demo User', messageLimitBytes: 300 * MB }] });
  await world.enable();
  const credential = await world.createCredential();
  global.gc?.();
  await sleep(500);
  const baseline = process.memoryUsage().rss;
  let hwmAvailable = true;
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    hwmAvailable = false;
  }
  let peak = baseline;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  process.stdout.write(`${JSON.stringify({ port: world.port, username: credential.username, password: credential.password })}\n`);
  const input = createInterface({ input: process.stdin });
  await new Promise<void>((resolve) => input.once('line', () => resolve()));
  clearInterval(timer);
  const hwm = hwmAvailable ? (vmHwmBytes() ?? peak) : peak;
  const top = Math.max(peak, hwm);
  process.stdout.write(`${JSON.stringify({ baselineMb: +(baseline / MB).toFixed(1), peakMb: +(top / MB).toFixed(1), growthMb: +((top - baseline) / MB).toFixed(1), hwmAvailable })}\n`);
  forward.close();
  await world.stop();
  process.exit(0);
}

async function main(): Promise<void> {
  const sandbox = await startSandbox({ users: [{ email: USER, name: 'Demo User' }], smtp: { sizeLimitBytes: 300 * MB, socketTimeoutMs: 600_000 } });
  const info: SandboxInfo = { issuer: sandbox.issuer, clientId: sandbox.clientId, smtp: { host: sandbox.smtp.host, port: sandbox.smtp.port, ca: sandbox.smtp.ca } };
  try {
    const result = { load: os.loadavg().map((n) => +n.toFixed(2)), cpus: os.cpus().length, throughput: await throughput(info, sandbox), memory: await memory(info, sandbox) };
    process.stdout.write(`${JSON.stringify(result, undefined, 2)}\n`);
  } finally {
    await sandbox.stop();
  }
  process.exit(0);
}

if (process.argv.includes('--memory-child')) void memoryChild();
else void main();
