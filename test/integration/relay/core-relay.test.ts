/**
 * The relay as core wires it (issue 16 items 1, 2, 9): off by default; turned on through the
 * contract; a program's credential for a signed-in sandbox account; a message through it
 * reaches the sandbox via the sink core was given; removing the account revokes the
 * credential; and a secret scan over the run finds no relay password, access token or message
 * text in the data directory, the log, or any IPC answer or event (the create answer, the one
 * place the password must be, is checked to hold it and then left out of the scan).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { afterEach, expect, test } from 'vitest';
import type { Account, RelayStatus } from '../../../electron/ipc/contract';
import type { RelaySink } from '../../../electron/relay/relay-sink';
import { startAppHost, type AppHost } from '../../support/app-host';
import { tempDataDir } from '../../support/node-ports';
import { freePort } from '../../support/relay/relay-world';
import { createForwardingSink, type ForwardingSink } from '../../support/relay/sinks';
import { completeLogin } from '../../support/sandbox/browser-login';

let app: AppHost | undefined;
let forward: ForwardingSink | undefined;
afterEach(async () => {
  forward?.close();
  await app?.stop();
  app = undefined;
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)]));
}

function forms(secret: string): string[] {
  const out = new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]);
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.concat([Buffer.alloc(shift), Buffer.from(secret)]).toString('base64');
    out.add(encoded.slice(Math.ceil((shift * 4) / 3) + 1, -4));
  }
  return [...out].filter((f) => f.length >= 12);
}

test('off by default; on through the contract; a program sends through it; removing the account revokes it; no secret leaks', async () => {
  const dataDir = tempDataDir();
  // The sink is core's dependency; it needs the core's own tokens, so it is bound once core exists.
  const bound: { sink?: RelaySink } = {};
  const lateSink: RelaySink = { accept: (message) => bound.sink!.accept(message) };
  app = await startAppHost({
    dataDir,
    browser: { open: async (url) => void completeLogin(url, 'demo@quicksend.test', { visitCallback: true }).catch(() => {}) },
    core: { relaySink: lateSink, relay: { hosts: ['127.0.0.1'], closeTimeoutMs: 200 } },
  });
  const core = app.core;
  forward = createForwardingSink({ smtp: app.sandbox.smtp, tokens: core.accounts.tokens, login: (id) => core.accounts.directory.get(id)!.login });
  bound.sink = forward;
  const seen: unknown[] = [];
  core.events.onAny((event, payload) => seen.push({ event, payload }));
  const sender = { frameUrl: `${app.host.origin}/`, isMainFrame: true };
  const answers: unknown[] = [];
  const call = async <T>(channel: string, payload: unknown): Promise<T> => {
    const result = await core.router.handle(channel, payload, sender);
    if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
    return result.value as T;
  };
  const recorded = async <T>(channel: string, payload: unknown): Promise<T> => {
    const value = await call<T>(channel, payload);
    answers.push(value);
    return value;
  };

  const initial = await recorded<RelayStatus>('relay:status', {});
  expect(initial.settings.enabled).toBe(false);
  expect(initial.state).toBe('off');
  expect(initial.listening).toEqual([]);

  const account = await recorded<Account>('accounts:add', { providerId: 'sandbox' });
  const port = await freePort();
  const on = await recorded<RelayStatus>('relay:configure', { enabled: true, port });
  expect(on.state).toBe('listening');
  expect(on.listening).toEqual([{ address: '127.0.0.1', port, tls: 'starttls' }]);
  expect(on.certificate?.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);

  const created = await call<{ username: string; password: string; port: number; program: { id: string } }>('relay:createCredential', { programName: 'backup script', accountId: account.id });
  expect(created.port).toBe(port);
  expect(created.password.length).toBeGreaterThanOrEqual(43);

  const body = 'Relay body that must never be logged: quarterly numbers 4e5f6a.';
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, auth: { user: created.username, pass: created.password } });
  const info = await transport.sendMail({ from: account.address, to: 'friend@example.org', subject: 'From a script', text: body });
  transport.close();
  expect(info.response).toMatch(/^250 /);
  const [received] = await app.sandbox.smtp.waitForMessages(1, 15_000);
  expect(received!.to).toEqual(['friend@example.org']);
  expect((await app.sandbox.smtp.read(received!.id)).toString()).toContain('quarterly numbers');

  const listed = await recorded<Array<{ messageCount: number; lastUsedAt: string | null; accountAddress: string }>>('relay:listCredentials', {});
  expect(listed).toMatchObject([{ messageCount: 1, accountAddress: account.address }]);
  expect(listed[0]!.lastUsedAt).not.toBeNull();

  // The token the sink sent with: it must not show up anywhere either.
  const accessToken = await core.accounts.tokens.getAccessToken(account.id);
  // Removing the account revokes the program's sign-in (core listens to accounts:changed).
  await recorded('accounts:remove', { accountId: account.id });
  await expect.poll(async () => (await call<unknown[]>('relay:listCredentials', {})).length).toBe(0);
  const refused = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, auth: { user: created.username, pass: created.password } });
  await expect(refused.verify()).rejects.toMatchObject({ responseCode: 535 });
  refused.close();

  // Stops cleanly with the core: nothing listens afterwards.
  await core.relay.stop();
  expect(core.relay.status().listening).toEqual([]);

  const secrets = [created.password, body, accessToken];
  const haystacks: Array<[string, string]> = [];
  for (const file of filesUnder(dataDir)) {
    const bytes = readFileSync(file);
    haystacks.push([path.relative(dataDir, file), bytes.toString('utf8')], [path.relative(dataDir, file), bytes.toString('latin1')]);
  }
  haystacks.push(['log', JSON.stringify(app.ports.logRecords)]);
  haystacks.push(['ipc answers', JSON.stringify(answers)]);
  haystacks.push(['events', JSON.stringify(seen)]);
  const leaks: string[] = [];
  for (const secret of secrets) for (const form of forms(secret)) for (const [where, text] of haystacks) if (text.includes(form)) leaks.push(`${where} holds ${form.slice(0, 10)}…`);
  expect(leaks).toEqual([]);
  expect(haystacks.length).toBeGreaterThan(5);
}, 60_000);

test('without a sink from the outbox, the relay signs programs in but answers 451 to their messages', async () => {
  app = await startAppHost({
    browser: { open: async (url) => void completeLogin(url, 'demo@quicksend.test', { visitCallback: true }).catch(() => {}) },
    core: { relay: { hosts: ['127.0.0.1'], closeTimeoutMs: 200 } },
  });
  const ctx = { sender: { frameUrl: 'app://quicksend/test', isMainFrame: true } };
  const account = await app.core.handlers['accounts:add']({ providerId: 'sandbox' }, ctx);
  const port = await freePort();
  await app.core.handlers['relay:configure']({ enabled: true, port }, ctx);
  const made = await app.core.handlers['relay:createCredential']({ programName: 'cron', accountId: account.id }, ctx);
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, auth: { user: made.username, pass: made.password } });
  await expect(transport.sendMail({ from: account.address, to: 'friend@example.org', subject: 'x', text: 'y' })).rejects.toMatchObject({ responseCode: 451 });
  transport.close();
  expect(app.sandbox.smtp.messages()).toEqual([]);
}, 60_000);
