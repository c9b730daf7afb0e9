/**
 * Issue 16 item 9: every refusal with a clear reply and nothing queued. A real relay on
 * 127.0.0.1 with a file sink standing in for the outbox (fsync + rename), driven by a bare
 * SMTP client so each test sees exactly what the relay answered.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { createManualClock } from '../../fakes/manual-clock';
import { tempDataDir } from '../../support/node-ports';
import { openRelayWorld, type RelayWorld } from '../../support/relay/relay-world';
import { createFileSink, type FileSink } from '../../support/relay/sinks';
import { plainAuth, smtpTalk, type SmtpTalk } from '../../support/relay/smtp-talk';

let world: RelayWorld | undefined;
let sink: FileSink;
const talks: SmtpTalk[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const talk of talks.splice(0)) talk.close();
  for (const child of children.splice(0)) child.kill();
  await world?.stop();
  world = undefined;
});

async function open(options: Parameters<typeof openRelayWorld>[0] extends infer O ? Partial<O> : never = {}) {
  sink = createFileSink(path.join(tempDataDir('quicksend-sink-'), 'outbox'));
  world = await openRelayWorld({
    sink,
    relay: { auth: { failureDelayMs: 20, maxFailuresPerMinute: 5, lockoutMs: 60_000 }, ...options.relay },
    ...(options.clock ? { clock: options.clock } : {}),
  });
  return world;
}

function connect(port = world!.port): SmtpTalk {
  const talk = smtpTalk(port);
  talks.push(talk);
  return talk;
}

async function signedIn(credential: { username: string; password: string }): Promise<SmtpTalk> {
  const talk = connect();
  expect((await talk.greeting).code).toBe(220);
  expect((await talk.send('EHLO client.test')).code).toBe(250);
  expect((await talk.send(`AUTH PLAIN ${plainAuth(credential.username, credential.password)}`)).code).toBe(235);
  return talk;
}

/** Nothing queued: no stored message and no file (temp files included) in the sink's folder. */
async function expectNothingQueued() {
  expect(sink.stored).toEqual([]);
  expect(await sink.files()).toEqual([]);
}

const message = (from = 'demo@quicksend.test', body = 'Hello') =>
  `From: ${from}\r\nTo: bob@example.org\r\nSubject: test\r\n\r\n${body}\r\n.\r\n`;

describe('sign-in', () => {
  test('no AUTH, no sending: MAIL FROM before sign-in gets 530', async () => {
    await open();
    await world!.enable();
    const talk = connect();
    await talk.greeting;
    const ehlo = await talk.send('EHLO client.test');
    expect(ehlo.text).toMatch(/AUTH PLAIN LOGIN/);
    expect(ehlo.text).not.toMatch(/XOAUTH2|CRAM/);
    const reply = await talk.send('MAIL FROM:<demo@quicksend.test>');
    expect(reply.code).toBe(530);
    await expectNothingQueued();
  });

  test('a wrong password is refused with 535 only after the delay, and is never logged', async () => {
    const clock = createManualClock(Date.now());
    await open({ clock, relay: { auth: { failureDelayMs: 1000, maxFailuresPerMinute: 5, lockoutMs: 60_000 } } });
    await world!.enable();
    const { username } = await world!.createCredential();
    const talk = connect();
    await talk.greeting;
    await talk.send('EHLO client.test');
    const wrong = 'wrong-password-that-must-not-be-logged';
    const reply = talk.send(`AUTH PLAIN ${plainAuth(username, wrong)}`);
    // The failure is logged synchronously, before its delayed answer can be sent.
    await expect.poll(() => world!.logText().includes('relay sign-in failed')).toBe(true);
    expect(clock.pending()).toEqual([1000]);
    expect(talk.pending()).toBe('');
    clock.advance(1000);
    expect((await reply).code).toBe(535);
    expect(world!.logText()).not.toContain(wrong);
    expect(world!.logText()).not.toContain(plainAuth(username, wrong));
  });

  test('AUTH LOGIN works too, and an unknown username is refused like a wrong password', async () => {
    await open();
    await world!.enable();
    const { username, password } = await world!.createCredential();
    const talk = connect();
    await talk.greeting;
    await talk.send('EHLO client.test');
    expect((await talk.send('AUTH LOGIN')).code).toBe(334);
    expect((await talk.send(Buffer.from(username).toString('base64'))).code).toBe(334);
    expect((await talk.send(Buffer.from(password).toString('base64'))).code).toBe(235);
    const other = connect();
    await other.greeting;
    await other.send('EHLO client.test');
    expect((await other.send(`AUTH PLAIN ${plainAuth('qs-nosuchuser', password)}`)).code).toBe(535);
  });

  test('too many failures lock the name out for a while (even the right password), then it recovers', async () => {
    const clock = createManualClock(Date.now());
    await open({ clock, relay: { auth: { failureDelayMs: 0, maxFailuresPerMinute: 3, lockoutMs: 5 * 60_000 } } });
    await world!.enable();
    const credential = await world!.createCredential();
    const talk = connect();
    await talk.greeting;
    await talk.send('EHLO client.test');
    for (let i = 0; i < 3; i++) {
      const reply = talk.send(`AUTH PLAIN ${plainAuth(credential.username, `wrong-${i}`)}`);
      await expect.poll(() => clock.pending().length).toBe(1);
      clock.advance(0);
      expect((await reply).code).toBe(535);
    }
    const locked = await talk.send(`AUTH PLAIN ${plainAuth(credential.username, credential.password)}`);
    expect(locked.code).toBe(454);
    expect(locked.text).toMatch(/Too many failed sign-ins/);
    expect(locked.text).toMatch(/5 more minute/);
    clock.advance(5 * 60_000);
    const again = connect();
    await again.greeting;
    await again.send('EHLO client.test');
    expect((await again.send(`AUTH PLAIN ${plainAuth(credential.username, credential.password)}`)).code).toBe(235);
  });

  test('a revoked credential can no longer sign in, and a session already signed in can no longer send', async () => {
    await open();
    await world!.enable();
    const credential = await world!.createCredential();
    const talk = await signedIn(credential);
    expect(await world!.relay.revokeCredential(credential.id)).toEqual({ revoked: true });
    const reply = await talk.send('MAIL FROM:<demo@quicksend.test>');
    expect(reply.code).toBe(530);
    expect(reply.text).toMatch(/revoked/);
    const fresh = connect();
    await fresh.greeting;
    await fresh.send('EHLO client.test');
    expect((await fresh.send(`AUTH PLAIN ${plainAuth(credential.username, credential.password)}`)).code).toBe(535);
    await expectNothingQueued();
  });

  test('removing the account revokes its credentials', async () => {
    await open();
    await world!.enable();
    const credential = await world!.createCredential();
    expect(await world!.relay.revokeForAccount('acc-1')).toBe(1);
    expect(await world!.relay.listPrograms()).toEqual([]);
    const talk = connect();
    await talk.greeting;
    await talk.send('EHLO client.test');
    expect((await talk.send(`AUTH PLAIN ${plainAuth(credential.username, credential.password)}`)).code).toBe(535);
  });
});

describe('what is accepted', () => {
  test('an envelope sender that is not the account’s gets 553 naming the allowed addresses', async () => {
    await open();
    world!.accounts.set('acc-1', { ...world!.accounts.get('acc-1')!, fromAddress: 'Alias@Quicksend.test' });
    await world!.enable();
    const talk = await signedIn(await world!.createCredential());
    const reply = await talk.send('MAIL FROM:<mallory@example.net>');
    expect(reply.code).toBe(553);
    expect(reply.text).toContain('<demo@quicksend.test> or <alias@quicksend.test>');
    // Case does not matter.
    expect((await talk.send('MAIL FROM:<DEMO@quicksend.TEST>')).code).toBe(250);
    await expectNothingQueued();
  });

  test('a From header that is not the account’s gets 550 at the end of DATA and nothing is stored', async () => {
    await open();
    await world!.enable();
    const talk = await signedIn(await world!.createCredential());
    await talk.send('MAIL FROM:<demo@quicksend.test>');
    await talk.send('RCPT TO:<bob@example.org>');
    expect((await talk.send('DATA')).code).toBe(354);
    talk.write(message('Mallory <mallory@example.net>', 'x'.repeat(200_000)));
    const reply = await talk.next();
    expect(reply.code).toBe(550);
    expect(reply.text).toContain('<demo@quicksend.test>');
    expect(reply.text).toContain('mallory@example.net');
    await expectNothingQueued();
    // The session goes on: a good message after a refused one is taken.
    await talk.send('MAIL FROM:<demo@quicksend.test>');
    await talk.send('RCPT TO:<bob@example.org>');
    await talk.send('DATA');
    talk.write(message());
    expect((await talk.next()).code).toBe(250);
    expect(sink.stored).toHaveLength(1);
  });

  test('a credential set to rewrite From sends any From as the account, envelope recipients kept', async () => {
    await open();
    await world!.enable();
    const talk = await signedIn(await world!.createCredential({ rewriteFrom: true }));
    expect((await talk.send('MAIL FROM:<root@backup.local>')).code).toBe(250);
    await talk.send('RCPT TO:<Bob@Example.org>');
    await talk.send('RCPT TO:<carol@example.net>');
    await talk.send('DATA');
    talk.write(message('Backup <root@backup.local>'));
    expect((await talk.next()).code).toBe(250);
    // The local part is kept exactly; smtp-server folds the domain's case (domains are
    // case-insensitive, RFC 5321 2.4).
    expect(sink.stored[0]!.envelope).toEqual({
      from: 'demo@quicksend.test',
      to: ['Bob@example.org', 'carol@example.net'],
    });
    const { readFile } = await import('node:fs/promises');
    expect(await readFile(sink.stored[0]!.file, 'utf8')).toMatch(/^From: Backup <demo@quicksend\.test>\r\n/);
  });

  test('SIZE over the account’s limit gets 552 at MAIL FROM; EHLO advertises the largest account limit', async () => {
    await open();
    world!.accounts.set('acc-2', {
      id: 'acc-2',
      address: 'big@quicksend.test',
      fromAddress: 'big@quicksend.test',
      displayName: '',
      messageLimitBytes: 35 * 1024 * 1024,
    });
    await world!.enable();
    await world!.createCredential({ accountId: 'acc-2', programName: 'other' });
    const talk = await signedIn(await world!.createCredential());
    const ehlo = await talk.send('EHLO again.test');
    expect(ehlo.text).toContain(`SIZE ${35 * 1024 * 1024}`);
    const reply = await talk.send(`MAIL FROM:<demo@quicksend.test> SIZE=${25 * 1024 * 1024 + 1}`);
    expect(reply.code).toBe(552);
    expect(reply.text).toMatch(/25 MB/);
    await expectNothingQueued();
  });

  test('a message that grows past the limit during DATA gets 552 and is not stored', async () => {
    await open();
    world!.accounts.set('acc-1', { ...world!.accounts.get('acc-1')!, messageLimitBytes: 1024 * 1024 });
    await world!.enable();
    const talk = await signedIn(await world!.createCredential());
    await talk.send('MAIL FROM:<demo@quicksend.test>');
    await talk.send('RCPT TO:<bob@example.org>');
    await talk.send('DATA');
    talk.write(`From: demo@quicksend.test\r\n\r\n`);
    const line = `${'y'.repeat(998)}\r\n`;
    talk.write(line.repeat(1100));
    talk.write('.\r\n');
    const reply = await talk.next();
    expect(reply.code).toBe(552);
    await expectNothingQueued();
    expect(sink.aborted).toBe(1);
  });

  test('more recipients than the composer allows get 452 from the 101st on; nothing is queued without DATA', async () => {
    await open();
    await world!.enable();
    const talk = await signedIn(await world!.createCredential());
    await talk.send('MAIL FROM:<demo@quicksend.test>');
    for (let i = 0; i < 100; i++) expect((await talk.send(`RCPT TO:<r${i}@example.org>`)).code).toBe(250);
    const reply = await talk.send('RCPT TO:<r100@example.org>');
    expect(reply.code).toBe(452);
    expect(reply.text).toMatch(/at most 100/);
    await talk.send('QUIT');
    await expectNothingQueued();
  });

  test('a non-ASCII local part is refused clearly (SMTPUTF8 is not offered)', async () => {
    await open();
    await world!.enable();
    const talk = await signedIn(await world!.createCredential());
    expect((await talk.send('EHLO again.test')).text).not.toContain('SMTPUTF8');
    await talk.send('MAIL FROM:<demo@quicksend.test>');
    const reply = await talk.send('RCPT TO:<jürgen@example.org>');
    expect(reply.code).toBe(553);
    expect(reply.text).toMatch(/non-ASCII/);
  });

  test('the hourly send limit answers 451 and tells the person once', async () => {
    await open();
    await world!.enable();
    const credential = await world!.createCredential({ sendLimitPerHour: 2, programName: 'nightly report' });
    const talk = await signedIn(credential);
    for (let i = 0; i < 2; i++) {
      await talk.send('MAIL FROM:<demo@quicksend.test>');
      await talk.send('RCPT TO:<bob@example.org>');
      await talk.send('DATA');
      talk.write(message());
      expect((await talk.next()).code).toBe(250);
    }
    const reply = await talk.send('MAIL FROM:<demo@quicksend.test>');
    expect(reply.code).toBe(451);
    expect(reply.text).toMatch(/limit of 2 messages an hour/);
    expect((await talk.send('MAIL FROM:<demo@quicksend.test>')).code).toBe(451);
    expect(sink.stored).toHaveLength(2);
    expect(world!.notifications).toHaveLength(1);
    expect(world!.notifications[0]!.title).toContain('nightly report');
    expect(world!.notifications[0]!.body).toContain('demo@quicksend.test');
    const [program] = await world!.relay.listPrograms();
    expect(program).toMatchObject({ messageCount: 2, sentLastHour: 2 });
    expect(program!.lastUsedAt).not.toBeNull();
  });

  test('a sink that is not ready answers 451 and the client keeps its message', async () => {
    sink = createFileSink(path.join(tempDataDir(), 'unused'));
    const { notReadySink } = await import('../../support/relay/sinks');
    world = await openRelayWorld({ sink: notReadySink });
    await world.enable();
    const talk = await signedIn(await world.createCredential());
    await talk.send('MAIL FROM:<demo@quicksend.test>');
    await talk.send('RCPT TO:<bob@example.org>');
    await talk.send('DATA');
    talk.write(message('demo@quicksend.test', 'z'.repeat(300_000)));
    const reply = await talk.next();
    expect(reply.code).toBe(451);
    expect(reply.text).toMatch(/cannot queue/);
  });
});

describe('the connection', () => {
  test('a malformed command sequence gets 503 and nothing is queued', async () => {
    await open();
    await world!.enable();
    const talk = connect();
    await talk.greeting;
    expect((await talk.send('MAIL FROM:<demo@quicksend.test>')).code).toBe(503);
    const credential = await world!.createCredential();
    await talk.send('EHLO client.test');
    await talk.send(`AUTH PLAIN ${plainAuth(credential.username, credential.password)}`);
    expect((await talk.send('RCPT TO:<bob@example.org>')).code).toBe(503);
    expect((await talk.send('DATA')).code).toBe(503);
    await expectNothingQueued();
  });

  test.each(['before', 'after'])('an HTTP request line %s the greeting closes the connection at once', async (when) => {
    await open();
    await world!.enable();
    const talk = connect();
    if (when === 'after') expect((await talk.greeting).code).toBe(220);
    talk.write('POST /send HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n\r\nMAIL FROM:<x@y>\r\n');
    const reply = when === 'after' ? await talk.next() : await talk.greeting;
    expect(reply.code).toBe(421);
    await talk.closed;
    await expectNothingQueued();
  });

  test('a client that stalls in DATA is cut off after the (injected) timeout and nothing is stored', async () => {
    await open({ relay: { socketTimeoutMs: 300 } });
    await world!.enable();
    const talk = await signedIn(await world!.createCredential());
    await talk.send('MAIL FROM:<demo@quicksend.test>');
    await talk.send('RCPT TO:<bob@example.org>');
    await talk.send('DATA');
    talk.write('From: demo@quicksend.test\r\nSubject: half\r\n\r\nthe first half and then nothing');
    const reply = await talk.next();
    expect(reply.code).toBe(421);
    await talk.closed;
    await expect.poll(() => sink.aborted).toBe(1);
    await expectNothingQueued();
  });

  test('200 connections at once are served; the 201st gets 421, the app still answers, and a freed slot is usable', async () => {
    await open();
    await world!.enable();
    const held = Array.from({ length: 200 }, () => connect());
    const greetings = await Promise.all(held.map((talk) => talk.greeting));
    expect(greetings.every((g) => g.code === 220)).toBe(true);
    expect(world!.relay.connections()).toBe(200);
    const extra = connect();
    const refused = await extra.greeting;
    expect(refused.code).toBe(421);
    expect(refused.text).toMatch(/Too many programs/);
    await extra.closed;
    // The service answers while every slot is taken.
    expect((await world!.relay.status()).state).toBe('listening');
    held[0]!.close();
    await held[0]!.closed;
    await expect.poll(() => world!.relay.connections()).toBe(199);
    const credential = await world!.createCredential();
    const talk = await signedIn(credential);
    expect((await talk.send('NOOP')).code).toBe(250);
  }, 30_000);

  test('a relay asked to listen anywhere but the loopback refuses and opens nothing', async () => {
    for (const host of ['0.0.0.0', '::', 'localhost', '127.0.0.2', '192.168.1.10', '::ffff:127.0.0.1']) {
      await open({ relay: { hosts: [host] } });
      const status = await world!.enable();
      expect(status.state, host).toBe('failed');
      expect(status.problem?.message).toContain('only on this computer');
      expect(status.listening).toEqual([]);
      const refusedConnect = await new Promise<string>((resolve) => {
        const socket = net.connect({ port: world!.port, host: '127.0.0.1' });
        socket.once('connect', () => (socket.destroy(), resolve('connected')));
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      });
      expect(refusedConnect).toBe('ECONNREFUSED');
      await world!.stop();
    }
  });

  test('a port in use is reported naming the program that holds it; the setting is kept and a new port works', async () => {
    await open();
    const holder = spawn(
      'python3',
      [
        '-c',
        `import socket,sys,time\ns=socket.socket()\ns.bind(("127.0.0.1",${world!.port}))\ns.listen()\nprint("ready",flush=True)\ntime.sleep(120)`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    children.push(holder);
    await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
    const status = await world!.enable();
    expect(status.state).toBe('failed');
    expect(status.settings.enabled).toBe(true);
    expect(status.problem?.message).toMatch(
      new RegExp(`Port ${world!.port} is already in use by python3[^ ]* \\(process ${holder.pid}\\)`),
    );
    expect(status.problem?.hint).toMatch(/Choose another port/);
    const { freePort } = await import('../../support/relay/relay-world');
    const other = await freePort();
    const moved = await world!.relay.configure({ port: other });
    expect(moved.state).toBe('listening');
    expect(moved.listening).toEqual([{ address: '127.0.0.1', port: other, tls: 'starttls' }]);
  });
});
