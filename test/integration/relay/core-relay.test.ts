/**
 * The relay as core wires it (issue 16 items 1, 2, 5, 9): off by default; turned on through the
 * contract; a program's credential for a signed-in sandbox account; a message through it
 * reaches the sandbox through core's own outbox and history says it came from the program;
 * while the account needs sign-in a program's message waits and the person is told; removing
 * the account revokes the credential; and a secret scan over the run finds no relay password, access token or message
 * text in the data directory, the log, or any IPC answer or event (the create answer, the one
 * place the password must be, is checked to hold it and then left out of the scan).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { afterEach, expect, test } from 'vitest';
import type { Account, HistoryEntry, RelayStatus } from '../../../electron/ipc/contract';
import type { Core } from '../../../electron/core';
import type { Notification } from '../../../electron/shared/ports';
import { startAppHost, type AppHost } from '../../support/app-host';
import { tempDataDir } from '../../support/node-ports';
import { watchOutbox, type OutboxView } from '../../support/outbox-watch';
import { freePort } from '../../support/relay/relay-world';
import { completeLogin } from '../../support/sandbox/browser-login';

let app: AppHost | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
  );
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
  app = await startAppHost({
    dataDir,
    browser: {
      open: async (url) => void completeLogin(url, 'demo@quicksend.test', { visitCallback: true }).catch(() => {}),
    },
    core: { relay: { hosts: ['127.0.0.1'], closeTimeoutMs: 200 } },
  });
  const core = app.core;
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

  const created = await call<{ username: string; password: string; port: number; program: { id: string } }>(
    'relay:createCredential',
    { programName: 'backup script', accountId: account.id },
  );
  expect(created.port).toBe(port);
  expect(created.password.length).toBeGreaterThanOrEqual(43);

  const body = 'Relay body that must never be logged: quarterly numbers 4e5f6a.';
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    auth: { user: created.username, pass: created.password },
  });
  const emptied = outboxEmptied(core);
  const info = await transport.sendMail({
    from: account.address,
    to: 'friend@example.org',
    subject: 'From a script',
    text: body,
  });
  transport.close();
  expect(info.response).toMatch(/^250 /);
  const [received] = await app.sandbox.smtp.waitForMessages(1, 15_000);
  expect(received!.to).toEqual(['friend@example.org']);
  expect((await app.sandbox.smtp.read(received!.id)).toString()).toContain('quarterly numbers');
  // Sent by core's outbox, recorded as from the program.
  await emptied;
  const history = await recorded<HistoryEntry[]>('history:list', {});
  expect(history).toMatchObject([
    { outcome: 'sent', subject: 'From a script', to: ['friend@example.org'], via: { program: 'backup script' } },
  ]);

  const listed = await recorded<Array<{ messageCount: number; lastUsedAt: string | null; accountAddress: string }>>(
    'relay:listCredentials',
    {},
  );
  expect(listed).toMatchObject([{ messageCount: 1, accountAddress: account.address }]);
  expect(listed[0]!.lastUsedAt).not.toBeNull();

  // The token the outbox sent with: it must not show up anywhere either.
  const accessToken = await core.accounts.tokens.getAccessToken(account.id);
  // Removing the account revokes the program's sign-in (core listens to accounts:changed).
  await recorded('accounts:remove', { accountId: account.id });
  await expect.poll(async () => (await call<unknown[]>('relay:listCredentials', {})).length).toBe(0);
  const refused = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    auth: { user: created.username, pass: created.password },
  });
  await expect(refused.verify()).rejects.toMatchObject({ responseCode: 535 });
  refused.close();

  // Stops cleanly with the core: nothing listens afterwards.
  await core.relay.stop();
  expect(core.relay.status().listening).toEqual([]);

  const secrets = [created.password, body, accessToken];
  const haystacks: Array<[string, string]> = [];
  for (const file of filesUnder(dataDir)) {
    const bytes = readFileSync(file);
    haystacks.push(
      [path.relative(dataDir, file), bytes.toString('utf8')],
      [path.relative(dataDir, file), bytes.toString('latin1')],
    );
  }
  haystacks.push(['log', JSON.stringify(app.ports.logRecords)]);
  haystacks.push(['ipc answers', JSON.stringify(answers)]);
  haystacks.push(['events', JSON.stringify(seen)]);
  const leaks: string[] = [];
  for (const secret of secrets)
    for (const form of forms(secret))
      for (const [where, text] of haystacks)
        if (text.includes(form)) leaks.push(`${where} holds ${form.slice(0, 10)}…`);
  expect(leaks).toEqual([]);
  expect(haystacks.length).toBeGreaterThan(5);
}, 60_000);

test('while the account needs sign-in a program’s message is accepted and kept, the person is told which program and account, and it goes after signing in again', async () => {
  const notifications: Notification[] = [];
  app = await startAppHost({
    browser: {
      open: async (url) => void completeLogin(url, 'demo@quicksend.test', { visitCallback: true }).catch(() => {}),
    },
    ports: { notifier: { notify: (n) => void notifications.push(n) } },
    core: {
      relay: { hosts: ['127.0.0.1'], closeTimeoutMs: 200 },
      mail: { backoff: { baseMs: 20, capMs: 200, factor: 2, random: () => 0.5 } },
    },
  });
  const core = app.core;
  const ctx = { sender: { frameUrl: 'app://quicksend/test', isMainFrame: true } };
  const account = await core.handlers['accounts:add']({ providerId: 'sandbox' }, ctx);
  const port = await freePort();
  await core.handlers['relay:configure']({ enabled: true, port }, ctx);
  const made = await core.handlers['relay:createCredential'](
    { programName: 'nightly cron', accountId: account.id },
    ctx,
  );
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    auth: { user: made.username, pass: made.password },
  });
  try {
    // The grant is revoked at the provider: the server refuses the token and the refresh fails.
    await app.sandbox.revokeAllFor(account.address);
    const parked = waitForOutbox(core, (s) => s.items.length === 1 && s.items[0]!.state === 'needs-sign-in');
    const first = await transport.sendMail({
      from: account.address,
      to: 'ops@example.org',
      subject: 'Nightly run 1',
      text: 'ok',
    });
    expect(first.response).toMatch(/^250 /);
    expect((await parked).items[0]).toMatchObject({ via: { program: 'nightly cron' }, subject: 'Nightly run 1' });
    expect(core.accounts.list().find((a) => a.id === account.id)?.health).toBe('needs-sign-in');
    // Accepted while the account needs sign-in: kept, and the person is told who waits for whom.
    const bothParked = waitForOutbox(
      core,
      (s) => s.items.length === 2 && s.items.every((i) => i.state === 'needs-sign-in'),
    );
    const secret = 'Parked body text that must never be on disk in plain: 91c4d2e7';
    const second = await transport.sendMail({
      from: account.address,
      to: 'ops@example.org',
      subject: 'Nightly run 2',
      text: secret,
    });
    expect(second.response).toMatch(/^250 /);
    await bothParked;
    expect(notifications).toHaveLength(1);
    expect(notifications[0]!.title).toContain('nightly cron');
    expect(notifications[0]!.body).toContain(account.address);
    expect(app.sandbox.smtp.messages()).toEqual([]);
    // Kept on disk (a fresh start would send it), sealed: no file holds the body in plain.
    const dataDir = app.ports.paths.dataDir;
    const files = filesUnder(dataDir);
    expect(files.filter((f) => f.includes(`${path.sep}outbox${path.sep}`) && f.endsWith('raw.eml'))).toHaveLength(2);
    expect(files.filter((f) => readFileSync(f, 'latin1').includes('91c4d2e7'))).toEqual([]);

    // Signing in again sends both.
    const done = outboxEmptied(core);
    await core.handlers['accounts:reauthorize']({ accountId: account.id }, ctx);
    await done;
    const received = await app.sandbox.smtp.waitForMessages(2, 15_000);
    expect(received.map((m) => m.to)).toEqual([['ops@example.org'], ['ops@example.org']]);
    const bodies = await Promise.all(received.map((m) => app!.sandbox.smtp.read(m.id)));
    expect(bodies.filter((b) => b.toString('latin1').includes(secret))).toHaveLength(1);
    const history = await core.handlers['history:list']({}, ctx);
    expect(history.map((h) => [h.subject, h.outcome, h.via?.program]).sort()).toEqual([
      ['Nightly run 1', 'sent', 'nightly cron'],
      ['Nightly run 2', 'sent', 'nightly cron'],
    ]);
  } finally {
    transport.close();
  }
}, 60_000);

type OutboxSnapshot = OutboxView;

/** The first state of the outbox, as a window sees it, that passes `test` (events, not polling). */
function waitForOutbox(core: Core, test: (s: OutboxSnapshot) => boolean, timeoutMs = 20_000): Promise<OutboxSnapshot> {
  const watch = watchOutbox(core.events, () =>
    core.handlers['outbox:list']({}, { sender: { frameUrl: 'app://quicksend/test', isMainFrame: true } }),
  );
  return watch.waitFor(test, timeoutMs).finally(() => watch.stop());
}

/**
 * Resolves at the first change that leaves the outbox empty after it held something: call it
 * before the message is submitted. The worker announces a delivery once history has it.
 */
function outboxEmptied(core: Core): Promise<OutboxSnapshot> {
  let held = false;
  return waitForOutbox(core, (s) => {
    held ||= s.items.length > 0;
    return held && s.items.length === 0;
  });
}
