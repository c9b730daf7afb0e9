/**
 * Sent history: metadata only (time, account, recipients, subject, size, Message-ID, outcome),
 * never bodies or tokens, newest first and bounded to `limit` entries so a tray app running for
 * years stays small. Stored sealed with the data key (subjects and recipients are personal),
 * written atomically; writes are serialised so concurrent sends cannot lose an entry.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { HistoryEntry } from '../ipc/contract';
import { writeFileAtomic } from '../shared/atomic-file';
import type { DataKey } from '../vault/data-key';

export type History = {
  add(entry: HistoryEntry): Promise<void>;
  list(limit?: number): Promise<HistoryEntry[]>;
};

/** Opens (or starts) the history in `<dataDir>/history.bin`. */
export async function openHistory(dataDir: string, key: DataKey, limit: number): Promise<History> {
  const file = path.join(dataDir, 'history.bin');
  let entries: HistoryEntry[] = [];
  try {
    entries = JSON.parse(key.open(await readFile(file)).toString('utf8')) as HistoryEntry[];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') entries = []; // unreadable: start over, never block sending
  }
  let writing: Promise<void> = Promise.resolve();

  return {
    add(entry) {
      entries = [entry, ...entries].slice(0, limit);
      const snapshot = entries;
      writing = writing.catch(() => {}).then(() => writeFileAtomic(file, key.seal(JSON.stringify(snapshot))));
      return writing;
    },
    async list(max = limit) {
      return entries.slice(0, max);
    },
  };
}
