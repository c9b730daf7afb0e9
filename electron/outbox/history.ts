/**
 * Sent history: metadata only (time, account, recipients, subject, size, Message-ID, outcome),
 * never bodies or tokens, newest first and bounded to `limit` entries so a tray app running for
 * years stays small. One entry per outbox id: a message recorded again (retried after it
 * failed, or its refused recipients tried again) replaces its earlier entry and moves to the top.
 *
 * Stored sealed with the data key (subjects and recipients are personal) as an append-only log
 * (sealed-log.ts): recording a message appends one small record, whatever the history's size,
 * and the log is compacted to the kept entries once it holds `limit` records more than that.
 * A history file from before the log (one sealed JSON array) is read once and rewritten as a log.
 */
import path from 'node:path';
import { historyEntrySchema, type HistoryEntry } from '../ipc/contract';
import { keptAs, type Quarantine } from '../diagnostics/quarantine';
import type { DataKey } from '../vault/data-key';
import { openSealedLog } from './sealed-log';

export type History = {
  /** Records an entry; resolves once it is on disk (the list has it at once). */
  add(entry: HistoryEntry): Promise<void>;
  list(limit?: number): Promise<HistoryEntry[]>;
  /** Resolves once every entry added so far is on disk. */
  close(): Promise<void>;
};

/** Opens (or starts) the history in `<dataDir>/history.bin`. */
export async function openHistory(
  dataDir: string,
  key: DataKey,
  limit: number,
  quarantine?: Quarantine,
): Promise<History> {
  const file = path.join(dataDir, 'history.bin');
  const log = openSealedLog<unknown>(file, key);
  // Oldest first; a Map keeps insertion order, so a re-recorded id moves to the end (newest).
  const entries = new Map<string, HistoryEntry>();
  const keep = (entry: HistoryEntry) => {
    entries.delete(entry.id);
    entries.set(entry.id, entry);
    for (const oldest of entries.keys()) {
      if (entries.size <= limit) break;
      entries.delete(oldest);
    }
  };
  const oldestFirst = () => [...entries.values()];

  // Unreadable (no permission, say): start over, never block sending.
  const contents = await log.read().catch(() => null);
  let records: unknown[] = contents?.records ?? [];
  let damaged = contents?.damaged ?? false;
  if (contents?.legacy) {
    // The format before the log: one sealed array, newest first.
    let stored: unknown;
    try {
      stored = JSON.parse(key.open(contents.legacy).toString('utf8'));
    } catch {
      stored = undefined;
    }
    records = Array.isArray(stored) ? [...(stored as unknown[])].reverse() : [];
    damaged = !Array.isArray(stored);
  }
  let unreadable = 0;
  for (const record of records) {
    const parsed = historyEntrySchema.safeParse(record);
    if (parsed.success) keep(parsed.data);
    else unreadable++;
  }
  if (damaged || unreadable > 0) {
    // Keep every entry that is still whole; the damaged file itself is kept aside.
    const moved = await quarantine?.moveAside(file, 'history cannot be read whole').catch(() => undefined);
    if (moved) {
      quarantine?.report({
        level: 'warning',
        message:
          entries.size > 0
            ? 'Part of your sent history was damaged; the entries that could be read were kept.'
            : 'Your sent history was damaged and starts again empty.',
        hint: keptAs(moved),
      });
    }
  }
  // A clean log from here on (a failed write, say on a read-only folder, must not block sending).
  if (contents?.legacy || damaged || unreadable > 0) await log.rewrite(oldestFirst).catch(() => {});

  return {
    add(entry) {
      keep(entry);
      const written = log.append(entry);
      // Compaction keeps the file within twice the kept entries; amortised, O(1) per entry.
      if (log.appendedSinceRewrite() > limit) void log.rewrite(oldestFirst).catch(() => {});
      return written;
    },
    async list(max = limit) {
      const newestFirst: HistoryEntry[] = [];
      const all = oldestFirst();
      for (let i = all.length - 1; i >= 0 && newestFirst.length < max; i--) newestFirst.push(all[i]!);
      return newestFirst;
    },
    close: () => log.close(),
  };
}
