// A createMailService under test: temp data dir, manual clock, switchable network, scripted
// SMTP sender, a recording account directory, and waits that follow `outbox:changed` events
// (test/support/outbox-watch.ts).
import { randomBytes } from 'node:crypto';
import type { AccountDirectory, SendingAccount } from '../../electron/accounts/sending-account';
import { createFileRegistry, type FileRegistry } from '../../electron/files/file-registry';
import { createMailService, type MailService, type MailServiceOptions } from '../../electron/outbox/mail-service';
import { createEventBus, type EventBus } from '../../electron/ipc/event-bus';
import { createRedactor } from '../../electron/shared/logger';
import { createNodeCipher } from '../support/node-cipher';
import { tempDataDir } from '../support/node-ports';
import { watchOutbox, type OutboxView } from '../support/outbox-watch';
import { createFakeNetwork, type FakeNetwork } from './fake-network';
import { memoryLogger } from './logger';
import { createManualClock, type ManualClock } from './manual-clock';
import { createScriptedSender, type ScriptedSender } from './scripted-sender';

export const ACCOUNT: SendingAccount = {
  id: 'acc-1',
  providerId: 'sandbox',
  login: 'demo@quicksend.test',
  fromAddress: 'demo@quicksend.test',
  displayName: 'Demo',
  smtp: { host: '127.0.0.1', port: 2525, security: 'starttls' },
  attachmentLimitBytes: 5_000_000,
};

/** The outbox as a window sees it (the list, kept current by `outbox:changed`). */
export type Snapshot = OutboxView;

export type Harness = {
  dataDir: string;
  clock: ManualClock;
  network: FakeNetwork;
  sender: ScriptedSender;
  events: EventBus;
  service: MailService;
  needsSignIn: string[];
  touched: string[];
  undoMs: { value: number };
  /** Main's file ids: `files.register(path)` is a file the person gave. */
  files: FileRegistry;
  /** Every log record so far, as JSON (after redaction). */
  logText(): string;
  /** Resolves with the first snapshot (current or future) that satisfies `test`. */
  waitFor(test: (s: Snapshot) => boolean, timeoutMs?: number): Promise<Snapshot>;
  /** A new service on the same data directory, as after a crash (the old one is abandoned). */
  restart(): Promise<Harness>;
};

export async function createHarness(
  options: Partial<MailServiceOptions> = {},
  dataDir = tempDataDir('quicksend-outbox-'),
  cipherKey = randomBytes(32),
  start?: number,
): Promise<Harness> {
  const clock = createManualClock(start);
  const network = createFakeNetwork();
  const sender = createScriptedSender(clock.now);
  const events = createEventBus();
  const needsSignIn: string[] = [];
  const touched: string[] = [];
  const undoMs = { value: 5_000 };
  const accounts: AccountDirectory = {
    get: (id) => (id === ACCOUNT.id ? ACCOUNT : undefined),
    markNeedsSignIn: async (id) => void needsSignIn.push(id),
    touch: (id) => void touched.push(id),
  };
  const log = memoryLogger();
  const files = createFileRegistry({ clock });
  const service = createMailService({
    dataDir,
    cipher: createNodeCipher(cipherKey),
    accounts,
    tokens: { getAccessToken: async () => 'unused-token', invalidate: () => {} },
    clock,
    network,
    events,
    logger: log.logger,
    redactor: createRedactor(),
    development: true,
    undoDelayMs: () => undoMs.value,
    files,
    options: { sender, backoff: { baseMs: 1_000, capMs: 8_000, factor: 2, random: () => 0.5 }, ...options },
  });
  await service.start();
  const watch = watchOutbox(events, () => service.outbox());
  await watch.ready;
  const harness: Harness = {
    dataDir,
    clock,
    network,
    sender,
    events,
    service,
    needsSignIn,
    touched,
    undoMs,
    files,
    logText: () => JSON.stringify(log.records),
    waitFor: (test, timeoutMs = 3_000) => watch.waitFor(test, timeoutMs),
    restart: () => createHarness(options, dataDir, cipherKey, clock.now()),
  };
  return harness;
}
