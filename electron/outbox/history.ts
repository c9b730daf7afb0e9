/**
 * Sent history: metadata only (time, account, recipients, subject, size, Message-ID, outcome),
 * never bodies or tokens, newest first and bounded to `limit` entries so a tray app running for
 * years stays small. Stored sealed with the data key (subjects and recipients are personal),
 * written atomically; writes are serialised so concurrent sends cannot lose an entry. One entry
 * per outbox id: a message recorded again (retried after it failed, or its refused recipients
 * tried again) replaces its earlier entry and moves to the top.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { historyEntrySchema, type HistoryEntry } from '../ipc/contract';
import { writeFileAtomic } from '../shared/atomic-file';
import { keptAs, type Quarantine } from '../diagnostics/quarantine';
import type { DataKey } from '../vault/data-key';

export type History = {
  add(entry: HistoryEntry): Promise<void>;
  list(limit?: number): Promise<HistoryEntry[]>;
};

/** Opens (or starts) the history in `<dataDir>/history.bin`. */
export async function openHistory(dataDir: string, key: DataKey, limit: number, quarantine?: Quarantine): Promise<History> {
  const file = path.join(dataDir, 'history.bin');
  let entries: HistoryEntry[] = [];
  // Unreadable (not there, no permission): start over, never block sending.
  const sealed = await readFile(file).catch(() => null);
  if (sealed) {
    let stored: unknown;
    try {
      stored = JSON.parse(key.open(sealed).toString('utf8'));
    } catch {
      stored = undefined;
    }
    // Keep every entry that is still whole; the damaged file itself is kept aside.
    const records: unknown[] = Array.isArray(stored) ? stored : [];
    entries = records.flatMap((record) => {
      const parsed = historyEntrySchema.safeParse(record);
      return parsed.success ? [parsed.data] : [];
    });
    if (quarantine && (!Array.isArray(stored) || entries.length !== records.length)) {
      // A failed move (read-only folder) must not block sending either.
      const moved = await quarantine.moveAside(file, 'history cannot be read whole').catch(() => undefined);
      if (moved) {
        if (entries.length > 0) await writeFileAtomic(file, key.seal(JSON.stringify(entries))).catch(() => {});
        quarantine.report({
          level: 'warning',
          message: entries.length > 0 ? 'Part of your sent history was damaged; the entries that could be read were kept.' : 'Your sent history was damaged and starts again empty.',
          hint: keptAs(moved),
        });
      }
    }
  }
  let nextWrite: Promise<void> | null = null;
  let writing: Promise<void> = Promise.resolve();

  return {
    add(entry) {
      entries = [entry, ...entries.filter((e) => e.id !== entry.id)].slice(0, limit);
      // Group commit: every entry added before the next write starts rides on that one write,
      // so a burst of deliveries rewrites the sealed file once, not once per message.
      if (!nextWrite) {
        nextWrite = writing.catch(() => {}).then(() => {
          nextWrite = null;
          return writeFileAtomic(file, key.seal(JSON.stringify(entries)));
        });
        writing = nextWrite;
      }
      return nextWrite;
    },
    async list(max = limit) {
      return entries.slice(0, max);
    },
  };
}
