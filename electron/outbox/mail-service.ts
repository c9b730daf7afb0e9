/**
 * The sending service as the core sees it: `createMailService(deps)` builds the SMTP sender,
 * the durable outbox and the history: sending, the outbox's actions, the history and the
 * account test, as plain methods. `outbox:changed` (what changed, with a revision) goes out on
 * the event bus.
 * The account side calls `resumeAccount` after a re-sign-in and `deleteWaiting`/`setPaused`
 * for "sign out of all accounts".
 */
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import type { AccessTokenSource, AccountDirectory } from '../accounts/sending-account';
import { draftForRenderer } from '../drafts/draft-store';
import type { FileRegistry } from '../files/file-registry';
import type { Draft, HistoryEntry, MessageInput, OutboxList, TestLayer } from '../ipc/contract';
import { testAccount } from '../mail/account-test';
import { inspectAttachments } from '../mail/attachments';
import { messageIdFor, validateMessage } from '../mail/message';
import { encodedMessageSize, MESSAGE_LIMITS } from '../mail/message-rules';
import { createSmtpSender, type SmtpSender } from '../mail/smtp-sender';
import { defaultSmtpTimeouts, type SmtpTimeouts } from '../mail/smtp-transport';
import { writeFileAtomic } from '../shared/atomic-file';
import { AppError } from '../shared/errors';
import type { EventBus } from '../ipc/event-bus';
import type { Logger, Redactor } from '../shared/logger';
import type { Clock, NetworkMonitor, SecretCipher } from '../shared/ports';
import type { Quarantine } from '../diagnostics/quarantine';
import { loadDataKey } from '../vault/data-key';
import { defaultBackoff, type BackoffOptions } from './backoff';
import { openHistory } from './history';
import { createOutbox, type Outbox } from './outbox';
import { createOutboxStore } from './outbox-store';
import { pausedFileSchema } from './stored-schemas';
import { RelaySinkError, type RelayMessage } from '../relay/relay-sink';

/**
 * Tunables; every timeout and delay is here so tests can shrink it. The message limits are not:
 * they are the contract's and the composer's too (mail/message-rules.ts).
 */
export type MailServiceOptions = {
  timeouts: SmtpTimeouts;
  backoff: BackoffOptions;
  /** Messages being sent at once, all accounts together (as many sent ones more may be finishing on disk). */
  concurrency: number;
  maxConnectionsPerAccount: number;
  historyLimit: number;
  offlineRecheckMs: number;
  /** Replaces the nodemailer sender (unit tests of the outbox). */
  sender?: SmtpSender;
};

export const defaultMailServiceOptions: MailServiceOptions = {
  timeouts: defaultSmtpTimeouts,
  backoff: defaultBackoff,
  concurrency: 2,
  maxConnectionsPerAccount: 2,
  historyLimit: 500,
  offlineRecheckMs: 60_000,
};

export type MailServiceDeps = {
  dataDir: string;
  cipher: SecretCipher;
  accounts: AccountDirectory;
  tokens: AccessTokenSource;
  clock: Clock;
  network: NetworkMonitor;
  events: EventBus;
  logger: Logger;
  redactor: Redactor;
  /** Tests, demo, web host: allows `security: 'none'` to a loopback host. */
  development: boolean;
  /** The undo delay setting, read at each send (0-30 s). */
  undoDelayMs(): number;
  options?: Partial<MailServiceOptions>;
  /** Moves damaged outbox entries, history and data key aside and reports them. */
  quarantine?: Quarantine;
  /** File ids from `mail:send` become paths here; an unknown id attaches nothing. */
  files: FileRegistry;
};

export type MailService = {
  /** Checks a message and puts it in the outbox; it goes out at `sendAt` (after the undo delay). */
  send(request: MessageInput): Promise<{ id: string; sendAt: string }>;
  /** What waits, and whether sending is paused. */
  outbox(): Promise<OutboxList>;
  /** Takes a message back before it went; the draft (files as ids) lets the composer restore it. */
  cancel(id: string): Promise<{ cancelled: boolean; draft: Draft | null }>;
  retryNow(id: string): Promise<{ scheduled: boolean }>;
  /** The newest entries first, at most `limit`. */
  history(limit?: number): Promise<HistoryEntry[]>;
  /** Checks an account's server layer by layer (network, TLS, authentication, policy). */
  testAccount(accountId: string): Promise<{ ok: boolean; layers: TestLayer[] }>;
  /** Loads the data key, the outbox and the history, and starts sending. */
  start(): Promise<void>;
  /** Stops sending after in-flight messages finish; closes every SMTP connection. */
  stop(): Promise<void>;
  /** Messages accepted but not yet delivered (failed ones excluded). */
  waitingCount(): number;
  /** The account is ready again after sign-in: its waiting messages go out now. */
  resumeAccount(accountId: string): Promise<number>;
  /** The account's certificate settings changed: messages parked for its server's certificate go now. */
  resumeServer(accountId: string): Promise<number>;
  /** For `accounts:signOutAll`: pause, then delete what waits once the person confirmed. */
  setPaused(paused: boolean): Promise<{ paused: boolean }>;
  deleteWaiting(): Promise<number>;
  /**
   * Stores a message another program handed to the relay, durably, and sends it like composed
   * mail; rejects with a `RelaySinkError` (not started yet, too big, disk full).
   */
  acceptRelayed(message: RelayMessage): Promise<{ id: string }>;
};

const MAX_UNDO_MS = 30_000;

/** Builds the service; nothing touches disk or network until `start()`. */
export function createMailService(deps: MailServiceDeps): MailService {
  const options = { ...defaultMailServiceOptions, ...deps.options };
  const log = deps.logger.child('mail');
  const sender =
    options.sender ??
    createSmtpSender({
      accounts: deps.accounts,
      tokens: deps.tokens,
      redactor: deps.redactor,
      logger: log,
      clock: deps.clock,
      development: deps.development,
      timeouts: options.timeouts,
      maxConnections: options.maxConnectionsPerAccount,
    });
  let ready: { outbox: Outbox; history: Awaited<ReturnType<typeof openHistory>> } | null = null;
  let starting: Promise<void> | null = null;

  function started() {
    if (!ready)
      throw new AppError('mail.starting', 'Sending is still starting up.', { hint: 'Try again in a moment.' });
    return ready;
  }

  const pausedFile = path.join(deps.dataDir, 'outbox-paused.json');
  const pausedStore = {
    read: async () =>
      pausedFileSchema.safeParse(JSON.parse(await readFile(pausedFile, 'utf8').catch(() => '{"paused":false}'))).data
        ?.paused === true,
    write: (paused: boolean) => writeFileAtomic(pausedFile, JSON.stringify({ paused })),
  };

  async function doStart(): Promise<void> {
    const key = await loadDataKey(deps.dataDir, deps.cipher, deps.quarantine);
    const history = await openHistory(deps.dataDir, key, options.historyLimit, deps.quarantine);
    const outbox = createOutbox({
      store: createOutboxStore(deps.dataDir, key, deps.quarantine),
      history,
      sender,
      accounts: deps.accounts,
      clock: deps.clock,
      network: deps.network,
      logger: log,
      backoff: options.backoff,
      concurrency: options.concurrency,
      offlineRecheckMs: options.offlineRecheckMs,
      onChange: (change) => deps.events.emit('outbox:changed', change),
      pausedStore,
    });
    await outbox.start();
    ready = { outbox, history };
  }

  const sending: Pick<MailService, 'send' | 'outbox' | 'cancel' | 'retryNow' | 'history' | 'testAccount'> = {
    send: async (request) => {
      const { outbox } = started();
      const account = deps.accounts.get(request.accountId);
      if (!account)
        throw new AppError('mail.unknown_account', 'That account is not in Quicksend any more.', {
          hint: 'Choose another account.',
        });
      // Only files main handed out ids for: a forged or expired id refuses the whole message.
      const paths = deps.files.resolveAll(
        (request.attachments ?? []).map((a) => a.fileId),
        'attachments',
      );
      const message = validateMessage(
        { ...request, attachments: paths.map((file) => ({ path: file })) },
        account,
        MESSAGE_LIMITS,
      );
      const inspected = await inspectAttachments(message.attachmentPaths, message.text, {
        maxCount: MESSAGE_LIMITS.maxAttachments,
        limitBytes: account.attachmentLimitBytes,
      });
      const delay = Math.min(Math.max(Math.round(deps.undoDelayMs()), 0), MAX_UNDO_MS);
      const { attachmentPaths: _paths, ...fields } = message;
      return outbox.enqueue(
        {
          v: 1,
          ...fields,
          accountId: account.id,
          sizeBytes: encodedMessageSize(
            message.text,
            inspected.map((a) => a.sizeBytes),
          ),
          messageIdFor: (id) => messageIdFor(id, message.from),
        },
        inspected.map((a) => a.path),
        delay,
      );
    },
    outbox: async () => started().outbox.snapshot(),
    cancel: async (id) => {
      const { cancelled, draft } = await started().outbox.cancel(id);
      // The composer gets its files back as ids (the same ones while they live).
      return { cancelled, draft: draft && draftForRenderer(draft, deps.files) };
    },
    retryNow: async (id) => started().outbox.retryNow(id),
    history: async (limit) => started().history.list(limit),
    testAccount: async (accountId) => {
      if (!deps.accounts.get(accountId))
        throw new AppError('mail.unknown_account', 'That account is not in Quicksend any more.');
      return testAccount(sender, accountId);
    },
  };

  return {
    ...sending,
    start() {
      starting ??= doStart();
      return starting;
    },
    async stop() {
      await starting?.catch(() => {});
      await ready?.outbox.stop();
      await ready?.history.close();
      sender.closeAll();
    },
    waitingCount: () => ready?.outbox.waitingCount() ?? 0,
    resumeAccount: (accountId) => started().outbox.resumeAccount(accountId),
    resumeServer: (accountId) => started().outbox.resumeServer(accountId),
    setPaused: (paused) => started().outbox.setPaused(paused),
    deleteWaiting: () => started().outbox.deleteWaiting(),
    async acceptRelayed(message) {
      if (!ready) throw new RelaySinkError('not-ready', 'sending is still starting');
      return ready.outbox.enqueueRelayed(message);
    },
  };
}
