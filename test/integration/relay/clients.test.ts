/**
 * Issue 16 items 5 and 8: real third-party SMTP clients send through the relay into the real
 * outbox (sealed on disk, then sent with nodemailer's `raw` + envelope, XOAUTH2 with real
 * sandbox tokens), and what the sandbox SMTP server receives is compared with what the client
 * sent: the body byte for byte, every attachment by sha256, and the headers as RFC 6409
 * section 8 allows (Bcc gone, Date and Message-ID added only when missing, every other field
 * kept in order), envelope recipients exactly; history records each as from the program.
 */
import { execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { chmod, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { headerEnd } from '../../../electron/relay/header-edit';
import { createSandboxTokenSource } from '../../fakes/sandbox-token-source';
import { startSandbox, type ReceivedMessage, type Sandbox } from '../../support/sandbox';
import { freePort, openRelayWorld, type RelayWorld } from '../../support/relay/relay-world';
import { startLiveMail, type LiveMail } from '../../fakes/live-mail-service';
import { createRelayedSink } from '../../../electron/outbox/relayed-messages';
import { systemClock } from '../../../electron/shared/ports';

const run = promisify(execFile);
const USER = 'demo@quicksend.test';
let sandbox: Sandbox;
let world: RelayWorld;
let live: LiveMail;
let credential: { username: string; password: string };
let certFile: string;
let certPem: string;
let tlsPort: number;
const work = mkdtempSync(path.join(os.tmpdir(), 'quicksend-clients-'));

beforeAll(async () => {
  sandbox = await startSandbox({ users: [{ email: USER, name: 'Demo User' }] });
  const tokens = await createSandboxTokenSource(sandbox);
  await tokens.signIn('acc-1', USER);
  live = await startLiveMail(sandbox, tokens, 'acc-1', USER);
  const sink = createRelayedSink({
    intake: (message) => live.service.acceptRelayed(message),
    needsSignIn: () => null,
    notifier: { notify: () => {} },
    clock: systemClock,
  });
  world = await openRelayWorld({ sink });
  tlsPort = await freePort();
  const status = await world.enable({ implicitTlsPort: tlsPort });
  expect(status.state).toBe('listening');
  certPem = status.certificate!.pem;
  certFile = path.join(work, 'quicksend-relay.pem');
  await writeFile(certFile, certPem);
  credential = await world.createCredential({ programName: 'client tests' });
}, 30_000);

afterAll(async () => {
  await world?.stop();
  await live?.service.stop();
  await sandbox?.stop();
});

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Random attachments, one binary and one text whose lines start with dots (SMTP dot-stuffing). */
function attachments() {
  return [
    { filename: 'photo.bin', content: randomBytes(300 * 1024), contentType: 'application/octet-stream' },
    {
      filename: 'notes.txt',
      content: Buffer.from('.leading dot\r\n..two dots\r\n.\r\nend\r\n'),
      contentType: 'text/plain',
    },
  ];
}

/** A MIME message as a client would write it (CRLF), optionally without Date and Message-ID. */
async function composeMessage(options: { subject: string; bcc?: string; keepDateAndId: boolean }): Promise<Buffer> {
  const composer = new MailComposer({
    from: `Demo User <${USER}>`,
    to: 'Bob <bob@example.org>',
    cc: 'carol@example.net',
    ...(options.bcc ? { bcc: options.bcc } : {}),
    subject: options.subject,
    text: `Hello from ${options.subject}.\r\n.a line starting with a dot\r\nÜmlauts and 8-bit text.\r\n`,
    attachments: attachments(),
  });
  const node = composer.compile();
  // MailComposer leaves Bcc out unless asked: a client that writes it (mutt, scripts) keeps it.
  if (options.bcc) node.keepBcc = true;
  let raw = await new Promise<Buffer>((resolve, reject) =>
    node.build((error, built) => (error ? reject(error) : resolve(built))),
  );
  if (!options.keepDateAndId)
    raw = Buffer.from(raw.toString('latin1').replace(/^(Date|Message-ID): [^\r\n]*\r\n/gim, ''), 'latin1');
  return raw;
}

/** Header fields (unfolded names + raw lines) of a message, in order. */
function fields(raw: Buffer): Array<{ name: string; line: string }> {
  const head = raw.subarray(0, headerEnd(raw)).toString('latin1');
  return head
    .split(/\r\n(?![ \t])/)
    .filter(Boolean)
    .map((line) => ({ name: line.slice(0, line.indexOf(':')).toLowerCase(), line }));
}

let seen = 0;
async function nextDelivered(): Promise<{ received: ReceivedMessage; raw: Buffer }> {
  seen += 1;
  const all = await sandbox.smtp.waitForMessages(seen, 20_000);
  const received = all[seen - 1]!;
  const raw = await sandbox.smtp.read(received.id);
  // The outbox let it go and history says who sent it, under the Message-ID it went out with.
  await live.waitFor((s) => s.items.length === 0);
  const [latest] = await live.service.history(1);
  const parsed = await simpleParser(raw);
  expect(latest).toMatchObject({
    outcome: 'sent',
    via: { program: 'client tests' },
    subject: parsed.subject ?? '',
    messageId: parsed.messageId,
    to: received.to,
  });
  return { received, raw };
}

/** The comparison every client's message must pass. */
async function expectFaithful(sent: Buffer, raw: Buffer, options: { addedDateAndId: boolean }) {
  // Body: byte for byte.
  expect(sha256(raw.subarray(headerEnd(raw)))).toBe(sha256(sent.subarray(headerEnd(sent))));
  // Headers: the client's own fields, Bcc removed, in their order; Date and Message-ID once each.
  const before = fields(sent).filter((f) => f.name !== 'bcc');
  const after = fields(raw);
  expect(after.filter((f) => f.name === 'bcc')).toEqual([]);
  const kept = after.filter((f) => before.some((b) => b.line === f.line));
  expect(kept.map((f) => f.line)).toEqual(before.map((f) => f.line));
  expect(after.filter((f) => f.name === 'date')).toHaveLength(1);
  expect(after.filter((f) => f.name === 'message-id')).toHaveLength(1);
  expect(after.length - before.length).toBe(options.addedDateAndId ? 2 : 0);
  // Attachments: every one, by sha256.
  const [a, b] = await Promise.all([simpleParser(sent), simpleParser(raw)]);
  expect(b.attachments.map((x) => [x.filename, sha256(x.content)])).toEqual(
    a.attachments.map((x) => [x.filename, sha256(x.content)]),
  );
  expect(b.attachments.length).toBe(2);
  expect(b.text).toBe(a.text);
}

describe('third-party clients through the relay', () => {
  test('curl’s SMTP client, plain connection with AUTH on the loopback', async () => {
    const sent = await composeMessage({ subject: 'curl plain', keepDateAndId: false });
    const file = path.join(work, 'curl.eml');
    await writeFile(file, sent);
    await run('curl', [
      '--silent',
      '--show-error',
      '--url',
      `smtp://127.0.0.1:${world.port}`,
      '--mail-from',
      USER,
      '--mail-rcpt',
      'bob@example.org',
      '--mail-rcpt',
      'carol@example.net',
      '--mail-rcpt',
      'hidden@example.com',
      '--upload-file',
      file,
      '--user',
      `${credential.username}:${credential.password}`,
    ]);
    const { received, raw } = await nextDelivered();
    expect(received.from).toBe(USER);
    expect(received.to).toEqual(['bob@example.org', 'carol@example.net', 'hidden@example.com']);
    await expectFaithful(sent, raw, { addedDateAndId: true });
  });

  test('curl over the implicit-TLS port, verifying the relay’s certificate', async () => {
    const sent = await composeMessage({ subject: 'curl smtps', keepDateAndId: true });
    const file = path.join(work, 'curl-tls.eml');
    await writeFile(file, sent);
    await run('curl', [
      '--silent',
      '--show-error',
      '--url',
      `smtps://127.0.0.1:${tlsPort}`,
      '--cacert',
      certFile,
      '--mail-from',
      USER,
      '--mail-rcpt',
      'bob@example.org',
      '--upload-file',
      file,
      '--user',
      `${credential.username}:${credential.password}`,
    ]);
    const { received, raw } = await nextDelivered();
    expect(received.to).toEqual(['bob@example.org']);
    await expectFaithful(sent, raw, { addedDateAndId: false });
  });

  test('Python’s smtplib with STARTTLS (certificate verified), a Bcc header removed, its address kept in the envelope', async () => {
    const sent = await composeMessage({ subject: 'python starttls', bcc: 'secret@example.com', keepDateAndId: true });
    expect(sent.toString('latin1')).toMatch(/^Bcc: secret@example.com\r\n/m);
    const file = path.join(work, 'python.eml');
    await writeFile(file, sent);
    const script = [
      'import smtplib, ssl, sys',
      'port, user, password, cafile, path = sys.argv[1:6]',
      'context = ssl.create_default_context(cafile=cafile)',
      'with smtplib.SMTP("127.0.0.1", int(port), timeout=20) as s:',
      '    s.starttls(context=context)',
      '    s.login(user, password)',
      '    s.sendmail("demo@quicksend.test", ["bob@example.org", "carol@example.net", "secret@example.com"], open(path, "rb").read())',
    ].join('\n');
    await run('python3', ['-c', script, String(world.port), credential.username, credential.password, certFile, file]);
    const { received, raw } = await nextDelivered();
    expect(received.to).toEqual(['bob@example.org', 'carol@example.net', 'secret@example.com']);
    expect(raw.toString('latin1')).not.toMatch(/secret@example\.com/);
    await expectFaithful(sent, raw, { addedDateAndId: false });
  });

  test('msmtp as `sendmail -t` with a message piped in, STARTTLS with the saved certificate', async () => {
    const sent = await composeMessage({ subject: 'msmtp sendmail -t', keepDateAndId: false });
    const config = path.join(work, 'msmtprc');
    await writeFile(
      config,
      [
        'defaults',
        'tls on',
        'tls_starttls on',
        `tls_trust_file ${certFile}`,
        'account quicksend',
        'host 127.0.0.1',
        `port ${world.port}`,
        'auth plain',
        `user ${credential.username}`,
        `password ${credential.password}`,
        `from ${USER}`,
        'account default : quicksend',
        '',
      ].join('\n'),
    );
    await chmod(config, 0o600);
    await new Promise<void>((resolve, reject) => {
      const child = spawn('msmtp', ['-C', config, '-t'], { stdio: ['pipe', 'inherit', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`msmtp exited ${code}: ${stderr}`))));
      child.stdin.end(sent);
    });
    const { received, raw } = await nextDelivered();
    expect(received.from).toBe(USER);
    expect(received.to.sort()).toEqual(['bob@example.org', 'carol@example.net']);
    await expectFaithful(sent, raw, { addedDateAndId: true });
  });

  test('git send-email with its own SMTP settings (STARTTLS, certificate verified)', async () => {
    const repo = path.join(work, 'repo');
    const git = (...args: string[]) =>
      run('git', ['-C', repo, ...args], { env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: work } });
    await run('git', ['init', '-q', repo]);
    await git('config', 'user.name', 'Demo User');
    await git('config', 'user.email', USER);
    const content = `${randomBytes(2000).toString('base64')}\n`;
    await writeFile(path.join(repo, 'file.txt'), content);
    await git('add', 'file.txt');
    await git('commit', '-q', '-m', 'Add a file through the relay');
    await git(
      'send-email',
      '--quiet',
      '--confirm=never',
      '--suppress-cc=all',
      '--no-chain-reply-to',
      `--smtp-server=127.0.0.1`,
      `--smtp-server-port=${world.port}`,
      '--smtp-encryption=tls',
      `--smtp-ssl-cert-path=${certFile}`,
      `--smtp-user=${credential.username}`,
      `--smtp-pass=${credential.password}`,
      '--smtp-domain=client.test',
      `--from=Demo User <${USER}>`,
      '--to=maintainer@example.org',
      '--cc=list@example.org',
      '-1',
    );
    const { received, raw } = await nextDelivered();
    expect(received.to).toEqual(['maintainer@example.org', 'list@example.org']);
    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe('[PATCH] Add a file through the relay');
    expect(parsed.from?.value[0]?.address).toBe(USER);
    // git writes its own Message-ID and Date; the relay keeps them.
    expect(parsed.messageId).toMatch(/@/);
    expect(fields(raw).filter((f) => f.name === 'message-id')).toHaveLength(1);
    expect(parsed.text).toContain(`+${content.trimEnd()}`);
  });

  test('nodemailer (PLAIN over STARTTLS, the relay’s certificate as CA), Bcc from the envelope only', async () => {
    const relayTransport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: world.port,
      secure: false,
      requireTLS: true,
      tls: { ca: certPem },
      auth: { user: credential.username, pass: credential.password },
    });
    const files = attachments();
    const info = await relayTransport.sendMail({
      from: USER,
      to: 'bob@example.org',
      bcc: 'hidden@example.com',
      subject: 'nodemailer',
      text: 'Sent by nodemailer.',
      attachments: files,
    });
    relayTransport.close();
    expect(info.response).toMatch(/^250 2\.0\.0 Queued by Quicksend as /);
    const { received, raw } = await nextDelivered();
    expect(received.to).toEqual(['bob@example.org', 'hidden@example.com']);
    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe('nodemailer');
    expect(parsed.attachments.map((a) => sha256(a.content))).toEqual(files.map((f) => sha256(f.content)));
    expect(raw.toString('latin1')).not.toMatch(/hidden@example\.com/);
  });
});
