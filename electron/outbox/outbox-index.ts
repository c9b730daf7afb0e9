/**
 * The outbox index: for every waiting message, what the list and the worker need without its
 * body (account, sender, recipients, subject, attachment names, size, Message-ID, creation
 * time) and its sending state (attempts, next attempt, last error, recipient progress). One
 * sealed append-only log (sealed-log.ts) in `<dataDir>/outbox-index.bin`, so a restart reads
 * one file instead of every message folder, and a state change appends one small record.
 * Sealed like the bodies: it holds recipients, subjects and server replies.
 *
 * The message folders stay the truth about which messages exist: a folder is written before
 * its record and removed before its record, so after a crash a record without a folder is
 * dropped and a folder without a record is read back from its own files (outbox-store.ts).
 */
import type { Mailbox } from '../mail/addresses';
import type { DataKey } from '../vault/data-key';
import { openSealedLog } from './sealed-log';
import type { StoredMessage, StoredState } from './stored-message';

/** A message as the index keeps it: everything but the text and the attachment copies. */
export type IndexedMessage = {
  accountId: string;
  from: Mailbox;
  to: Mailbox[];
  cc: Mailbox[];
  bcc: Mailbox[];
  subject: string;
  messageId: string;
  createdAt: number;
  sizeBytes: number;
  attachmentNames: string[];
  /** Set for a message another program handed to the relay (relayed-messages.ts). */
  relayed?: StoredMessage['relayed'];
};

export type IndexedEntry = { id: string; message: IndexedMessage; state: StoredState };

type IndexRecord =
  ({ op: 'add' } & IndexedEntry) | { op: 'state'; id: string; state: StoredState } | { op: 'remove'; id: string };

/** What a replay of the log knows per id; `message` is missing when its `add` record was lost. */
export type Replayed = Map<string, { message?: IndexedMessage; state?: StoredState }>;

/** The index fields of a stored message. */
export function indexedOf(message: StoredMessage): IndexedMessage {
  const { accountId, from, to, cc, bcc, subject, messageId, createdAt, sizeBytes } = message;
  const indexed: IndexedMessage = {
    accountId,
    from,
    to,
    cc,
    bcc,
    subject,
    messageId,
    createdAt,
    sizeBytes,
    attachmentNames: message.attachments.map((a) => a.name),
  };
  return message.relayed ? { ...indexed, relayed: message.relayed } : indexed;
}

/** Appended records beyond which the log is compacted: twice the live entries, at least this many. */
const COMPACT_AFTER = 1_000;

export type OutboxIndex = ReturnType<typeof openOutboxIndex>;

/** The index at `file`; `live()` lists the current entries when the log is compacted. */
export function openOutboxIndex(file: string, key: DataKey, live: () => IndexedEntry[]) {
  const log = openSealedLog<IndexRecord>(file, key);
  const everything = () => live().map((entry): IndexRecord => ({ op: 'add', ...entry }));

  function append(record: IndexRecord, liveCount: number): Promise<void> {
    const written = log.append(record);
    // Amortised O(1) per change: a rewrite of n entries comes after at least 2n appends.
    if (log.appendedSinceRewrite() > Math.max(COMPACT_AFTER, 2 * liveCount))
      void log.rewrite(everything).catch(() => {});
    return written;
  }

  return {
    file,

    /** Replays the log. `damaged`: a part could not be read (the rest is in `entries`). */
    async read(): Promise<{ found: boolean; damaged: boolean; entries: Replayed }> {
      const contents = await log.read();
      const entries: Replayed = new Map();
      for (const record of contents.records) {
        if (record.op === 'add') entries.set(record.id, { message: record.message, state: record.state });
        else if (record.op === 'state') entries.set(record.id, { ...entries.get(record.id), state: record.state });
        else if (record.op === 'remove') entries.delete(record.id);
      }
      // Another format where the index belongs is as good as damaged: rebuilt from the folders.
      return { found: contents.found, damaged: contents.damaged || contents.legacy !== null, entries };
    },

    add: (entry: IndexedEntry, liveCount: number) => append({ op: 'add', ...entry }, liveCount),
    setState: (id: string, state: StoredState, liveCount: number) => append({ op: 'state', id, state }, liveCount),
    remove: (id: string, liveCount: number) => append({ op: 'remove', id }, liveCount),
    /** Writes the live entries as a new file (after a repair, or to start one). */
    rewrite: () => log.rewrite(everything),
    close: () => log.close(),
  };
}
