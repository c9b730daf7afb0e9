/**
 * An append-only log of sealed records, for state that changes a little at a time (the outbox
 * index, the sent history): each change costs one small append instead of a rewrite of the
 * whole file, and appends made while a write runs share the next write and its fsync (group
 * commit). Now and then the owner compacts it: `rewrite` replaces the file atomically with the
 * records that still matter.
 *
 * Layout: an 8-byte magic, then frames of a 4-byte big-endian length and that many bytes sealed
 * with the data key; each frame holds a JSON array of records (one group commit, or a whole
 * compaction). A frame cut short at the end is an append a crash interrupted before it was
 * acknowledged: it is dropped silently and cut off. A frame that does not open is damage: the
 * reader skips it (its length says where the next one starts), keeps every frame it can read
 * and says so, and the owner keeps the file aside and writes a new one.
 */
import { open, stat } from 'node:fs/promises';
import { writeFileAtomic } from '../shared/atomic-file';
import type { DataKey } from '../vault/data-key';

const MAGIC = Buffer.from('QSLOG01\n', 'latin1');
/** A frame longer than this is a damaged length field, not a record batch. */
const MAX_FRAME = 256 * 1024 * 1024;

/** What a log file held. `found`: the file existed; `legacy`: it did not start with the log's magic (another format). */
export type LogContents<R> = { found: boolean; legacy: Buffer | null; records: R[]; damaged: boolean };

export type SealedLog<R> = {
  /** Reads every record, in the order written. Call once, before the first append. */
  read(): Promise<LogContents<R>>;
  /** Adds records; resolves once they are on disk (fsynced) together with any others waiting. */
  append(...records: R[]): Promise<void>;
  /**
   * Replaces the file with `current()` (called when the rewrite runs, so it sees every change
   * made before): temp file, fsync, rename, folder fsync. Appends waiting at that moment are
   * covered by it and resolve with it.
   */
  rewrite(current: () => R[]): Promise<void>;
  /** Records appended since the file was last rewritten (for the owner's compaction rule). */
  appendedSinceRewrite(): number;
  /** Resolves once everything appended so far is on disk. */
  close(): Promise<void>;
};

type Batch = {
  records: unknown[];
  rewrite: (() => unknown[]) | null;
  done: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
};

function newBatch(): Batch {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const done = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A caller that does not wait for a write must not turn its failure into an unhandled rejection.
  done.catch(() => {});
  return { records: [], rewrite: null, done, resolve, reject };
}

/** The log at `file`, sealed with `key`. Nothing is read or written until asked. */
export function openSealedLog<R>(file: string, key: DataKey): SealedLog<R> {
  /** Bytes known to be whole on disk (null: not looked at yet); a failed append is cut back to here. */
  let size: number | null = null;
  let next: Batch | null = null;
  let running: Promise<void> | null = null;
  let appended = 0;

  const frame = (records: unknown[]) => {
    const sealed = key.seal(JSON.stringify(records));
    const header = Buffer.alloc(4);
    header.writeUInt32BE(sealed.byteLength);
    return Buffer.concat([header, sealed]);
  };

  async function writeBatch(batch: Batch): Promise<void> {
    if (batch.rewrite) {
      const bytes = Buffer.concat([MAGIC, frame(batch.rewrite())]);
      await writeFileAtomic(file, bytes);
      size = bytes.length;
      appended = 0;
      return;
    }
    if (size === null) {
      const existing = await stat(file).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return null;
        throw error;
      });
      // A new file appears whole (magic and all) through an atomic write, folder fsync included.
      if (!existing) await writeFileAtomic(file, MAGIC);
      size = existing?.size ?? MAGIC.length;
    }
    const bytes = frame(batch.records);
    // Opened per write, not held: no handle stays open on an idle data folder.
    const handle = await open(file, 'r+');
    try {
      await handle.write(bytes, 0, bytes.length, size);
      await handle.datasync();
    } catch (error) {
      // Half a frame in the middle would hide every later one: cut it off again.
      await handle.truncate(size).catch(() => {});
      throw error;
    } finally {
      await handle.close();
    }
    size += bytes.length;
    appended += batch.records.length;
  }

  // One write at a time; whatever arrives meanwhile waits in `next` and goes in one frame.
  function kick(): void {
    if (running || !next) return;
    const batch = next;
    next = null;
    running = writeBatch(batch).then(
      () => batch.resolve(),
      (error: unknown) => batch.reject(error),
    );
    void running.finally(() => {
      running = null;
      kick();
    });
  }

  const pending = () => (next ??= newBatch());

  return {
    async read() {
      const bytes = await readWhole(file);
      if (!bytes) return { found: false, legacy: null, records: [], damaged: false };
      if (bytes.length < MAGIC.length || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
        return { found: true, legacy: bytes, records: [], damaged: false };
      }
      const records: R[] = [];
      let damaged = false;
      let offset = MAGIC.length;
      while (offset < bytes.length) {
        if (bytes.length - offset < 4) break; // cut short: an interrupted append
        const length = bytes.readUInt32BE(offset);
        if (length > MAX_FRAME) {
          damaged = true; // a damaged length: nothing after it can be found
          break;
        }
        if (offset + 4 + length > bytes.length) break; // cut short: an interrupted append
        const body = bytes.subarray(offset + 4, offset + 4 + length);
        offset += 4 + length;
        try {
          const batch: unknown = JSON.parse(key.open(body).toString('utf8'));
          if (!Array.isArray(batch)) throw new Error('Not a record batch');
          records.push(...(batch as R[]));
        } catch {
          damaged = true;
        }
      }
      if (offset < bytes.length && !damaged) {
        // Cut off the interrupted append, so the next one does not follow garbage.
        const h = await open(file, 'r+');
        try {
          await h.truncate(offset);
          await h.datasync();
        } finally {
          await h.close();
        }
      }
      size = offset;
      return { found: true, legacy: null, records, damaged };
    },

    append(...records) {
      const batch = pending();
      batch.records.push(...records);
      kick();
      return batch.done;
    },

    rewrite(current) {
      const batch = pending();
      batch.rewrite = current;
      kick();
      return batch.done;
    },

    appendedSinceRewrite: () => appended + (next?.records.length ?? 0),

    async close() {
      while (running || next) {
        kick();
        await running?.catch(() => {});
      }
    },
  };
}

async function readWhole(file: string): Promise<Buffer | null> {
  const handle = await open(file, 'r').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (!handle) return null;
  try {
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
