/**
 * The outbox worker: keeps every accepted message until the server has taken it, sends after
 * the undo delay, retries transient failures with backoff, parks messages of an account that
 * needs sign-in until `resumeAccount`, parks those of a server whose certificate did not verify
 * (`untrusted-server`) until a check after a network change passes or `resumeServer`, and picks
 * everything up again after a restart. A message in flight is recorded as `sending` (with the
 * index's next write, not waited for: a restart sends a waiting message just the same), so a
 * crash mid-send resends it on restart: delivery is at-least-once, with duplicates limited to
 * messages in flight at a crash.
 *
 * Recipients are followed one by one (recipient-progress.ts): when the server takes some and
 * not others, the taken ones count as sent, 4xx ones get a follow-up transaction after the
 * backoff, and 5xx ones are refused for good. A message with refused recipients is recorded in
 * history (with each address and reply) and then stays in the outbox, failed and addressed only
 * to them, under the same id: history never stores bodies, so this sealed copy is what lets
 * "Write again" (`outbox:cancel`) put the original text, subject and attachments back in the
 * composer in one step, with only the refused recipients, ready to fix a typo and send.
 *
 * Costs: a change to one message costs O(log n) here (the due queue) and O(1) on disk (one
 * index record) and on the wire (one change in the next `outbox:changed`, change-feed.ts).
 * Bodies stay on disk until a message is about to be sent or handed back, except those of
 * messages just accepted, kept in memory up to a budget until their first attempt.
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
import { createChangeFeed, type OutboxChanged } from './change-feed';
import { createDueQueue } from './due-queue';
import type { History } from './history';
import { indexedOf, type IndexedMessage } from './outbox-index';
import { newOutboxId, waitingState, type OutboxStore, type StoredMessage, type StoredState } from './outbox-store';
import {
  afterTransaction,
  noProgress,
  pendingRecipients,
  recipientsError,
  refuseAll,
  retryRefused,
  type RecipientProgress,
} from './recipient-progress';
import { RelaySinkError, type RelayMessage } from '../relay/relay-sink';
import { relayedMailOptions, storeRelayed, viaOf } from './relayed-messages';

export type OutboxSnapshot = { items: OutboxItem[]; paused: boolean; revision: number };

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
  /** `outbox:changed`: what changed since the last call, once per tick. */
  onChange(change: OutboxChanged): void;
  /** Whether sending was paused when the app last ran, and where to keep that. */
  pausedStore: { read(): Promise<boolean>; write(paused: boolean): Promise<void> };
};

/**
 * `body`: the whole message, kept from `mail:send` until its first attempt (within the budget).
 * `leaving`: being deleted (sent, cancelled); listed until its folder is gone, touched by nothing.
 * `saving`: states written but not yet on disk; listeners hear of the entry once this is 0.
 */
type Entry = OutboxEntry & {
  seq: number;
  order: number;
  saving: number;
  body?: StoredMessage;
  bodyBytes?: number;
  leaving?: boolean;
};

/** Bodies of just-accepted messages kept in memory at most (their first attempt reads no file). */
const BODY_BUDGET_BYTES = 16 * 1024 * 1024;

/** Creates the worker; call `start()` to load what is on disk and begin. */
export function createOutbox(deps: OutboxDeps) {
  const entries = new Map<string, Entry>();
  /** Attempts not finished yet: sending, or sent and being deleted from disk. */
  const inFlight = new Set<Promise<void>>();
  /**
   * Attempts holding a sending slot (`concurrency` of them). A sent message gives its slot back
   * before its folder is deleted, so that rename and folder fsync overlap the next send; up to
   * as many again may be finishing that way. Every message in flight is resent after a crash,
   * so this bound (twice `concurrency`) is also the bound on duplicates per crash.
   */
  let sendingSlots = 0;
  const inFlightLimit = 2 * deps.concurrency;
  const log = deps.logger.child('outbox');
  let paused = false;
  let stopped = true;
  let timer: TimerHandle | null = null;
  let failedCount = 0;
  let added = 0;
  let bodyBytes = 0;
  const unsubscribe: Array<() => void> = [];

  const isDue = (entry: Entry) =>
    !entry.inFlight && !entry.leaving && (entry.state.state === 'waiting' || entry.state.state === 'retrying');
  const queue = createDueQueue((node) => {
    const entry = entries.get(node.id);
    return entry !== undefined && entry.seq === node.seq && isDue(entry);
  });
  const feed = createChangeFeed({
    item: (id) => {
      const entry = entries.get(id);
      if (!entry) return null;
      // A state not yet on disk is not news yet: its write touches the entry again when done.
      return entry.saving > 0 ? undefined : itemOf(entry, paused);
    },
    paused: () => paused,
    emit: (change) => deps.onChange(change),
  });

  /** In the due queue again when due (an older node of it is skipped when it comes up). */
  function requeue(entry: Entry): void {
    if (!isDue(entry)) return;
    entry.seq += 1;
    queue.push({ id: entry.id, at: entry.state.nextAttemptAt ?? 0, seq: entry.seq, order: entry.order });
  }

  /** After a change to an entry's state or `inFlight`: rescheduled, and news for listeners. */
  function changed(entry: Entry): void {
    requeue(entry);
    feed.touch(entry.id);
  }

  /** A new state, in effect at once; listeners hear of it once it is on disk. */
  function setState(entry: Entry, patch: Partial<StoredState>): Promise<void> {
    const next = { ...entry.state, ...patch };
    if (entry.state.state === 'failed') failedCount -= 1;
    if (next.state === 'failed') failedCount += 1;
    entry.state = next;
    entry.saving += 1;
    requeue(entry);
    return deps.store
      .saveState(entry.id, next)
      .catch((error: unknown) => log.error('could not save outbox state', { id: entry.id, error }))
      .then(() => {
        entry.saving -= 1;
        feed.touch(entry.id);
      });
  }

  function add(entry: Entry): void {
    entry.order = added++;
    entries.set(entry.id, entry);
    if (entry.state.state === 'failed') failedCount += 1;
    changed(entry);
  }

  /** Out of the outbox, and news for listeners. */
  function forget(entry: Entry): void {
    if (entries.get(entry.id) !== entry) return;
    entries.delete(entry.id);
    if (entry.state.state === 'failed') failedCount -= 1;
    releaseBody(entry);
    feed.touch(entry.id);
  }

  /** Deletes it from disk, then from the list: a window never sees a message gone that is still on disk. */
  async function drop(entry: Entry): Promise<void> {
    if (entry.leaving || entries.get(entry.id) !== entry) return;
    entry.leaving = true;
    await deps.store
      .remove(entry.id)
      .catch((error: unknown) => log.error('could not delete outbox entry', { id: entry.id, error }));
    forget(entry);
  }

  function keepBody(entry: Entry, body: StoredMessage): void {
    const bytes = 2 * body.text.length + 1024;
    if (bodyBytes + bytes > BODY_BUDGET_BYTES) return;
    entry.body = body;
    entry.bodyBytes = bytes;
    bodyBytes += bytes;
  }

  function releaseBody(entry: Entry): void {
    bodyBytes -= entry.bodyBytes ?? 0;
    entry.body = undefined;
    entry.bodyBytes = undefined;
  }

  /** The whole message: kept from `mail:send`, else read from disk. Null (and set aside) when unreadable. */
  async function bodyOf(entry: Entry): Promise<StoredMessage | null> {
    if (entry.body) {
      const body = entry.body;
      releaseBody(entry);
      return body;
    }
    try {
      return await deps.store.readMessage(entry.id);
    } catch (error) {
      log.error('outbox message cannot be read; set aside', { id: entry.id, error });
      forget(entry);
      await deps.store.setAside(entry.id);
      return null;
    }
  }

  /**
   * Recorded in history before the message leaves the list, so whoever sees it leave finds it
   * there. `recipients`: who the entry is about (default all); `refused`: those it did not reach.
   * Not waited for: the history's own write follows.
   */
  function record(
    entry: Entry,
    outcome: HistoryEntry['outcome'],
    messageId: string | null,
    error: ErrorInfo | null,
    progress?: { recipients: Pick<IndexedMessage, 'to' | 'cc' | 'bcc'>; refused: HistoryEntry['refused'] },
  ): void {
    const { message } = entry;
    const refused = progress?.refused?.length ? { refused: progress.refused } : {};
    void deps.history
      .add({
        id: entry.id,
        time: new Date(deps.clock.now()).toISOString(),
        accountId: message.accountId,
        from: formatMailbox(message.from),
        to: recipientsOf(progress?.recipients ?? message),
        subject: message.subject,
        sizeBytes: message.sizeBytes,
        messageId,
        outcome,
        error,
        ...refused,
        ...viaOf(message),
      })
      .catch((e: unknown) => log.error('could not write history', { id: entry.id, error: e }));
  }

  function schedule(): void {
    if (timer) deps.clock.clearTimeout(timer);
    timer = null;
    // With every slot busy, the end of a send pumps again; a timer now would only spin.
    if (stopped || paused || sendingSlots >= deps.concurrency || inFlight.size >= inFlightLimit) return;
    const now = deps.clock.now();
    const next = clampImpossibleWait(now);
    if (next === undefined) return;
    const delay = deps.network.isOnline() ? Math.max(0, next - now) : Math.max(deps.offlineRecheckMs, next - now);
    const expectedAt = now + delay;
    timer = deps.clock.setTimeout(() => onTimer(expectedAt), delay);
  }

  /**
   * The next attempt time. No wait is ever longer than the backoff cap (or the longest undo
   * delay): an attempt time further away means the wall clock went back after it was set, so
   * the message is attempted now instead of when the old time comes round again.
   */
  function clampImpossibleWait(now: number): number | undefined {
    const longest = Math.max(deps.backoff.capMs, 30_000);
    for (;;) {
      const node = queue.peek();
      if (!node || node.at - now <= longest) return node?.at;
      const entry = entries.get(node.id)!;
      log.warn('attempt time is impossibly far away (clock went back); attempting now', { id: entry.id });
      entry.state = { ...entry.state, nextAttemptAt: now };
      changed(entry);
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
      queue.clear();
      for (const entry of entries.values()) {
        if (!isDue(entry)) continue;
        const at = entry.state.nextAttemptAt;
        if (at !== null && at !== undefined) entry.state = { ...entry.state, nextAttemptAt: at - behind };
        changed(entry);
      }
    }
    pump();
  }

  function pump(): void {
    timer = null;
    if (stopped || paused) return;
    if (deps.network.isOnline()) {
      const now = deps.clock.now();
      while (sendingSlots < deps.concurrency && inFlight.size < inFlightLimit) {
        const node = queue.peek();
        if (!node || node.at > now) break;
        queue.pop();
        const entry = entries.get(node.id)!;
        sendingSlots += 1;
        let holdsSlot = true;
        const releaseSlot = () => {
          if (!holdsSlot) return;
          holdsSlot = false;
          sendingSlots -= 1;
        };
        const run = attempt(entry, () => (releaseSlot(), pump()))
          .catch((error: unknown) => {
            entry.inFlight = false;
            changed(entry);
            log.error('send attempt crashed', { id: entry.id, error });
          })
          .finally(() => {
            releaseSlot();
            inFlight.delete(run);
            pump();
          });
        inFlight.add(run);
      }
    }
    schedule();
  }

  /** `sent`: the server has the message for everyone; its slot may go to the next one. */
  async function attempt(entry: Entry, sent: () => void): Promise<void> {
    entry.inFlight = true;
    // Recorded without waiting: a restart sends a waiting message just the same. Shown at once
    // (in flight is what the list shows as sending).
    entry.state = { ...entry.state, state: 'sending' };
    void deps.store
      .saveState(entry.id, entry.state)
      .catch((error: unknown) => log.error('could not save outbox state', { id: entry.id, error }));
    changed(entry);
    const message = await bodyOf(entry);
    if (!message) return;
    const all = envelopeRecipients(entry.message);
    const before = entry.state.recipients ?? noProgress;
    const pending = pendingRecipients(all, before);
    if (pending.length === 0) {
      entry.inFlight = false; // nobody left to send to (a state written by an older build)
      await settle(entry, all, before, null, false);
      return;
    }
    // Built per attempt: attachment copies are decrypted as streams, which are read once. The
    // envelope names only who is left; headers, Message-ID and Date stay the same.
    const { relayed } = message;
    const build = relayed
      ? () => relayedMailOptions(deps.store, entry.id, { ...message, relayed }, pending)
      : () => ({
          ...mailOptions(message, {
            messageId: message.messageId,
            date: new Date(message.createdAt),
            attachments: message.attachments.map((a) => ({
              filename: a.name,
              content: deps.store.openAttachment(entry.id, a),
            })),
          }),
          envelope: { from: message.from.address, to: pending },
        });
    const outcome = await deps.sender.send(message.accountId, build).catch((error: unknown): SendOutcome => {
      log.error('sender threw', { id: entry.id, error });
      return { ok: false, attempts: 1, error: decodeSendError(error) };
    });
    entry.state = { ...entry.state, attempts: entry.state.attempts + outcome.attempts };
    entry.inFlight = false;
    if (outcome.ok) {
      deps.accounts.touch(message.accountId);
      // The server took the message for everyone in the envelope it did not reject.
      const rejected = ofThese(entry, pending, outcome.recipients?.rejected ?? []);
      const accepted = pending.filter((a) => !rejected.some((r) => r.address === a));
      await settle(
        entry,
        all,
        afterTransaction(before, accepted, rejected),
        outcome.messageId,
        accepted.length > 0,
        sent,
      );
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
        await setState(entry, {
          state: 'retrying',
          retries,
          lastError,
          nextAttemptAt: deps.clock.now() + backoffDelay(retries, deps.backoff),
        });
      } else if (action === 'reauthenticate') {
        // The account side first: whoever sees the messages parked finds the account marked.
        await deps.accounts
          .markNeedsSignIn(message.accountId, text)
          .catch((error: unknown) => log.error('markNeedsSignIn failed', { error }));
        await park(message.accountId, 'needs-sign-in', lastError);
      } else if (action === 'check-certificate') {
        // Not retried on a timer: a certificate does not fix itself. A network change (a captive
        // portal let go), a new CA or "Retry" sends it again.
        await park(message.accountId, 'untrusted-server', lastError);
      } else {
        record(entry, 'failed', null, lastError, {
          recipients: entry.message,
          refused: entry.state.recipients?.refused,
        });
        await setState(entry, { state: 'failed', lastError, nextAttemptAt: null });
      }
    }
    changed(entry); // no longer in flight, whatever happened
    // The slot is free once listeners heard how it went: a quick retry never hides the retrying state.
    await feed.settled();
  }

  /** The replies for recipients of this transaction (nodemailer names them as we did). */
  function ofThese(entry: Entry, pending: string[], rejected: RecipientReply[]): RecipientReply[] {
    const known = rejected.filter((r) => pending.includes(r.address));
    if (known.length < rejected.length)
      log.warn('server rejected recipients not in the envelope', {
        id: entry.id,
        count: rejected.length - known.length,
      });
    return known;
  }

  /**
   * After a transaction: a follow-up with backoff while any recipient was only put off; else
   * sent (all taken), or kept as failed for the refused recipients and recorded either way.
   */
  async function settle(
    entry: Entry,
    all: string[],
    progress: RecipientProgress,
    messageId: string | null,
    progressed: boolean,
    sent?: () => void,
  ): Promise<void> {
    const { message } = entry;
    const before = entry.state.recipients ?? noProgress;
    for (const r of progress.refused)
      if (!before.refused.some((b) => b.address === r.address && b.reply === r.reply))
        log.warn('recipient refused', { id: entry.id, address: r.address, reply: r.reply });
    for (const r of progress.deferred)
      log.info('recipient put off, retrying later', { id: entry.id, address: r.address, reply: r.reply });
    const left = pendingRecipients(all, progress);
    if (left.length > 0) {
      // Progress restarts the backoff: a 452 "too many recipients" server is worked through quickly.
      const retries = progressed ? 1 : entry.state.retries + 1;
      await setState(entry, {
        state: 'retrying',
        retries,
        recipients: progress,
        lastError: recipientsError(progress, all.length) ?? entry.state.lastError,
        nextAttemptAt: deps.clock.now() + backoffDelay(retries, deps.backoff),
      });
      return;
    }
    if (progress.refused.length === 0) {
      log.info('sent', {
        id: entry.id,
        accountId: message.accountId,
        attempts: entry.state.attempts,
        transactions: before.delivered.length > 0 ? 'several' : 'one',
      });
      record(entry, 'sent', messageId ?? message.messageId, null);
      const dropping = drop(entry); // marks it leaving at once: nothing picks it up again
      // The next message may use the connection while this folder is renamed and fsynced away.
      sent?.();
      await dropping;
      return;
    }
    const error = recipientsError(progress, all.length);
    const reached = progress.delivered.length > 0;
    log.info(reached ? 'sent to some recipients, refused by others' : 'every recipient refused', {
      id: entry.id,
      delivered: progress.delivered.length,
      refused: progress.refused.length,
    });
    record(
      entry,
      reached ? 'sent' : 'failed',
      reached ? (messageId ?? message.messageId) : null,
      reached ? null : error,
      { recipients: message, refused: progress.refused },
    );
    await setState(entry, { state: 'failed', recipients: progress, lastError: error, nextAttemptAt: null });
  }

  /**
   * Every message of the account waits (for sign-in, or for a server that can be trusted):
   * sending them now could only fail again. Messages parked for the other reason stay as they are.
   */
  async function park(
    accountId: string,
    state: 'needs-sign-in' | 'untrusted-server',
    lastError: ErrorInfo,
  ): Promise<void> {
    const writes: Array<Promise<void>> = [];
    for (const entry of entries.values()) {
      if (entry.message.accountId !== accountId || entry.inFlight || entry.leaving || entry.state.state === 'failed')
        continue;
      if (isParked(entry) && entry.state.state !== state) continue;
      writes.push(setState(entry, { state, lastError, nextAttemptAt: null }));
    }
    await Promise.all(writes);
  }

  const isParked = (entry: Entry) => entry.state.state === 'needs-sign-in' || entry.state.state === 'untrusted-server';
  const parkedForServer = (accountId?: string) =>
    [...entries.values()].filter(
      (e) =>
        e.state.state === 'untrusted-server' &&
        !e.inFlight &&
        !e.leaving &&
        (accountId === undefined || e.message.accountId === accountId),
    );

  /** Sends an account's messages parked for the certificate again, now. */
  async function releaseServer(accountId: string): Promise<number> {
    const parked = parkedForServer(accountId);
    const now = deps.clock.now();
    await Promise.all(parked.map((e) => setState(e, { state: 'waiting', nextAttemptAt: now })));
    if (parked.length)
      log.info('sending messages that waited for the server certificate', { accountId, messages: parked.length });
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
    if (accounts.size) pump();
  }

  function kick(reason: string): void {
    log.info('network back, retrying now', { reason });
    deps.sender.closeAll(); // pooled connections did not survive sleep or a network change
    const now = deps.clock.now();
    for (const entry of entries.values()) {
      if (entry.state.state === 'retrying' && !entry.inFlight && !entry.leaving)
        void setState(entry, { nextAttemptAt: now });
    }
    pump();
    // Captive portals show their own certificate for a while after joining a network.
    void recheckServers().catch((error: unknown) => log.error('server check failed', { error }));
  }

  /** Waiting and retrying messages show as paused while sending is paused: news for each. */
  function pausedChanged(): void {
    feed.touchPaused();
    for (const entry of entries.values())
      if (entry.state.state === 'waiting' || entry.state.state === 'retrying') feed.touch(entry.id);
  }

  return {
    async start(): Promise<void> {
      paused = await deps.pausedStore.read();
      const loaded = await deps.store.load((id, error) =>
        log.error('unreadable outbox entry kept on disk', { id, error }),
      );
      const now = deps.clock.now();
      for (const { id, message, state } of loaded)
        add({ id, message, state, inFlight: false, seq: 0, order: 0, saving: 0 });
      // Listeners start from `outbox:list`: what was loaded is not news.
      feed.reset(entries.keys());
      // It may or may not have reached the server before the app stopped: send it again.
      await Promise.all(
        [...entries.values()]
          .filter((e) => e.state.state === 'sending')
          .map((e) => setState(e, { state: 'retrying', nextAttemptAt: now })),
      );
      stopped = false;
      unsubscribe.push(
        deps.network.onOnline(() => kick('online')),
        deps.network.onResume(() => kick('resume')),
      );
      log.info('outbox started', { messages: entries.size, paused });
      pump();
      void recheckServers().catch((error: unknown) => log.error('server check failed', { error }));
    },

    async stop(): Promise<void> {
      stopped = true;
      if (timer) deps.clock.clearTimeout(timer);
      timer = null;
      for (const off of unsubscribe.splice(0)) off();
      await Promise.allSettled([...inFlight]);
      feed.flush();
      await deps.store.close();
      deps.sender.closeAll();
    },

    async enqueue(
      message: Omit<StoredMessage, 'attachments' | 'createdAt' | 'messageId'> & { messageIdFor(id: string): string },
      attachmentPaths: string[],
      delayMs: number,
    ) {
      const now = deps.clock.now();
      const id = newOutboxId(now);
      const { messageIdFor, ...rest } = message;
      const state = waitingState(now + delayMs);
      const stored = await deps.store
        .create(id, { ...rest, createdAt: now, messageId: messageIdFor(id) }, attachmentPaths, state)
        .catch((error: unknown) => {
          throw explainStorageFailure(error);
        });
      const entry: Entry = { id, message: indexedOf(stored), state, inFlight: false, seq: 0, order: 0, saving: 0 };
      keepBody(entry, stored);
      add(entry);
      log.info('accepted', { id, accountId: stored.accountId, attachments: stored.attachments.length, delayMs });
      pump();
      await feed.settled(); // the answer after the news
      return { id, sendAt: new Date(now + delayMs).toISOString() };
    },

    /**
     * A message another program submitted through the relay: stored durably (sealed, fsync +
     * rename) before this resolves, then sent at once, with no undo delay.
     */
    async enqueueRelayed(input: RelayMessage): Promise<{ id: string }> {
      const now = deps.clock.now();
      const id = newOutboxId(now);
      const state = waitingState(now);
      const account = deps.accounts.get(input.accountId);
      if (!account) throw new RelaySinkError('busy', 'the account is not in Quicksend any more');
      const limitBytes = account.attachmentLimitBytes;
      const stored = await storeRelayed(deps.store, id, input, { now, limitBytes, state });
      const entry: Entry = { id, message: indexedOf(stored), state, inFlight: false, seq: 0, order: 0, saving: 0 };
      keepBody(entry, stored);
      add(entry);
      log.info('accepted from a program', { id, accountId: stored.accountId, credentialId: input.credentialId });
      pump();
      await feed.settled(); // the answer after the news
      return { id };
    },

    async cancel(id: string): Promise<{ cancelled: boolean; draft: DraftAtRest | null }> {
      const entry = entries.get(id);
      if (!entry || entry.inFlight || entry.leaving) return { cancelled: false, draft: null };
      const message = await bodyOf(entry);
      if (!message) return { cancelled: true, draft: null }; // unreadable: set aside, the person told
      // Reading took a moment: the worker may have started sending it meanwhile.
      if (entries.get(id) !== entry || entry.inFlight || entry.leaving) return { cancelled: false, draft: null };
      const { state } = entry;
      const progress = state.recipients ?? noProgress;
      // A program's message has no composer text to go back to: cancelling discards it.
      const draft = message.relayed ? null : draftOf(message, progress.delivered);
      if (progress.delivered.length > 0 && state.state !== 'failed') {
        // Cancelled between transactions: history keeps who has it, the draft the others.
        const done = new Set([...progress.delivered, ...progress.refused.map((r) => r.address)]);
        record(entry, 'sent', entry.message.messageId, null, {
          recipients: onlyRecipients(entry.message, done),
          refused: progress.refused,
        });
      } else if (state.state !== 'failed') {
        record(entry, 'cancelled', null, null);
      } // a failed message is in history already (as failed, or sent with refused recipients)
      await drop(entry);
      schedule();
      await feed.settled(); // the answer after the news
      return { cancelled: true, draft };
    },

    async retryNow(id: string): Promise<{ scheduled: boolean }> {
      const entry = entries.get(id);
      if (!entry || entry.inFlight || entry.leaving) return { scheduled: false };
      // Refused recipients are tried again; those who have the message never get it twice.
      const recipients = entry.state.recipients ? { recipients: retryRefused(entry.state.recipients) } : {};
      await setState(entry, { state: 'waiting', nextAttemptAt: deps.clock.now(), ...recipients });
      pump();
      await feed.settled(); // the answer after the news
      return { scheduled: true };
    },

    async setPaused(value: boolean): Promise<{ paused: boolean }> {
      paused = value;
      await deps.pausedStore.write(value);
      pausedChanged();
      if (paused) schedule();
      else pump();
      await feed.settled(); // the answer after the news
      return { paused };
    },

    /** After the person signed in again: its parked messages go out now, on fresh connections. */
    async resumeAccount(accountId: string): Promise<number> {
      deps.sender.close(accountId);
      const now = deps.clock.now();
      const parked = [...entries.values()].filter(
        (e) => e.message.accountId === accountId && e.state.state === 'needs-sign-in' && !e.leaving,
      );
      await Promise.all(parked.map((e) => setState(e, { state: 'waiting', nextAttemptAt: now })));
      pump();
      await feed.settled(); // the answer after the news
      return parked.length;
    },

    /** After the account's certificate settings changed: its messages parked for the certificate go now. */
    async resumeServer(accountId: string): Promise<number> {
      deps.sender.close(accountId);
      const released = await releaseServer(accountId);
      pump();
      await feed.settled(); // the answer after the news
      return released;
    },

    /** Deletes every message not being sent right now (sign out of all accounts). */
    async deleteWaiting(): Promise<number> {
      const doomed = [...entries.values()].filter((e) => !e.inFlight && !e.leaving);
      await Promise.all(doomed.map((entry) => drop(entry)));
      schedule();
      await feed.settled(); // the answer after the news
      return doomed.length;
    },

    /** What `outbox:list` answers: every item, oldest first, with the revision it shows. */
    snapshot(): OutboxSnapshot {
      feed.flush(); // whatever is pending goes out first, so the list is never behind the events
      const items = [...entries.values()]
        .sort((a, b) => a.message.createdAt - b.message.createdAt || a.id.localeCompare(b.id))
        .map((e) => itemOf(e, paused));
      return { items, paused, revision: feed.revision() };
    },
    /** Messages not yet delivered and not given up on (for the tray badge and quit warning). */
    waitingCount: () => entries.size - failedCount,
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
    return new AppError(
      'mail.storage_unwritable',
      'The message was not queued: Quicksend cannot write to its data folder.',
      {
        hint: 'Check that the folder is writable (not read-only), then press Send again. Nothing was sent.',
        cause: error,
      },
    );
  }
  return error;
}
