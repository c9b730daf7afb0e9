/**
 * Issue 16 item 5, the outbox behind the relay: a process killed with SIGKILL right after its
 * 250 loses nothing (a fresh mail service over the same data directory sends the message,
 * byte for byte, Bcc gone, envelope exact, recorded as from the program); a process killed
 * during DATA leaves nothing to send (the client still has it); the message sits sealed on disk
 * meanwhile; and a message over the account's limit by bytes stores nothing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { headerEnd } from '../../../electron/relay/header-edit';
import { createRelayedSink } from '../../../electron/outbox/relayed-messages';
import { systemClock } from '../../../electron/shared/ports';
import { createSandboxTokenSource, type SandboxTokenSource } from '../../fakes/sandbox-token-source';
import { startLiveMail, type LiveMail } from '../../fakes/live-mail-service';
import { tempDataDir } from '../../support/node-ports';
import { openRelayWorld, type RelayWorld } from '../../support/relay/relay-world';
import { plainAuth, smtpTalk } from '../../support/relay/smtp-talk';
import { startSandbox, type Sandbox } from '../../support/sandbox';

const USER = 'demo@quicksend.test';
const CHILD = fileURLToPath(new URL('../../support/relay-crash-child.ts', import.meta.url));
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

let sandbox: Sandbox;
let tokens: SandboxTokenSource;
const children = new Set<ChildProcess>();
const services: LiveMail[] = [];
let world: RelayWorld | undefined;

beforeAll(async () => {
  sandbox = await startSandbox({ users: [{ email: USER, name: 'Demo User' }] });
  tokens = await createSandboxTokenSource(sandbox);
  await tokens.signIn('acc-1', USER);
}, 30_000);

afterEach(async () => {
  for (const child of children) child.kill('SIGKILL');
  await world?.stop();
  world = undefined;
  for (const live of services.splice(0)) await live.service.stop();
});

afterAll(async () => {
  await sandbox?.stop();
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

type Ready = { port: number; username: string; password: string };

/** Starts the relay crash child; resolves with its relay port and credential. */
function startChild(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; ready: Ready; exited: Promise<NodeJS.Signals | null> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => void (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('exit', (_code, signal) => (children.delete(child), resolve(signal))),
  );
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`relay crash child exited with ${code}: ${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (text) => {
      let line: { event?: string } & Partial<Ready>;
      try {
        line = JSON.parse(text) as typeof line;
      } catch {
        return; // not ours (a library notice)
      }
      if (line.event === 'ready') resolve({ child, ready: line as Ready, exited });
    });
  });
}

const storage = () => ({ dataDir: tempDataDir('quicksend-relay-crash-'), key: randomBytes(32) });
const childEnv = (s: { dataDir: string; key: Buffer }) => ({
  RELAY_CRASH_DATA_DIR: s.dataDir,
  RELAY_CRASH_CIPHER_KEY: s.key.toString('hex'),
});

describe('a crash and the relay’s 250', () => {
  test('killed right after 250: a fresh start sends the message byte for byte, Bcc gone, envelope exact, from the program', async () => {
    const stored = storage();
    const { child, ready, exited } = await startChild(childEnv(stored));
    const body = `Crash-proof body ${randomBytes(8).toString('hex')}: never in plain on disk.`;
    const attachment = randomBytes(200 * 1024);
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: ready.port,
      secure: false,
      ignoreTLS: true,
      auth: { user: ready.username, pass: ready.password },
    });
    const info = await transport.sendMail({
      from: USER,
      to: 'bob@example.org',
      cc: 'carol@example.net',
      bcc: 'hidden@example.com',
      subject: 'Before the crash',
      text: body,
      attachments: [{ filename: 'data.bin', content: attachment }],
    });
    child.kill('SIGKILL');
    transport.close();
    expect(info.response).toMatch(/^250 2\.0\.0 Queued by Quicksend as /);
    expect(await exited).toBe('SIGKILL');

    // On disk: one entry, sealed (the body is in no file in plain).
    const entries = readdirSync(path.join(stored.dataDir, 'outbox')).filter((name) => !name.startsWith('.'));
    expect(entries).toHaveLength(1);
    expect(filesUnder(stored.dataDir).filter((f) => readFileSync(f, 'latin1').includes(body.slice(0, 30)))).toEqual([]);

    const before = sandbox.smtp.messages().length;
    const live = await startLiveMail(sandbox, tokens, 'acc-1', USER, {}, 0, stored);
    services.push(live);
    const received = (await sandbox.smtp.waitForMessages(before + 1, 20_000))[before]!;
    expect(received.from).toBe(USER);
    expect(received.to).toEqual(['bob@example.org', 'carol@example.net', 'hidden@example.com']);
    const raw = await sandbox.smtp.read(received.id);
    expect(raw.toString('latin1')).not.toMatch(/hidden@example\.com/);
    const parsed = await simpleParser(raw);
    expect(parsed.text?.trim()).toBe(body);
    expect(parsed.attachments.map((a) => [a.filename, sha256(a.content)])).toEqual([['data.bin', sha256(attachment)]]);
    expect(parsed.messageId).toBe(info.messageId);
    expect(raw.subarray(0, headerEnd(raw)).toString('latin1')).not.toMatch(/^bcc:/im);

    await live.waitFor((s) => s.items.length === 0);
    const history = await live.service.history();
    expect(history).toMatchObject([
      { outcome: 'sent', subject: 'Before the crash', via: { program: 'crash script' }, messageId: info.messageId },
    ]);
    // Sent and gone: nothing of it is left in the outbox folder.
    expect(readdirSync(path.join(stored.dataDir, 'outbox'))).toEqual([]);
  }, 60_000);

  test('killed during DATA, before any reply: nothing is stored, nothing is sent (the client keeps it)', async () => {
    const stored = storage();
    const { child, ready, exited } = await startChild(childEnv(stored));
    const talk = smtpTalk(ready.port);
    expect((await talk.greeting).code).toBe(220);
    await talk.send('EHLO client.test');
    expect((await talk.send(`AUTH PLAIN ${plainAuth(ready.username, ready.password)}`)).code).toBe(235);
    expect((await talk.send(`MAIL FROM:<${USER}>`)).code).toBe(250);
    expect((await talk.send('RCPT TO:<bob@example.org>')).code).toBe(250);
    expect((await talk.send('DATA')).code).toBe(354);
    talk.write(`From: ${USER}\r\nTo: bob@example.org\r\nSubject: Half a message\r\n\r\n${'half '.repeat(100_000)}\r\n`);
    // The outbox is staging it now: an `.incoming-` folder exists until the end of DATA.
    await expect
      .poll(() => readdirSync(path.join(stored.dataDir, 'outbox')).some((name) => name.startsWith('.incoming-')), {
        timeout: 10_000,
      })
      .toBe(true);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    talk.close();

    const before = sandbox.smtp.messages().length;
    const live = await startLiveMail(sandbox, tokens, 'acc-1', USER, {}, 0, stored);
    services.push(live);
    expect((await live.service.outbox()).items).toEqual([]);
    // The half-written stage was swept at start.
    expect(readdirSync(path.join(stored.dataDir, 'outbox'))).toEqual([]);
    expect(sandbox.smtp.messages().length).toBe(before);
  }, 60_000);
});

describe('sent like composed mail', () => {
  test('held while sending is paused; then a refused recipient is reported, a put-off one retried, each other recipient served once', async () => {
    const live = await startLiveMail(sandbox, tokens, 'acc-1', USER);
    services.push(live);
    world = await openRelayWorld({
      sink: createRelayedSink({
        intake: (m) => live.service.acceptRelayed(m),
        needsSignIn: () => null,
        notifier: { notify: () => {} },
        clock: systemClock,
      }),
    });
    await world.enable();
    const credential = await world.createCredential({ programName: 'report mailer' });
    await live.service.setPaused(true);
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: world.port,
      secure: false,
      ignoreTLS: true,
      auth: { user: credential.username, pass: credential.password },
    });
    const before = sandbox.smtp.messages().length;
    try {
      sandbox.smtp.refuseRecipient('nobody@example.org');
      sandbox.smtp.deferRecipient('grey@example.org');
      const info = await transport.sendMail({
        from: USER,
        to: ['bob@example.org', 'nobody@example.org'],
        bcc: 'grey@example.org',
        subject: 'Weekly report',
        text: 'numbers',
      });
      expect(info.response).toMatch(/^250 /);
      const held = await live.waitFor((s) => s.items.length === 1);
      expect(held.items[0]).toMatchObject({
        state: 'paused',
        subject: 'Weekly report',
        via: { program: 'report mailer' },
        to: ['bob@example.org', 'nobody@example.org', 'grey@example.org'],
      });
      expect(sandbox.smtp.messages().length).toBe(before);

      await live.service.setPaused(false);
      const failed = await live.waitFor((s) => s.items[0]?.state === 'failed');
      expect(failed.items[0]).toMatchObject({
        deliveredTo: ['bob@example.org', 'grey@example.org'],
        refused: [{ address: 'nobody@example.org' }],
        via: { program: 'report mailer' },
      });
      const received = sandbox.smtp.messages().slice(before);
      expect(received.map((m) => m.to)).toEqual([['bob@example.org'], ['grey@example.org']]);
      const history = await live.service.history();
      expect(history).toMatchObject([
        {
          outcome: 'sent',
          subject: 'Weekly report',
          via: { program: 'report mailer' },
          refused: [{ address: 'nobody@example.org', reply: expect.stringContaining('User unknown') }],
        },
      ]);
      // A program's message has no composer text: discarding it gives no draft back.
      expect(await live.service.cancel(failed.items[0]!.id)).toEqual({ cancelled: true, draft: null });
    } finally {
      transport.close();
      sandbox.smtp.clearFaults();
    }
  }, 60_000);
});

describe('limits', () => {
  test('a message over the account’s limit by bytes gets 552 and nothing is stored or sent', async () => {
    const live = await startLiveMail(sandbox, tokens, 'acc-1', USER);
    services.push(live);
    // The outbox's own limit, below the relay's: the sink counts while it stores.
    live.account.attachmentLimitBytes = 100_000;
    world = await openRelayWorld({
      sink: createRelayedSink({
        intake: (m) => live.service.acceptRelayed(m),
        needsSignIn: () => null,
        notifier: { notify: () => {} },
        clock: systemClock,
      }),
    });
    await world.enable();
    const credential = await world.createCredential();
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: world.port,
      secure: false,
      ignoreTLS: true,
      auth: { user: credential.username, pass: credential.password },
    });
    const before = sandbox.smtp.messages().length;
    await expect(
      transport.sendMail({ from: USER, to: 'bob@example.org', subject: 'Too big', text: 'y'.repeat(300_000) }),
    ).rejects.toMatchObject({ responseCode: 552 });
    // Just under the limit goes through the same way, so the refusal was the size.
    const ok = await transport.sendMail({
      from: USER,
      to: 'bob@example.org',
      subject: 'Small enough',
      text: 'y'.repeat(1000),
    });
    transport.close();
    expect(ok.response).toMatch(/^250 /);
    await sandbox.smtp.waitForMessages(before + 1, 20_000);
    await live.waitFor((s) => s.items.length === 0);
    expect(readdirSync(path.join(live.storage.dataDir, 'outbox'))).toEqual([]);
    const history = await live.service.history();
    expect(history.map((h) => h.subject)).toEqual(['Small enough']);
    expect(sandbox.smtp.messages().length).toBe(before + 1);
  }, 60_000);
});
