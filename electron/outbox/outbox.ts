/**
 * The outbox worker: keeps every accepted message until the server has taken it, sends after
 * the undo delay, retries transient failures with backoff, parks messages of an account that
 * needs sign-in until `resumeAccount`, parks those of a server whose certificate did not verify
 * (`untrusted-server`) until a check after a network change passes or `resumeServer`, and picks
 * everything up again after a restart. A message is marked `sending` on disk before its first
 * SMTP byte, so a crash mid-send resends it on restart: delivery is at-least-once, with
 * duplicates limited to messages in flight at a crash.
 *
 * Recipients are followed one by one (recipient-progress.ts): when the server takes some and
 * not others, the taken ones count as sent, 4xx ones get a follow-up transaction after the
 * backoff, and 5xx ones are refused for good. A message with refused recipients is recorded in
 * history (with each address and reply) and then stays in the outbox, failed and addressed only
 * to them, under the same id: history never stores bodies, so this sealed copy is what lets
 * "Write again" (`outbox:cancel`) put the original text, subject and attachments back in the
 * composer in one step, with only the refused recipients, ready to fix a typo and send.
 */
import { AppError } from '../shared/errors';
import type { AccountDirectory } from '../accounts/sending-account';
import type { DraftAtRest } from '../drafts/draft-store';
import type { ErrorInfo, HistoryEntry, OutboxItem } from '../ipc/contract';
import { draftOf, itemOf, type OutboxEntry } from './outbox-view';
import { formatMailbox } from '../mail/addresses';
import { envelopeRecipients, onlyRecipients, type RecipientReply } from '../mail/envelope';
import { mailOptions, recipientsOf } from '../mail/message';
import { decodeSendError } from '../mail/smtp-errors';
import type { SendOutcome, SmtpSender } from '../mail/smtp-sender';
import type { Logger } from '../shared/logger';
import type { Clock, NetworkMonitor, TimerHandle } from '../shared/ports';
import { backoffDelay, type BackoffOptions } from './backoff';
import type { History } from './history';
import { newOutboxId, type OutboxStore, type StoredMessage, type StoredState } from './outbox-store';
import { afterTransaction, noProgress, pendingRecipients, recipientsError, refuseAll, retryRefused, type RecipientProgress } from './recipient-progress';
import { RelaySinkError, type RelayMessage } from '../relay/relay-sink';
import { relayedMailOptions, storeRelayed, viaOf } from './relayed-messages';

export type OutboxSnapshot = { items: OutboxItem[]; paused: boolean };

export type OutboxDeps = {
  store: OutboxStore;
  history: History;
  sender: Pick<SmtpSender, 'send' | 'close' | 'closeAll' | 'checkServer'>;
  accounts: AccountDirectory;
  clock: Clock;
  network: NetworkMonitor;
  logger: Logger;
  backoff: BackoffOptions;
  /** Messages sent at the same time, all accounts together. */
  concurrency: number;
  /** While the network monitor says offline, look again after this long anyway. */
  offlineRecheckMs: number;
  onChange(snapshot: OutboxSnapshot): void;
  /** Whether sending was paused when the app last ran, and where to keep that. */
  pausedStore: { read(): Promise<boolean>; write(paused: boolean): Promise<void> };
};

type Entry = OutboxEntry & { chain: Promise<void> };

/** Creates the worker; call `start()` to load what is on disk and begin. */
export function createOutbox(deps: OutboxDeps) {
  const entries = new Map<string, Entry>();
  const inFlight = new Set<Promise<void>>();
  const log = deps.logger.child('outbox');
  let paused = false;
  let stopped = true;
  let timer: TimerHandle | null = null;
  const unsubscribe: Array<() => void> = [];

  function snapshot(): OutboxSnapshot {
    const items = [...entries.values()].sort((a, b) => a.message.createdAt - b.message.createdAt || a.id.localeCompare(b.id)).map((e) => itemOf(e, paused));
    return { items, paused };
  }

  const changed = () => deps.onChange(snapshot());

  function persist(entry: Entry): Promise<void> {
    const state = { ...entry.state };
    entry.chain = entry.chain.then(() => deps.store.saveState(entry.id, state)).catch((error: unknown) => log.error('could not save outbox state', { id: entry.id, error }));
    return entry.chain;
  }

  async function drop(entry: Entry): Promise<void> {
    entries.delete(entry.id);
    await entry.chain;
    await deps.store.remove(entry.id).catch((error: unknown) => log.error('could not delete outbox entry', { id: entry.id, error }));
  }

  /** `recipients`: who the entry is about (default all); `refused`: those of them it did not reach. */
  async function record(entry: Entry, outcome: HistoryEntry['outcome'], messageId: string | null, error: ErrorInfo | null, progress?: { recipients: Pick<StoredMessage, 'to' | 'cc' | 'bcc'>; refused: HistoryEntry['refused'] }): Promise<void> {
    const { message } = entry;
    const refused = progress?.refused?.length ? { refused: progress.refused } : {};
    await deps.history
      .add({ id: entry.id, time: new Date(deps.clock.now()).toISOString(), accountId: message.accountId, from: formatMailbox(message.from), to: recipientsOf(progress?.recipients ?? message), subject: message.subject, sizeBytes: message.sizeBytes, messageId, outcome, error, ...refused, ...viaOf(message) })
      .catch((e: unknown) => log.error('could not write history', { id: entry.id, error: e }));
  }

  function setState(entry: Entry, patch: Partial<StoredState>): Promise<void> {
    entry.state = { ...entry.state, ...patch };
    return persist(entry);
  }

  function schedule(): void {
    if (timer) deps.clock.clearTimeout(timer);
    timer = null;
    // With every slot busy, the end of a send pumps again; a timer now would only spin.
    if (stopped || paused || inFlight.size >= deps.concurrency) return;
    clampImpossibleWaits();
    let next = Number.POSITIVE_INFINITY;
    for (const entry of entries.values()) {
      if (entry.inFlight || (entry.state.state !== 'waiting' && entry.state.state !== 'retrying')) continue;
      next = Math.min(next, entry.state.nextAttemptAt ?? 0);
    }
    if (next === Number.POSITIVE_INFINITY) return;
    const now = deps.clock.now();
    const delay = deps.network.isOnline() ? Math.max(0, next - now) : Math.max(deps.offlineRecheckMs, next - now);
    const expectedAt = now + delay;
    timer = deps.clock.setTimeout(() => onTimer(expectedAt), delay);
  }

  /**
   * No wait is ever longer than the backoff cap (or the longest undo delay). An attempt time
   * further away means the wall clock went back after it was set: attempt now instead of
   * waiting for the old time to come round again.
   */
  function clampImpossibleWaits(): void {
    const now = deps.clock.now();
    const longest = Math.max(deps.backoff.capMs, 30_000);
    for (const entry of entries.values()) {
      const at = entry.state.nextAttemptAt;
      if (at !== null && at !== undefined && at - now > longest && (entry.state.state === 'waiting' || entry.state.state === 'retrying')) {
        log.warn('attempt time is impossibly far away (clock went back); attempting now', { id: entry.id });
        entry.state = { ...entry.state, nextAttemptAt: now };
      }
    }
  }

  /**
   * Timers run on a monotonic clock, attempt times on the wall clock. If the wall clock went
   * back while we waited, every attempt time is that much too late: move them back with it, or
   * a retry would wait until the old time came round again.
   */
  function onTimer(expectedAt: number): void {
    const behind = expectedAt - deps.clock.now();
    if (behind > 0) {
      log.warn('wall clock went back; attempt times follow', { ms: behind });
      for (const entry of entries.values()) {
        const at = entry.state.nextAttemptAt;
        if (at !== null && at !== undefined && (entry.state.state === 'waiting' || entry.state.state === 'retrying')) {
          entry.state = { ...entry.state, nextAttemptAt: at - behind };
        }
      }
    }
    pump();
  }

  function pump(): void {
    timer = null;
    if (stopped || paused) return;
    if (deps.network.isOnline()) {
      const now = deps.clock.now();
      const due = [...entries.values()]
        .filter((e) => !e.inFlight && (e.state.state === 'waiting' || e.state.state === 'retrying') && (e.state.nextAttemptAt ?? 0) <= now)
        .sort((a, b) => (a.state.nextAttemptAt ?? 0) - (b.state.nextAttemptAt ?? 0));
      for (const entry of due) {
        if (inFlight.size >= deps.concurrency) break;
        const run = attempt(entry)
          .catch((error: unknown) => {
            entry.inFlight = false;
            log.error('send attempt crashed', { id: entry.id, error });
          })
          .finally(() => {
            inFlight.delete(run);
            pump();
          });
        inFlight.add(run);
      }
    }
    schedule();
  }

  async function attempt(entry: Entry): Promise<void> {
    entry.inFlight = true;
    await setState(entry, { state: 'sending' }); // on disk before the first SMTP byte
    changed();
    const { message } = entry;
    const all = envelopeRecipients(message);
    const before = entry.state.recipients ?? noProgress;
    const pending = pendingRecipients(all, before);
    if (pending.length === 0) {
      entry.inFlight = false; // nobody left to send to (a state written by an older build)
      await settle(entry, all, before, null, false);
      changed();
      return;
    }
    // Built per attempt: attachment copies are decrypted as streams, which are read once. The
    // envelope names only who is left; headers, Message-ID and Date stay the same.
    const { relayed } = message;
    const build = relayed ? () => relayedMailOptions(deps.store, entry.id, { ...message, relayed }, pending) : () => ({
      ...mailOptions(message, {
        messageId: message.messageId,
        date: new Date(message.createdAt),
        attachments: message.attachments.map((a) => ({ filename: a.name, content: deps.store.openAttachment(entry.id, a) })),
      }),
      envelope: { from: message.from.address, to: pending },
    });
    const outcome = await deps.sender.send(message.accountId, build).catch((error: unknown): SendOutcome => {
      log.error('sender threw', { id: entry.id, error });
      return { ok: false, attempts: 1, error: decodeSendError(error) };
    });
    entry.state.attempts += outcome.attempts;
    entry.inFlight = false;
    if (outcome.ok) {
      deps.accounts.touch(message.accountId);
      // The server took the message for everyone in the envelope it did not reject.
      const rejected = ofThese(entry, pending, outcome.recipients?.rejected ?? []);
      const accepted = pending.filter((a) => !rejected.some((r) => r.address === a));
      await settle(entry, all, afterTransaction(before, accepted, rejected), outcome.messageId, accepted.length > 0);
    } else if (outcome.rejected?.length) {
      // Nobody taken this time; each recipient is refused or put off by its own reply.
      await settle(entry, all, afterTransaction(before, [], ofThese(entry, pending, outcome.rejected)), null, false);
    } else if (outcome.error.action === 'fail' && before.delivered.length > 0) {
      // Others have it already: the message cannot fail as a whole, the rest are refused.
      await settle(entry, all, refuseAll(before, pending, outcome.error.message), null, false);
    } else {
      const { code, message: text, hint, action } = outcome.error;
      const lastError: ErrorInfo = hint ? { code, message: text, hint } : { code, message: text };
      log.info('send failed', { id: entry.id, code, action, attempts: entry.state.attempts });
      if (action === 'retry') {
        const retries = entry.state.retries + 1;
        await setState(entry, { state: 'retrying', retries, lastError, nextAttemptAt: deps.clock.now() + backoffDelay(retries, deps.backoff) });
      } else if (action === 'reauthenticate') {
        await park(message.accountId, 'needs-sign-in', lastError);
        await deps.accounts.markNeedsSignIn(message.accountId, text).catch((error: unknown) => log.error('markNeedsSignIn failed', { error }));
      } else if (action === 'check-certificate') {
        // Not retried on a timer: a certificate does not fix itself. A network change (a captive
        // portal let go), a new CA or "Retry" sends it again.
        await park(message.accountId, 'untrusted-server', lastError);
      } else {
        await setState(entry, { state: 'failed', lastError, nextAttemptAt: null });
        await record(entry, 'failed', null, lastError, { recipients: message, refused: entry.state.recipients?.refused });
      }
    }
    changed();
  }

  /** The replies for recipients of this transaction (nodemailer names them as we did). */
  function ofThese(entry: Entry, pending: string[], rejected: RecipientReply[]): RecipientReply[] {
    const known = rejected.filter((r) => pending.includes(r.address));
    if (known.length < rejected.length) log.warn('server rejected recipients not in the envelope', { id: entry.id, count: rejected.length - known.length });
    return known;
  }

  /**
   * After a transaction: a follow-up with backoff while any recipient was only put off; else
   * sent (all taken), or kept as failed for the refused recipients and recorded either way.
   */
  async function settle(entry: Entry, all: string[], progress: RecipientProgress, messageId: string | null, progressed: boolean): Promise<void> {
    const { message } = entry;
    const before = entry.state.recipients ?? noProgress;
    for (const r of progress.refused) if (!before.refused.some((b) => b.address === r.address && b.reply === r.reply)) log.warn('recipient refused', { id: entry.id, address: r.address, reply: r.reply });
    for (const r of progress.deferred) log.info('recipient put off, retrying later', { id: entry.id, address: r.address, reply: r.reply });
    const left = pendingRecipients(all, progress);
    if (left.length > 0) {
      // Progress restarts the backoff: a 452 "too many recipients" server is worked through quickly.
      const retries = progressed ? 1 : entry.state.retries + 1;
      await setState(entry, { state: 'retrying', retries, recipients: progress, lastError: recipientsError(progress, all.length) ?? entry.state.lastError, nextAttemptAt: deps.clock.now() + backoffDelay(retries, deps.backoff) });
      return;
    }
    if (progress.refused.length === 0) {
      log.info('sent', { id: entry.id, accountId: message.accountId, attempts: entry.state.attempts, transactions: before.delivered.length > 0 ? 'several' : 'one' });
      await drop(entry);
      await record(entry, 'sent', messageId ?? message.messageId, null);
      return;
    }
    const error = recipientsError(progress, all.length);
    const reached = progress.delivered.length > 0;
    log.info(reached ? 'sent to some recipients, refused by others' : 'every recipient refused', { id: entry.id, delivered: progress.delivered.length, refused: progress.refused.length });
    await setState(entry, { state: 'failed', recipients: progress, lastError: error, nextAttemptAt: null });
    await record(entry, reached ? 'sent' : 'failed', reached ? (messageId ?? message.messageId) : null, reached ? null : error, { recipients: message, refused: progress.refused });
  }

  /**
   * Every message of the account waits (for sign-in, or for a server that can be trusted):
   * sending them now could only fail again. Messages parked for the other reason stay as they are.
   */
  async function park(accountId: string, state: 'needs-sign-in' | 'untrusted-server', lastError: ErrorInfo): Promise<void> {
    const writes: Array<Promise<void>> = [];
    for (const entry of entries.values()) {
      if (entry.message.accountId !== accountId || entry.inFlight || entry.state.state === 'failed') continue;
      if (isParked(entry) && entry.state.state !== state) continue;
      writes.push(setState(entry, { state, lastError, nextAttemptAt: null }));
    }
    await Promise.all(writes);
  }

  const isParked = (entry: Entry) => entry.state.state === 'needs-sign-in' || entry.state.state === 'untrusted-server';
  const parkedForServer = (accountId?: string) =>
    [...entries.values()].filter((e) => e.state.state === 'untrusted-server' && !e.inFlight && (accountId === undefined || e.message.accountId === accountId));

  /** Sends an account's messages parked for the certificate again, now. */
  async function releaseServer(accountId: string): Promise<number> {
    const parked = parkedForServer(accountId);
    const now = deps.clock.now();
    await Promise.all(parked.map((e) => setState(e, { state: 'waiting', nextAttemptAt: now })));
    if (parked.length) log.info('sending messages that waited for the server certificate', { accountId, messages: parked.length });
    return parked.length;
  }

  /**
   * Checks each server that had an untrusted certificate again, without signing in. Trusted
   * now, or not reachable (nothing known: ordinary sending and backoff decide): the messages go.
   */
  async function recheckServers(): Promise<void> {
    const accounts = new Set(parkedForServer().map((e) => e.message.accountId));
    for (const accountId of accounts) {
      const result = await deps.sender.checkServer(accountId);
      if (stopped) return;
      if (result.verdict === 'untrusted') {
        const { code, message, hint } = result.error;
        await Promise.all(parkedForServer(accountId).map((e) => setState(e, { lastError: { code, message, hint } })));
      } else {
        await releaseServer(accountId);
      }
    }
    if (accounts.size) {
      pump();
      changed();
    }
  }

  function kick(reason: string): void {
    log.info('network back, retrying now', { reason });
    deps.sender.closeAll(); // pooled connections did not survive sleep or a network change
    const now = deps.clock.now();
    for (const entry of entries.values()) {
      if (entry.state.state === 'retrying' && !entry.inFlight) void setState(entry, { nextAttemptAt: now });
    }
    pump();
    changed();
    // Captive portals show their own certificate for a while after joining a network.
    void recheckServers().catch((error: unknown) => log.error('server check failed', { error }));
  }

  return {
    async start(): Promise<void> {
      paused = await deps.pausedStore.read();
      const loaded = await deps.store.loadAll((id, error) => log.error('unreadable outbox entry kept on disk', { id, error }));
      const now = deps.clock.now();
      for (const { id, message, state } of loaded) {
        const entry: Entry = { id, message, state, inFlight: false, chain: Promise.resolve() };
        entries.set(id, entry);
        // It may or may not have reached the server before the app stopped: send it again.
        if (state.state === 'sending') await setState(entry, { state: 'retrying', nextAttemptAt: now });
      }
      stopped = false;
      unsubscribe.push(deps.network.onOnline(() => kick('online')), deps.network.onResume(() => kick('resume')));
      log.info('outbox started', { messages: entries.size, paused });
      pump();
      changed();
      void recheckServers().catch((error: unknown) => log.error('server check failed', { error }));
    },

    async stop(): Promise<void> {
      stopped = true;
      if (timer) deps.clock.clearTimeout(timer);
      timer = null;
      for (const off of unsubscribe.splice(0)) off();
      await Promise.allSettled([...inFlight]);
      await Promise.allSettled([...entries.values()].map((e) => e.chain));
      deps.sender.closeAll();
    },

    async enqueue(message: Omit<StoredMessage, 'attachments' | 'createdAt' | 'messageId'> & { messageIdFor(id: string): string }, attachmentPaths: string[], delayMs: number) {
      const now = deps.clock.now();
      const id = newOutboxId(now);
      const { messageIdFor, ...rest } = message;
      const state: StoredState = { v: 1, state: 'waiting', attempts: 0, retries: 0, nextAttemptAt: now + delayMs, lastError: null };
      const stored = await deps.store.create(id, { ...rest, createdAt: now, messageId: messageIdFor(id) }, attachmentPaths, state).catch((error: unknown) => {
        throw explainStorageFailure(error);
      });
      entries.set(id, { id, message: stored, state, inFlight: false, chain: Promise.resolve() });
      log.info('accepted', { id, accountId: stored.accountId, attachments: stored.attachments.length, delayMs });
      pump();
      changed();
      return { id, sendAt: new Date(now + delayMs).toISOString() };
    },

    /**
     * A message another program submitted through the relay: stored durably (sealed, fsync +
     * rename) before this resolves, then sent at once, with no undo delay.
     */
    async enqueueRelayed(input: RelayMessage): Promise<{ id: string }> {
      const now = deps.clock.now();
      const id = newOutboxId(now);
      const state: StoredState = { v: 1, state: 'waiting', attempts: 0, retries: 0, nextAttemptAt: now, lastError: null };
      const account = deps.accounts.get(input.accountId);
      if (!account) throw new RelaySinkError('busy', 'the account is not in Quicksend any more');
      const limitBytes = account.attachmentLimitBytes;
      const stored = await storeRelayed(deps.store, id, input, { now, limitBytes, state });
      entries.set(id, { id, message: stored, state, inFlight: false, chain: Promise.resolve() });
      log.info('accepted from a program', { id, accountId: stored.accountId, credentialId: input.credentialId });
      pump();
      changed();
      return { id };
    },

    async cancel(id: string): Promise<{ cancelled: boolean; draft: DraftAtRest | null }> {
      const entry = entries.get(id);
      if (!entry || entry.inFlight) return { cancelled: false, draft: null };
      const { message, state } = entry;
      const progress = state.recipients ?? noProgress;
      // A program's message has no composer text to go back to: cancelling discards it.
      const draft = message.relayed ? null : draftOf(message, progress.delivered);
      await drop(entry);
      if (progress.delivered.length > 0 && state.state !== 'failed') {
        // Cancelled between transactions: history keeps who has it, the draft the others.
        const done = new Set([...progress.delivered, ...progress.refused.map((r) => r.address)]);
        await record(entry, 'sent', message.messageId, null, { recipients: onlyRecipients(message, done), refused: progress.refused });
      } else if (state.state !== 'failed') {
        await record(entry, 'cancelled', null, null);
      } // a failed message is in history already (as failed, or sent with refused recipients)
      schedule();
      changed();
      return { cancelled: true, draft };
    },

    async retryNow(id: string): Promise<{ scheduled: boolean }> {
      const entry = entries.get(id);
      if (!entry || entry.inFlight) return { scheduled: false };
      // Refused recipients are tried again; those who have the message never get it twice.
      const recipients = entry.state.recipients ? { recipients: retryRefused(entry.state.recipients) } : {};
      await setState(entry, { state: 'waiting', nextAttemptAt: deps.clock.now(), ...recipients });
      pump();
      changed();
      return { scheduled: true };
    },

    async setPaused(value: boolean): Promise<{ paused: boolean }> {
      paused = value;
      await deps.pausedStore.write(value);
      if (paused) schedule();
      else pump();
      changed();
      return { paused };
    },

    /** After the person signed in again: its parked messages go out now, on fresh connections. */
    async resumeAccount(accountId: string): Promise<number> {
      deps.sender.close(accountId);
      const now = deps.clock.now();
      const parked = [...entries.values()].filter((e) => e.message.accountId === accountId && e.state.state === 'needs-sign-in');
      await Promise.all(parked.map((e) => setState(e, { state: 'waiting', nextAttemptAt: now })));
      pump();
      changed();
      return parked.length;
    },

    /** After the account's certificate settings changed: its messages parked for the certificate go now. */
    async resumeServer(accountId: string): Promise<number> {
      deps.sender.close(accountId);
      const released = await releaseServer(accountId);
      pump();
      changed();
      return released;
    },

    /** Deletes every message not being sent right now (sign out of all accounts). */
    async deleteWaiting(): Promise<number> {
      const doomed = [...entries.values()].filter((e) => !e.inFlight);
      for (const entry of doomed) await drop(entry);
      schedule();
      changed();
      return doomed.length;
    },

    snapshot,
    /** Messages not yet delivered and not given up on (for the tray badge and quit warning). */
    waitingCount: () => [...entries.values()].filter((e) => e.inFlight || e.state.state !== 'failed').length,
  };
}

export type Outbox = ReturnType<typeof createOutbox>;

/**
 * A message that cannot be written is refused in plain words (the store has already removed
 * what it staged). Disk full and read-only folders are the two a person can fix.
 */
function explainStorageFailure(error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new AppError('mail.disk_full', 'The message was not queued: the disk is full.', {
      hint: 'Free some space, then press Send again. Nothing was sent.',
      cause: error,
    });
  }
  if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') {
    return new AppError('mail.storage_unwritable', 'The message was not queued: Quicksend cannot write to its data folder.', {
      hint: 'Check that the folder is writable (not read-only), then press Send again. Nothing was sent.',
      cause: error,
    });
  }
  return error;
}
