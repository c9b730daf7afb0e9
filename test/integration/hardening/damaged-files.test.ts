/**
 * Damaged files: good data is written through the real services, then a file is truncated or
 * garbled (or the OS key changes), and a new core starts on the same data directory. Each time:
 * the app starts and answers, the damaged file is kept byte for byte as `<name>.damaged-<time>`
 * (never overwritten), the person gets a notice, and every record that can be read is kept.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { createCore, type Core, type CoreOptions } from '../../../electron/core';
import type {
  Account,
  Draft,
  HistoryEntry,
  Notice,
  OutboxItem,
  OutboxList,
  Result,
} from '../../../electron/ipc/contract';
import { createNodeCipher } from '../../support/node-cipher';
import { openAccountsWorld, signInAs, type AccountsWorld } from '../../support/accounts/world';
import { createNodePorts, tempDataDir, type NodePorts } from '../../support/node-ports';
import { watchOutbox } from '../../support/outbox-watch';
import { SANDBOX_MAIL_SCOPE, startSandbox, type Sandbox } from '../../support/sandbox';

const SENDER = { frameUrl: 'app://quicksend/index.html', isMainFrame: true };
const options = {
  development: true,
  version: 'x',
  platform: 'linux',
  senderPolicy: { allowedOrigins: ['app://quicksend'] },
};
const STAMP = /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z(-\d+)?$/;

let sandbox: Sandbox;
const open: Array<{ close(): Promise<void> }> = [];
beforeAll(async () => {
  sandbox = await startSandbox({
    users: [
      { email: 'demo@quicksend.test', name: 'Demo User' },
      { email: 'other@quicksend.test', name: 'Other' },
    ],
  });
});
afterAll(async () => sandbox.stop());
afterEach(async () => {
  for (const item of open.splice(0)) await item.close();
});

type App = {
  core: Core;
  ports: NodePorts;
  call<T>(channel: string, payload?: unknown): Promise<Result<T>>;
  close(): Promise<void>;
};

async function startCore(dataDir: string, cipher: NodePorts['cipher']): Promise<App> {
  const ports = createNodePorts({ dataDir, cipher });
  const core = await createCore(ports, options);
  const app = {
    core,
    ports,
    call: <T>(channel: string, payload: unknown = {}) =>
      core.router.handle(channel, payload, SENDER) as Promise<Result<T>>,
    close: () => core.dispose(),
  };
  open.push(app);
  return app;
}

async function startWorld(
  dataDir: string,
  cipher: NodePorts['cipher'],
  core?: Partial<CoreOptions>,
): Promise<AccountsWorld> {
  const world = await openAccountsWorld({ dataDir, sandboxInstance: sandbox, cipher, ...(core ? { core } : {}) });
  open.push(world);
  return world;
}

async function closeAll(): Promise<void> {
  for (const item of open.splice(0)) await item.close();
}

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** Replaces the file with its first half (a crash or full disk mid-write); returns the bytes. */
function truncate(file: string): Buffer {
  const bytes = readFileSync(file).subarray(0, Math.floor(statSync(file).size / 2));
  writeFileSync(file, bytes);
  return bytes;
}

/** Overwrites bytes in the middle with junk (a bad sector, a stray write); returns the bytes. */
function garble(file: string): Buffer {
  const bytes = Buffer.from(readFileSync(file));
  const middle = Math.floor(bytes.length / 2);
  bytes.fill(0x7b, middle, Math.min(bytes.length, middle + 16));
  writeFileSync(file, bytes);
  return bytes;
}

/** The one `<name>.damaged-<timestamp>` beside `file`, checked to hold exactly `bytes`. */
function expectKeptAside(file: string, bytes: Buffer, inner?: string): string {
  const name = path.basename(file);
  const aside = readdirSync(path.dirname(file)).filter((n) => n.startsWith(`${name}.damaged-`));
  expect(aside).toHaveLength(1);
  expect(aside[0]!.slice(`${name}.damaged-`.length)).toMatch(STAMP);
  const kept = path.join(path.dirname(file), aside[0]!);
  expect(readFileSync(inner ? path.join(kept, inner) : kept).equals(bytes)).toBe(true);
  return kept;
}

async function expectStarted(app: {
  call<T>(channel: string, payload?: unknown): Promise<Result<T>>;
}): Promise<Notice[]> {
  expect(await app.call('app:info')).toMatchObject({ ok: true, value: { name: 'Quicksend', dataDirectory: 'ready' } });
  return value(await app.call<Notice[]>('app:notices'));
}

const loggedNotice = (ports: NodePorts) => ports.logRecords.filter((r) => r.message === 'notice').length;

test('settings.json truncated: kept aside, the readable part kept, settings save again', async () => {
  const dataDir = tempDataDir();
  const cipher = createNodeCipher();
  const first = await startCore(dataDir, cipher);
  value(await first.call('settings:set', { undoDelaySeconds: 12, mailtoHandler: true }));
  value(await first.call('providers:setClient', { providerId: 'google', clientId: 'abc.apps.googleusercontent.com' }));
  await closeAll();
  const file = path.join(dataDir, 'settings.json');
  // Cut inside the second section ("providers"); the first ("settings") is whole.
  const text = readFileSync(file, 'utf8');
  const bytes = Buffer.from(text.slice(0, text.indexOf('abc.apps')), 'utf8');
  writeFileSync(file, bytes);

  const app = await startCore(dataDir, cipher);
  const notices = await expectStarted(app);
  expect(notices).toEqual([
    expect.objectContaining({ level: 'warning', message: expect.stringContaining('settings') }),
  ]);
  expect(loggedNotice(app.ports)).toBe(1);
  expect(value(await app.call('settings:get'))).toMatchObject({ undoDelaySeconds: 12, mailtoHandler: true });
  value(await app.call('settings:set', { undoDelaySeconds: 3 }));
  expect(value(await app.call('settings:get'))).toMatchObject({ undoDelaySeconds: 3 });
  expectKeptAside(file, bytes);
});

test('settings.json garbled beyond reading: kept aside, defaults, the app starts and saves', async () => {
  const dataDir = tempDataDir();
  const cipher = createNodeCipher();
  const first = await startCore(dataDir, cipher);
  value(await first.call('settings:set', { undoDelaySeconds: 12 }));
  await closeAll();
  const file = path.join(dataDir, 'settings.json');
  const bytes = Buffer.from([0x00, 0xff, 0x7b, 0x22, 0x13, 0x37]);
  writeFileSync(file, bytes);

  const app = await startCore(dataDir, cipher);
  expect(await expectStarted(app)).toHaveLength(1);
  expect(value(await app.call('settings:set', { undoDelaySeconds: 7 }))).toMatchObject({ undoDelaySeconds: 7 });
  expectKeptAside(file, bytes);
});

test('vault.json truncated: kept aside; the account whose token survived stays ready, the other signs in again', async () => {
  const dataDir = tempDataDir();
  const cipher = createNodeCipher();
  const first = await startWorld(dataDir, cipher);
  const demo = value(await first.call<Account>('accounts:add', { providerId: 'sandbox' }));
  first.browser.script = signInAs('other@quicksend.test');
  const other = value(await first.call<Account>('accounts:add', { providerId: 'sandbox' }));
  await closeAll();
  const file = path.join(dataDir, 'vault.json');
  const text = readFileSync(file, 'utf8');
  // Cut inside the second token, so the first one is still whole.
  const bytes = Buffer.from(text.slice(0, text.lastIndexOf('"account:') + 30), 'utf8');
  writeFileSync(file, bytes);

  const world = await startWorld(dataDir, cipher);
  expect(await expectStarted(world)).toHaveLength(1);
  const health = Object.fromEntries(
    value(await world.call<Account[]>('accounts:list')).map((a) => [a.address, a.health]),
  );
  const lastWritten =
    text.lastIndexOf(`"account:${demo.id}"`) > text.lastIndexOf(`"account:${other.id}"`) ? demo : other;
  const survivor = lastWritten === demo ? other : demo;
  expect(health).toEqual({ [survivor.address]: 'ready', [lastWritten.address]: 'needs-sign-in' });
  world.browser.script = signInAs(lastWritten.address);
  expect(value(await world.call<Account>('accounts:reauthorize', { accountId: lastWritten.id })).health).toBe('ready');
  expectKeptAside(file, bytes);
});

test('vault.json that no longer decrypts (the OS key changed): kept aside, accounts need sign-in, signing in works', async () => {
  const dataDir = tempDataDir();
  const first = await startWorld(dataDir, createNodeCipher());
  const demo = value(await first.call<Account>('accounts:add', { providerId: 'sandbox' }));
  value(
    await first.call('drafts:save', {
      draft: {
        accountId: demo.id,
        to: ['ann@example.com'],
        cc: [],
        bcc: [],
        subject: 'Half written',
        text: 'Body',
        attachments: [],
      },
    }),
  );
  await closeAll();
  const vaultBytes = readFileSync(path.join(dataDir, 'vault.json'));
  const keyBytes = readFileSync(path.join(dataDir, 'data-key.bin'));
  const draftBytes = readFileSync(path.join(dataDir, 'draft.bin'));

  const world = await startWorld(dataDir, createNodeCipher());
  await expectStarted(world);
  expect(value(await world.call<Account[]>('accounts:list'))).toEqual([
    expect.objectContaining({ id: demo.id, health: 'needs-sign-in' }),
  ]);
  // Sending works again: the outbox starts on a new data key; the old draft is kept aside.
  expect(await world.call('outbox:list')).toMatchObject({ ok: true, value: { items: [] } });
  expect(value(await world.call('drafts:get'))).toBeNull();
  expect(value(await world.call<Account>('accounts:reauthorize', { accountId: demo.id })).health).toBe('ready');
  value(await world.call('settings:set', { undoDelaySeconds: 30 }));
  value(
    await world.call('mail:send', {
      accountId: demo.id,
      to: ['ann@example.com'],
      subject: 'After the key change',
      text: 'Hello',
    }),
  );
  expect(value(await world.call<{ items: OutboxItem[] }>('outbox:list')).items).toHaveLength(1);
  const notices = value(await world.call<Notice[]>('app:notices'));
  expect(notices.map((n) => n.message).join('\n')).toMatch(/sign-in|sign in/i);
  expect(notices.length).toBeGreaterThanOrEqual(2);
  expectKeptAside(path.join(dataDir, 'vault.json'), vaultBytes);
  expectKeptAside(path.join(dataDir, 'data-key.bin'), keyBytes);
  expectKeptAside(path.join(dataDir, 'draft.bin'), draftBytes);
});

/** Signs in, pauses the outbox and queues three messages; returns their ids, oldest first. */
async function queueThree(dataDir: string, cipher: NodePorts['cipher']): Promise<{ ids: string[]; accountId: string }> {
  const world = await startWorld(dataDir, cipher);
  const { id: accountId } = value(await world.call<Account>('accounts:add', { providerId: 'sandbox' }));
  value(await world.call('outbox:pause'));
  for (const subject of ['one', 'two', 'three'])
    value(await world.call('mail:send', { accountId, to: ['ann@example.com'], subject, text: `Body ${subject}` }));
  const ids = value(await world.call<{ items: OutboxItem[] }>('outbox:list'))
    .items.map((i) => i.id)
    .sort();
  await closeAll();
  return { ids, accountId };
}

test('an outbox entry truncated: found when it is needed, its folder kept aside, the other two still listed and cancellable', async () => {
  const dataDir = tempDataDir();
  const cipher = createNodeCipher();
  const { ids } = await queueThree(dataDir, cipher);
  const bytes = truncate(path.join(dataDir, 'outbox', ids[1]!, 'message.bin'));

  const world = await startWorld(dataDir, cipher);
  // Start-up reads the index, not the bodies: all three are listed until one is needed.
  expect(await expectStarted(world)).toEqual([]);
  expect(
    value(await world.call<{ items: OutboxItem[] }>('outbox:list'))
      .items.map((i) => i.subject)
      .sort(),
  ).toEqual(['one', 'three', 'two']);
  expect(value(await world.call('outbox:cancel', { id: ids[1]! }))).toEqual({ cancelled: true, draft: null });
  expect(value(await world.call<Notice[]>('app:notices'))).toEqual([
    expect.objectContaining({ message: expect.stringContaining('outbox') }),
  ]);
  const items = value(await world.call<{ items: OutboxItem[] }>('outbox:list')).items;
  expect(items.map((i) => i.subject).sort()).toEqual(['one', 'three']);
  expectKeptAside(path.join(dataDir, 'outbox', ids[1]!), bytes, 'message.bin');
  const cancelled = value(
    await world.call<{ cancelled: boolean; draft: Draft | null }>('outbox:cancel', { id: ids[2]! }),
  );
  expect(cancelled.draft?.text).toBe('Body three');
});

test('an outbox entry garbled: not sent when its turn comes, kept aside with a notice; the others go out', async () => {
  const dataDir = tempDataDir();
  const cipher = createNodeCipher();
  const { ids } = await queueThree(dataDir, cipher);
  const bytes = garble(path.join(dataDir, 'outbox', ids[0]!, 'message.bin'));

  // This time with the sandbox's real SMTP server, so the readable two can go out.
  const smtp = {
    host: sandbox.smtp.host,
    port: sandbox.smtp.port,
    security: 'starttls' as const,
    extraCa: sandbox.smtp.ca,
  };
  const world = await startWorld(dataDir, cipher, {
    sandbox: { issuer: sandbox.issuer, clientId: sandbox.clientId, mailScope: SANDBOX_MAIL_SCOPE, smtp },
  });
  const told = new Promise<Notice>((resolve) => world.core.events.on('app:notice', resolve));
  const outbox = watchOutbox(world.core.events, async () => value(await world.call<OutboxList>('outbox:list')));
  await outbox.ready;
  value(await world.call('outbox:resume'));
  expect(await told).toMatchObject({ message: expect.stringContaining('could not be read') });
  const received = await sandbox.smtp.waitForMessages(2, 10_000);
  expect(received.map((m) => m.messageId).sort()).toEqual(
    [`<${ids[1]}@quicksend.test>`, `<${ids[2]}@quicksend.test>`].sort(),
  );
  expectKeptAside(path.join(dataDir, 'outbox', ids[0]!), bytes, 'message.bin');
  await outbox.waitFor((o) => o.items.length === 0);
  outbox.stop();
});

test('the outbox index garbled: kept aside, rebuilt from the message folders, every message listed', async () => {
  const dataDir = tempDataDir();
  const cipher = createNodeCipher();
  await queueThree(dataDir, cipher);
  const file = path.join(dataDir, 'outbox-index.bin');
  const bytes = garble(file);

  const world = await startWorld(dataDir, cipher);
  expect(await expectStarted(world)).toEqual([expect.objectContaining({ message: expect.stringContaining('outbox') })]);
  const items = value(await world.call<{ items: OutboxItem[] }>('outbox:list')).items;
  expect(items.map((i) => [i.subject, i.state]).sort()).toEqual([
    ['one', 'paused'],
    ['three', 'paused'],
    ['two', 'paused'],
  ]);
  expectKeptAside(file, bytes);
});

test('draft.bin garbled: kept aside, reported when read, a new draft saves beside it', async () => {
  const dataDir = tempDataDir();
  const cipher = createNodeCipher();
  const draft: Draft = {
    accountId: null,
    to: ['ann@example.com'],
    cc: [],
    bcc: [],
    subject: 'Half written',
    text: 'Body',
    attachments: [],
  };
  const first = await startCore(dataDir, cipher);
  value(await first.call('drafts:save', { draft }));
  await closeAll();
  const file = path.join(dataDir, 'draft.bin');
  const bytes = garble(file);

  const app = await startCore(dataDir, cipher);
  const emitted: Notice[] = [];
  app.core.events.on('app:notice', (n) => emitted.push(n));
  await expectStarted(app);
  expect(value(await app.call('drafts:get'))).toBeNull();
  expect(emitted).toEqual([expect.objectContaining({ message: expect.stringContaining('draft') })]);
  expect(value(await app.call<Notice[]>('app:notices'))).toEqual(emitted);
  value(await app.call('drafts:save', { draft: { ...draft, subject: 'New' } }));
  expect(value(await app.call<Draft>('drafts:get')).subject).toBe('New');
  expectKeptAside(file, bytes);
});

test('history.bin garbled: kept aside, the app starts with an empty history and records again', async () => {
  const dataDir = tempDataDir();
  const cipher = createNodeCipher();
  const { ids } = await queueThree(dataDir, cipher);
  const world1 = await startWorld(dataDir, cipher);
  value(await world1.call('outbox:cancel', { id: ids[0]! }));
  await closeAll();
  const file = path.join(dataDir, 'history.bin');
  const bytes = garble(file);

  const world = await startWorld(dataDir, cipher);
  expect(await expectStarted(world)).toEqual([
    expect.objectContaining({ message: expect.stringContaining('history') }),
  ]);
  expect(value(await world.call('history:list', {}))).toEqual([]);
  value(await world.call('outbox:cancel', { id: ids[1]! }));
  expect(value(await world.call<HistoryEntry[]>('history:list', {}))).toHaveLength(1);
  expectKeptAside(file, bytes);
});

test('history with a garbled entry inside: the readable entries are kept, the file kept aside', async () => {
  const dataDir = tempDataDir();
  const cipher = createNodeCipher();
  const { ids } = await queueThree(dataDir, cipher);
  const world1 = await startWorld(dataDir, cipher);
  // One after the other: each entry is its own record in the history's log.
  for (const id of ids) value(await world1.call('outbox:cancel', { id }));
  await closeAll();
  const file = path.join(dataDir, 'history.bin');
  const bytes = Buffer.from(readFileSync(file));
  // The log: an 8-byte magic, then records, each a 4-byte length and that many sealed bytes.
  const records: Array<[number, number]> = [];
  for (let at = 8; at < bytes.length; at += 4 + bytes.readUInt32BE(at)) records.push([at + 4, bytes.readUInt32BE(at)]);
  expect(records).toHaveLength(3);
  const [start, length] = records[1]!;
  bytes.fill(0x7b, start + Math.floor(length / 2), start + Math.floor(length / 2) + 16);
  writeFileSync(file, bytes);

  const world = await startWorld(dataDir, cipher);
  expect(await expectStarted(world)).toHaveLength(1);
  expect(value(await world.call<HistoryEntry[]>('history:list', {})).map((e) => e.subject)).toEqual(['three', 'one']);
  expectKeptAside(file, bytes);
});
