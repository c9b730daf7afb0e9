/**
 * The benchmarks' servers, in their own process so they never share a CPU budget line or a heap
 * with the code measured: the sandbox identity provider and the sandbox SMTP server (STARTTLS +
 * XOAUTH2) on 127.0.0.1, plus a small control API on 127.0.0.1 that the benchmark processes use
 * to read counts and accept times. Prints one JSON line (`ServersInfo`) on stdout when ready.
 *
 * Control API (GET, JSON): /stats, /accepted?from=N (accept records from index N),
 * /wait?count=N&timeoutMs=T (answers once N messages were accepted in total), /reset-mail
 * (deletes stored .eml files). Accept times are `performance.timeOrigin + performance.now()`,
 * the same wall clock the benchmark processes read, in milliseconds.
 */
import { rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SANDBOX_MAIL_SCOPE, startSandbox, type ReceivedMessage } from '../test/support/sandbox';
import type { AcceptRecord, ServersInfo, ServersStats } from './lib/servers-protocol';

const wallNow = () => performance.timeOrigin + performance.now();

const scratch = mkdtempSync(path.join(os.tmpdir(), 'quicksend-bench-servers-'));
const caFile = path.join(scratch, 'sandbox-ca.pem');

const sandbox = await startSandbox({
  users: [{ email: 'bench@quicksend.test', name: 'Bench User' }],
  // Big enough for the 200 MB attachment (base64 adds a third).
  smtp: { sizeLimitBytes: 400 * 1024 * 1024, mailDir: path.join(scratch, 'mail'), socketTimeoutMs: 120_000 },
});
writeFileSync(caFile, sandbox.smtp.ca);

const accepted: AcceptRecord[] = [];
const waiters = new Set<() => void>();
sandbox.smtp.events.on('message', (message: ReceivedMessage) => {
  accepted.push({ at: wallNow(), messageId: message.messageId, sizeBytes: message.sizeBytes, user: message.user });
  // The benchmarks never read bodies back: delete each file at once (the 200 MB ones add up).
  void unlink(message.file).catch(() => {});
  for (const wake of [...waiters]) wake();
});

function stats(): ServersStats {
  return { smtp: sandbox.smtp.stats(), tokenRequests: sandbox.tokenRequests(), accepted: accepted.length };
}

function waitFor(count: number, timeoutMs: number): Promise<boolean> {
  if (accepted.length >= count) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      waiters.delete(check);
      resolve(false);
    }, timeoutMs);
    function check(): void {
      if (accepted.length < count) return;
      clearTimeout(timer);
      waiters.delete(check);
      resolve(true);
    }
    waiters.add(check);
  });
}

const control = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const json = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const number = (name: string, fallback: number) => {
    const value = Number(url.searchParams.get(name) ?? fallback);
    return Number.isFinite(value) ? value : fallback;
  };
  if (url.pathname === '/stats') return json(200, stats());
  if (url.pathname === '/accepted') return json(200, accepted.slice(number('from', 0)));
  if (url.pathname === '/wait') {
    const count = number('count', 1);
    void waitFor(count, number('timeoutMs', 30_000)).then((ok) => json(ok ? 200 : 504, { ok, ...stats() }));
    return;
  }
  json(404, { error: 'unknown route' });
});
await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));

const info: ServersInfo = {
  issuer: sandbox.issuer,
  clientId: sandbox.clientId,
  mailScope: SANDBOX_MAIL_SCOPE,
  email: 'bench@quicksend.test',
  smtpHost: sandbox.smtp.host,
  smtpPort: sandbox.smtp.port,
  ca: sandbox.smtp.ca,
  caFile,
  control: `http://127.0.0.1:${(control.address() as AddressInfo).port}`,
  pid: process.pid,
};
process.stdout.write(`${JSON.stringify(info)}\n`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  control.closeAllConnections();
  control.close();
  await sandbox.stop().catch(() => {});
  rmSync(scratch, { recursive: true, force: true });
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
// The runner closes our stdin when it is done (or dies): never outlive it.
process.stdin.on('end', () => void stop());
process.stdin.resume();
