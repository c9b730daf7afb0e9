// createMailService wired to the real sandbox: real nodemailer sender, real tokens from the
// sandbox identity provider, the system clock with tiny (injected) delays, and waits that follow
// `outbox:changed` events instead of sleeping.
import { randomBytes } from 'node:crypto';
import type { AccountDirectory, SendingAccount } from '../../electron/accounts/sending-account';
import { defaultSmtpTimeouts } from '../../electron/mail/smtp-transport';
import { createFileRegistry, type FileRegistry } from '../../electron/files/file-registry';
import { createMailService, type MailService, type MailServiceOptions } from '../../electron/outbox/mail-service';
import { createEventBus, type EventBus } from '../../electron/ipc/event-bus';
import { createRedactor, type Redactor } from '../../electron/shared/logger';
import { systemClock } from '../../electron/shared/ports';
import { createNodeCipher } from '../support/node-cipher';
import { tempDataDir } from '../support/node-ports';
import { watchOutbox, type OutboxView } from '../support/outbox-watch';
import type { Sandbox } from '../support/sandbox';
import { createFakeNetwork, type FakeNetwork } from './fake-network';
import { memoryLogger } from './logger';
import type { SandboxTokenSource } from './sandbox-token-source';

/** The outbox as a window sees it (the list, kept current by `outbox:changed`). */
export type Snapshot = OutboxView;

export type LiveMail = {
  service: MailService;
  /** Where it keeps its outbox and history, and the key that seals them (to start again on them). */
  storage: LiveStorage;
  events: EventBus;
  network: FakeNetwork;
  redactor: Redactor;
  account: SendingAccount;
  needsSignIn: string[];
  /** Main's file ids: `files.register(path)` is a file the person gave. */
  files: FileRegistry;
  logText(): string;
  waitFor(test: (s: Snapshot) => boolean, timeoutMs?: number): Promise<Snapshot>;
};

/** Fast test settings: no undo delay unless asked, short backoff, short SMTP timeouts. */
export const fastOptions: Partial<MailServiceOptions> = {
  timeouts: {
    ...defaultSmtpTimeouts,
    connectionMs: 2_000,
    greetingMs: 500,
    socketMs: 2_000,
    idleMs: 2_000,
    sendMs: 10_000,
  },
  backoff: { baseMs: 20, capMs: 200, factor: 2, random: () => 0.5 },
};

export type LiveStorage = { dataDir: string; key: Buffer };

/** `storage`: an earlier run's, to start again on its data as after a crash or a restart. */
export async function startLiveMail(
  sandbox: Sandbox,
  tokens: SandboxTokenSource,
  accountId: string,
  email: string,
  options: Partial<MailServiceOptions> = {},
  undoDelayMs = 0,
  storage: LiveStorage = { dataDir: tempDataDir('quicksend-live-'), key: randomBytes(32) },
): Promise<LiveMail> {
  const account: SendingAccount = {
    id: accountId,
    providerId: 'sandbox',
    login: email,
    fromAddress: email,
    displayName: 'Demo User',
    smtp: { host: sandbox.smtp.host, port: sandbox.smtp.port, security: 'starttls', extraCa: sandbox.smtp.ca },
    attachmentLimitBytes: 25_000_000,
  };
  const needsSignIn: string[] = [];
  const accounts: AccountDirectory = {
    get: (id) => (id === accountId ? account : undefined),
    markNeedsSignIn: async (id) => void needsSignIn.push(id),
    touch: () => {},
  };
  const events = createEventBus();
  const network = createFakeNetwork();
  const redactor = createRedactor();
  const { logger, records } = memoryLogger();
  const files = createFileRegistry({ clock: systemClock });
  const service = createMailService({
    dataDir: storage.dataDir,
    cipher: createNodeCipher(storage.key),
    accounts,
    tokens,
    clock: systemClock,
    network,
    events,
    logger,
    redactor,
    development: true,
    undoDelayMs: () => undoDelayMs,
    options: { ...fastOptions, ...options },
    files,
  });
  await service.start();
  const watch = watchOutbox(events, () => service.outbox());
  await watch.ready;
  return {
    service,
    storage,
    events,
    network,
    redactor,
    account,
    needsSignIn,
    files,
    logText: () => JSON.stringify(records),
    waitFor: (test, timeoutMs = 8_000) => watch.waitFor(test, timeoutMs),
  };
}
