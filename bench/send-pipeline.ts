/**
 * Item 2: the send pipeline. Per repetition, in this one process and against the same SMTP
 * server (another process): 500 messages through Quicksend's real path (`mail:send` through
 * the router: validation, durable outbox with fsync, token manager, pooled nodemailer
 * transport, undo delay 0) and 500 through raw pooled nodemailer with the same pool size, in
 * alternating order; then msmtp (one process per message, XOAUTH2 with the same access token
 * as raw nodemailer) when it is installed. Timed from the first call until the last message
 * was accepted; per-message time = total / messages.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { createSandboxTokenSource } from '../test/fakes/sandbox-token-source';
import { call, drained, message, signIn, startBenchCore } from './lib/bench-core';
import { attribute, profileDuring, type Attribution } from './lib/profile';
import { serversClient, serversFromEnv } from './lib/servers-protocol';
import { progress, runWorker } from './lib/worker';

const MESSAGES = Number(process.env.BENCH_PIPELINE_MESSAGES ?? 500);
const REPS = Number(process.env.BENCH_PIPELINE_REPS ?? 5);
const MSMTP_PER_REP = Number(process.env.BENCH_MSMTP_PER_REP ?? 6);
/** Quicksend's defaults: 2 messages in flight, 2 pooled connections per account, 100 messages per connection. */
const POOL = { maxConnections: 2, maxMessages: 100 };

export type PipelineResult = {
  messages: number;
  reps: number;
  pool: typeof POOL;
  quicksendMsPerMessage: number[];
  quicksendAcceptMsPerMessage: number[];
  rawMsPerMessage: number[];
  ratios: number[];
  msmtp: { skipped: string } | { version: string; perRep: number; msPerMessage: number[]; ratios: number[] };
  /** One extra, profiled Quicksend repetition (not counted above): CPU ms per message by place. */
  profile: Attribution & { messages: number; wallMsPerMessage: number };
};

/** Places in the send path worth naming when the ratio is missed. */
const PLACES = [
  { label: 'IPC router (schema check, handler)', url: 'electron/ipc/router.ts', functionName: 'handle' },
  { label: 'outbox store writes (stage, fsync, rename)', url: 'electron/outbox/outbox-store.ts' },
  {
    label: 'account "last used" write (accounts.touch, conf writeFileSync + fsync)',
    url: 'electron/accounts/account-service.ts',
    functionName: 'touch',
  },
  { label: 'outbox change feed (what changed, once per tick)', url: 'electron/outbox/change-feed.ts' },
  {
    label: 'outbox index and sealed log appends (one record per change, group commit)',
    url: 'electron/outbox/sealed-log.ts',
  },
  { label: 'event payload validation (zod, event bus)', url: 'electron/ipc/event-bus.ts', functionName: 'emit' },
  { label: 'history append (sealed log)', url: 'electron/outbox/history.ts' },
  { label: 'nodemailer (compose + SMTP)', url: 'node_modules/nodemailer/' },
];

function findMsmtp(): string | null {
  const probe = spawnSync('msmtp', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return null;
  return probe.stdout.split('\n')[0]?.trim() ?? 'msmtp';
}

runWorker('send-pipeline', async (): Promise<PipelineResult> => {
  const servers = serversFromEnv();
  const control = serversClient(servers);

  const bench = await startBenchCore(servers);
  const { core } = bench;
  const accountId = await signIn(core);

  // Raw nodemailer: a real access token from the same provider, the same server and pool size.
  const tokens = await createSandboxTokenSource({ issuer: servers.issuer, clientId: servers.clientId });
  await tokens.signIn('raw', servers.email);
  const accessToken = await tokens.getAccessToken('raw');
  const raw = nodemailer.createTransport({
    pool: true,
    host: servers.smtpHost,
    port: servers.smtpPort,
    secure: false,
    requireTLS: true,
    tls: { ca: servers.ca, minVersion: 'TLSv1.2' },
    auth: { type: 'OAuth2', user: servers.email, accessToken },
    ...POOL,
    logger: false,
  });

  async function runQuicksend(count: number): Promise<{ totalMs: number; acceptMs: number }> {
    const before = (await control.stats()).accepted;
    const started = performance.now();
    await Promise.all(Array.from({ length: count }, (_, i) => call(core, 'mail:send', message(accountId, i))));
    const acceptMs = performance.now() - started;
    await drained(core);
    const totalMs = performance.now() - started;
    await control.waitFor(before + count, 10_000); // all of them really arrived
    return { totalMs, acceptMs };
  }

  async function runRaw(count: number): Promise<number> {
    const before = (await control.stats()).accepted;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: count }, (_, i) => {
        const m = message(accountId, i);
        return raw.sendMail({ from: servers.email, to: m.to, subject: m.subject, text: m.text });
      }),
    );
    const totalMs = performance.now() - started;
    await control.waitFor(before + count, 10_000);
    return totalMs;
  }

  const msmtpVersion = findMsmtp();
  let msmtpDir: string | null = null;
  let msmtpConfig = '';
  if (msmtpVersion) {
    msmtpDir = mkdtempSync(path.join(os.tmpdir(), 'quicksend-bench-msmtp-'));
    const tokenFile = path.join(msmtpDir, 'token');
    writeFileSync(tokenFile, accessToken, { mode: 0o600 });
    msmtpConfig = path.join(msmtpDir, 'msmtprc');
    writeFileSync(
      msmtpConfig,
      [
        'defaults',
        'tls on',
        'tls_starttls on',
        `tls_trust_file ${servers.caFile}`,
        'logfile -',
        'account bench',
        `host ${servers.smtpHost}`,
        `port ${servers.smtpPort}`,
        'auth xoauth2',
        `user ${servers.email}`,
        `from ${servers.email}`,
        `passwordeval "cat ${tokenFile}"`,
        'account default : bench',
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    chmodSync(msmtpConfig, 0o600);
  }

  function runMsmtpOnce(n: number): Promise<number> {
    const m = message(accountId, n);
    const body = `From: ${servers.email}\r\nTo: ${m.to[0]}\r\nSubject: ${m.subject}\r\nDate: ${new Date().toUTCString()}\r\n\r\n${m.text}`;
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const child = spawn('msmtp', ['-C', msmtpConfig, '-a', 'bench', m.to[0]!], { stdio: ['pipe', 'ignore', 'pipe'] });
      let errors = '';
      child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) =>
        code === 0 ? resolve(performance.now() - started) : reject(new Error(`msmtp exited ${code}: ${errors.trim()}`)),
      );
      child.stdin.end(body);
    });
  }

  async function runMsmtp(count: number): Promise<number[]> {
    const before = (await control.stats()).accepted;
    const times: number[] = [];
    for (let i = 0; i < count; i += 1) times.push(await runMsmtpOnce(i));
    await control.waitFor(before + count, 10_000);
    return times;
  }

  progress('send pipeline: warm-up');
  await runRaw(100);
  await runQuicksend(100);
  if (msmtpVersion) await runMsmtp(1);

  const result: PipelineResult = {
    messages: MESSAGES,
    reps: REPS,
    pool: POOL,
    quicksendMsPerMessage: [],
    quicksendAcceptMsPerMessage: [],
    rawMsPerMessage: [],
    ratios: [],
    profile: { messages: 0, wallMsPerMessage: 0, totalCpuMs: 0, places: [] },
    msmtp: msmtpVersion
      ? { version: msmtpVersion, perRep: MSMTP_PER_REP, msPerMessage: [], ratios: [] }
      : { skipped: 'msmtp is not installed (Debian: apt-get install msmtp)' },
  };
  for (let rep = 0; rep < REPS; rep += 1) {
    // Alternate which goes first, so neither always inherits the other's leftovers.
    let q: { totalMs: number; acceptMs: number };
    let r: number;
    if (rep % 2 === 0) {
      r = await runRaw(MESSAGES);
      q = await runQuicksend(MESSAGES);
    } else {
      q = await runQuicksend(MESSAGES);
      r = await runRaw(MESSAGES);
    }
    const qPer = q.totalMs / MESSAGES;
    const rPer = r / MESSAGES;
    result.quicksendMsPerMessage.push(qPer);
    result.quicksendAcceptMsPerMessage.push(q.acceptMs / MESSAGES);
    result.rawMsPerMessage.push(rPer);
    result.ratios.push(qPer / rPer);
    let line = `rep ${rep + 1}/${REPS}: Quicksend ${qPer.toFixed(2)} ms/msg, raw nodemailer ${rPer.toFixed(2)} ms/msg`;
    if ('msPerMessage' in result.msmtp) {
      const times = await runMsmtp(MSMTP_PER_REP);
      const sorted = [...times].sort((a, b) => a - b);
      const median = sorted[Math.floor(sorted.length / 2)]!;
      result.msmtp.msPerMessage.push(...times);
      result.msmtp.ratios.push(median / qPer);
      line += `, msmtp ${median.toFixed(1)} ms/msg`;
    }
    progress(line);
  }

  progress('send pipeline: one profiled Quicksend repetition (explains the ratio, not counted)');
  let wallMs = 0;
  const cpu = await profileDuring(async () => {
    wallMs = (await runQuicksend(MESSAGES)).totalMs;
  });
  const attribution = attribute(cpu, PLACES);
  result.profile = {
    messages: MESSAGES,
    wallMsPerMessage: wallMs / MESSAGES,
    totalCpuMs: attribution.totalCpuMs / MESSAGES,
    places: attribution.places.map((p) => ({ label: p.label, cpuMs: p.cpuMs / MESSAGES })),
  };

  raw.close();
  await bench.dispose();
  if (msmtpDir) rmSync(msmtpDir, { recursive: true, force: true });
  return result;
});
