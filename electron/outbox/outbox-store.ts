/**
 * The outbox on disk. Each accepted message is one folder `outbox/<id>/` holding the sealed
 * message (`message.bin`, encrypted with the data key), 0600 copies of its attachments and a
 * small `state.json`. A message is staged in `.incoming-<id>`, every file fsynced, then the
 * folder is renamed into place: after a crash it either exists whole or not at all. Removal
 * renames to `.trash-<id>` first for the same reason; leftovers of both are swept on load.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Mailbox } from '../mail/addresses';
import { openRegularFile } from '../mail/attachments';
import type { ErrorInfo } from '../ipc/contract';
import { writeFileAtomic } from '../shared/atomic-file';
import type { DataKey } from '../vault/data-key';

/** The sealed part: everything a person wrote. Never logged, never in plain text on disk. */
export type StoredMessage = {
  v: 1;
  accountId: string;
  from: Mailbox;
  to: Mailbox[];
  cc: Mailbox[];
  bcc: Mailbox[];
  subject: string;
  text: string;
  attachments: Array<{ name: string; originalPath: string; file: string; sizeBytes: number }>;
  messageId: string;
  createdAt: number;
  sizeBytes: number;
};

export type StoredStateName = 'waiting' | 'sending' | 'retrying' | 'needs-sign-in' | 'failed';

/** The plain part: scheduling facts only. */
export type StoredState = {
  v: 1;
  state: StoredStateName;
  attempts: number;
  /** Consecutive transient failures, for the backoff. */
  retries: number;
  nextAttemptAt: number | null;
  lastError: ErrorInfo | null;
};

export type LoadedEntry = { id: string; message: StoredMessage; state: StoredState };

async function fsyncPath(target: string): Promise<void> {
  const handle = await open(target, 'r').catch(() => null);
  if (!handle) return;
  try {
    await handle.sync().catch(() => {});
  } finally {
    await handle.close();
  }
}

/** A sortable, unguessable id: creation time then randomness. */
export function newOutboxId(now: number): string {
  return `${now.toString(36).padStart(9, '0')}-${randomBytes(6).toString('hex')}`;
}

export type OutboxStore = ReturnType<typeof createOutboxStore>;

/** Creates the store under `<dataDir>/outbox`; `key` seals and opens message bodies. */
export function createOutboxStore(dataDir: string, key: DataKey) {
  const root = path.join(dataDir, 'outbox');
  const folder = (id: string) => path.join(root, id);

  async function copyAttachment(source: string, target: string, field: string): Promise<number> {
    // Checked and read through one open handle: what was inspected is what gets copied.
    const { handle } = await openRegularFile(source, field);
    try {
      const out = createWriteStream(target, { flags: 'wx', mode: 0o600 });
      await pipeline(handle.createReadStream({ autoClose: false }), out);
      const written = await open(target, 'r+');
      try {
        await written.sync();
        return (await written.stat()).size;
      } finally {
        await written.close();
      }
    } finally {
      await handle.close();
    }
  }

  return {
    root,

    /**
     * Writes a new message with copies of `attachmentPaths` and its first state, durably.
     * Returns the sealed record as stored (attachment sizes as copied).
     */
    async create(id: string, message: Omit<StoredMessage, 'attachments'>, attachmentPaths: string[], state: StoredState): Promise<StoredMessage> {
      await mkdir(root, { recursive: true, mode: 0o700 });
      const stage = path.join(root, `.incoming-${id}`);
      await mkdir(stage, { mode: 0o700 });
      try {
        const attachments: StoredMessage['attachments'] = [];
        for (const [index, source] of attachmentPaths.entries()) {
          const file = `att-${index}`;
          const sizeBytes = await copyAttachment(source, path.join(stage, file), `attachments[${index}]`);
          attachments.push({ name: path.basename(source), originalPath: source, file, sizeBytes });
        }
        const record: StoredMessage = { ...message, attachments };
        await writeFileAtomic(path.join(stage, 'message.bin'), key.seal(JSON.stringify(record)));
        await writeFileAtomic(path.join(stage, 'state.json'), JSON.stringify(state));
        await rename(stage, folder(id));
        await fsyncPath(root);
        return record;
      } catch (error) {
        await rm(stage, { recursive: true, force: true }).catch(() => {});
        throw error;
      }
    },

    /** Replaces the state file atomically. */
    async saveState(id: string, state: StoredState): Promise<void> {
      await writeFileAtomic(path.join(folder(id), 'state.json'), JSON.stringify(state));
    },

    /** The path of an attachment copy, for nodemailer to stream. */
    attachmentPath(id: string, file: string): string {
      return path.join(folder(id), file);
    },

    /** Deletes a message and its copies; a crash half-way leaves only a `.trash-` folder. */
    async remove(id: string): Promise<void> {
      const trash = path.join(root, `.trash-${id}`);
      await rename(folder(id), trash);
      await fsyncPath(root);
      await rm(trash, { recursive: true, force: true });
    },

    /** Every stored message; unreadable ones are reported through `onBroken` and skipped. */
    async loadAll(onBroken: (id: string, error: unknown) => void): Promise<LoadedEntry[]> {
      const names = await readdir(root).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return [] as string[];
        throw error;
      });
      const entries: LoadedEntry[] = [];
      for (const name of names.sort()) {
        if (name.startsWith('.incoming-') || name.startsWith('.trash-')) {
          await rm(path.join(root, name), { recursive: true, force: true });
          continue;
        }
        if (name.startsWith('.')) continue;
        try {
          const message = JSON.parse(key.open(await readFile(path.join(folder(name), 'message.bin'))).toString('utf8')) as StoredMessage;
          const state = JSON.parse(await readFile(path.join(folder(name), 'state.json'), 'utf8')) as StoredState;
          entries.push({ id: name, message, state });
        } catch (error) {
          onBroken(name, error);
        }
      }
      return entries;
    },
  };
}
