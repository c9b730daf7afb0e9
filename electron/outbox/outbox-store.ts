/**
 * The outbox on disk. Each accepted message is one folder `outbox/<id>/` holding the sealed
 * message (`message.bin`, encrypted with the data key), 0600 copies of its attachments and a
 * small `state.json` (recipient progress inside it sealed too: addresses and server replies are
 * personal). A message is staged in `.incoming-<id>`, every file fsynced, then the
 * folder is renamed into place: after a crash it either exists whole or not at all. Removal
 * renames to `.trash-<id>` first for the same reason; leftovers of both are swept on load.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ValidatedMessage } from '../mail/message';
import { openRegularFile } from '../mail/attachments';
import type { ErrorInfo } from '../ipc/contract';
import { writeFileAtomic } from '../shared/atomic-file';
import type { Quarantine } from '../shared/quarantine';
import type { DataKey } from '../vault/data-key';
import type { RecipientProgress } from './recipient-progress';
import type { RelayedFacts } from './relayed-messages';

/** The sealed part: everything a person wrote. Never logged, never in plain text on disk. */
export type StoredMessage = Omit<ValidatedMessage, 'attachmentPaths'> & {
  v: 1;
  /** `sealed`: the copy is encrypted with the data key (copies written before that are plain). */
  attachments: Array<{ name: string; originalPath: string; file: string; sizeBytes: number; sealed?: true }>;
  messageId: string;
  createdAt: number;
  sizeBytes: number;
  /** Set for a message another program handed to the relay: it is sent as stored, raw (relayed-messages.ts). */
  relayed?: RelayedFacts;
};

export type StoredStateName = 'waiting' | 'sending' | 'retrying' | 'needs-sign-in' | 'untrusted-server' | 'failed';

/** The plain part: scheduling facts only. */
export type StoredState = {
  v: 1;
  state: StoredStateName;
  attempts: number;
  /** Consecutive transient failures, for the backoff. */
  retries: number;
  nextAttemptAt: number | null;
  lastError: ErrorInfo | null;
  /** Once a server took some recipients and not others; absent until then. Sealed on disk. */
  recipients?: RecipientProgress;
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
export function createOutboxStore(dataDir: string, key: DataKey, quarantine?: Quarantine) {
  const root = path.join(dataDir, 'outbox');
  const folder = (id: string) => path.join(root, id);

  // Which recipients remain must survive a restart, so it lives in state.json, written with the
  // state in one atomic rename. The addresses and the server's replies about them (in the
  // progress and in the error that names them) are sealed; the scheduling facts stay plain.
  function stateText(state: StoredState): string {
    const { recipients, ...plain } = state;
    if (!recipients) return JSON.stringify(plain);
    const sealed = Buffer.from(key.seal(JSON.stringify({ recipients, lastError: plain.lastError }))).toString('base64');
    return JSON.stringify({ ...plain, lastError: null, sealed });
  }

  function parseState(text: string): StoredState {
    const raw = JSON.parse(text) as (StoredState & { sealed?: unknown }) | null;
    if (typeof raw?.state !== 'string' || typeof raw.attempts !== 'number') throw new Error('Not an outbox state');
    const { sealed, ...plain } = raw;
    if (sealed === undefined) return plain;
    if (typeof sealed !== 'string') throw new Error('Not an outbox state');
    const opened = JSON.parse(key.open(Buffer.from(sealed, 'base64')).toString('utf8')) as Pick<StoredState, 'recipients' | 'lastError'>;
    const { recipients } = opened;
    if (!recipients || !Array.isArray(recipients.delivered) || !Array.isArray(recipients.refused) || !Array.isArray(recipients.deferred)) throw new Error('Not a recipient progress');
    return { ...plain, recipients, lastError: opened.lastError ?? null };
  }

  /** What binds a copy to its place: a copy moved to another message or slot does not open. */
  const placeOf = (id: string, file: string) => `outbox/${id}/${file}`;

  /**
   * Copies an attachment encrypted with the data key, as a stream in authenticated segments
   * (vault/sealed-stream.ts): no plain byte reaches the disk, staging included, and memory
   * stays bounded whatever the file's size. Returns the plain size.
   */
  async function copyAttachment(source: string, target: string, field: string, place: string): Promise<number> {
    // Checked and read through one open handle: what was inspected is what gets copied.
    const { handle } = await openRegularFile(source, field);
    try {
      let plainBytes = 0;
      const counted = handle.createReadStream({ autoClose: false }).on('data', (chunk: Buffer | string) => {
        plainBytes += chunk.length;
      });
      await pipeline(counted, key.sealStream(place), createWriteStream(target, { flags: 'wx', mode: 0o600 }));
      const written = await open(target, 'r+');
      try {
        await written.sync();
        return plainBytes;
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
          const sizeBytes = await copyAttachment(source, path.join(stage, file), `attachments[${index}]`, placeOf(id, file));
          attachments.push({ name: path.basename(source), originalPath: source, file, sizeBytes, sealed: true });
        }
        const record: StoredMessage = { ...message, attachments };
        await writeFileAtomic(path.join(stage, 'message.bin'), key.seal(JSON.stringify(record)));
        await writeFileAtomic(path.join(stage, 'state.json'), stateText(state));
        await rename(stage, folder(id));
        await fsyncPath(root);
        return record;
      } catch (error) {
        await rm(stage, { recursive: true, force: true }).catch(() => {});
        throw error;
      }
    },

    /**
     * Like `create`, for a message whose content arrives as a stream (relayed-messages.ts):
     * `fill` writes its files into the stage through `seal` (encrypted with the data key, bound
     * to their place, fsynced) and answers the record. Whatever fails, nothing is left behind.
     */
    async createStreamed(id: string, state: StoredState, fill: (seal: (file: string, source: Readable) => Promise<void>) => Promise<StoredMessage>): Promise<StoredMessage> {
      await mkdir(root, { recursive: true, mode: 0o700 });
      const stage = path.join(root, `.incoming-${id}`);
      await mkdir(stage, { mode: 0o700 });
      try {
        const record = await fill(async (file, source) => {
          const target = path.join(stage, file);
          await pipeline(source, key.sealStream(placeOf(id, file)), createWriteStream(target, { flags: 'wx', mode: 0o600 }));
          const written = await open(target, 'r+');
          try {
            await written.sync();
          } finally {
            await written.close();
          }
        });
        await writeFileAtomic(path.join(stage, 'message.bin'), key.seal(JSON.stringify(record)));
        await writeFileAtomic(path.join(stage, 'state.json'), stateText(state));
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
      await writeFileAtomic(path.join(folder(id), 'state.json'), stateText(state));
    },

    /**
     * An attachment copy as plain bytes, for nodemailer to stream: decrypted segment by segment,
     * each released only once authenticated (a damaged copy fails the send, it never sends
     * garbage). A stream is read once: ask again for every attempt.
     */
    openAttachment(id: string, attachment: StoredMessage['attachments'][number]): Readable {
      const source = createReadStream(path.join(folder(id), attachment.file));
      if (!attachment.sealed) return source; // a copy from before copies were sealed
      const opened = key.openStream(placeOf(id, attachment.file));
      source.on('error', (error) => opened.destroy(error));
      opened.on('close', () => source.destroy());
      return source.pipe(opened);
    },

    /** Deletes a message and its copies; a crash half-way leaves only a `.trash-` folder. */
    async remove(id: string): Promise<void> {
      const trash = path.join(root, `.trash-${id}`);
      await rename(folder(id), trash);
      await fsyncPath(root);
      await rm(trash, { recursive: true, force: true });
    },

    /**
     * Every stored message; unreadable ones are reported through `onBroken` and skipped. With a
     * quarantine, an unreadable message's folder is moved aside (kept), and a message whose
     * state file is damaged is kept and waits to be sent again (delivery is at-least-once).
     */
    async loadAll(onBroken: (id: string, error: unknown) => void): Promise<LoadedEntry[]> {
      const names = await readdir(root).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return [] as string[];
        throw error;
      });
      const entries: LoadedEntry[] = [];
      const setAside: string[] = [];
      let restored = 0;
      for (const name of names.sort()) {
        if (name.startsWith('.incoming-') || name.startsWith('.trash-')) {
          await rm(path.join(root, name), { recursive: true, force: true });
          continue;
        }
        if (name.startsWith('.') || name.includes('.damaged-')) continue;
        let message: StoredMessage;
        try {
          message = JSON.parse(key.open(await readFile(path.join(folder(name), 'message.bin'))).toString('utf8')) as StoredMessage;
        } catch (error) {
          onBroken(name, error);
          // Could not move it (read-only folder): it stays where it is, skipped as before.
          const moved = await quarantine?.moveAside(folder(name), 'outbox message cannot be read').catch(() => undefined);
          if (moved) setAside.push(moved);
          continue;
        }
        const stateFile = path.join(folder(name), 'state.json');
        try {
          entries.push({ id: name, message, state: parseState(await readFile(stateFile, 'utf8')) });
        } catch (error) {
          onBroken(name, error);
          if (!quarantine) continue;
          const state: StoredState = { v: 1, state: 'waiting', attempts: 0, retries: 0, nextAttemptAt: message.createdAt, lastError: null };
          try {
            await quarantine.moveAside(stateFile, 'outbox state cannot be read').catch(() => {}); // may be missing
            await writeFileAtomic(stateFile, stateText(state));
          } catch {
            continue; // a read-only folder: skipped as before, retried at the next start
          }
          entries.push({ id: name, message, state });
          restored++;
        }
      }
      if (setAside.length > 0) {
        quarantine?.report({
          level: 'warning',
          message: `${setAside.length === 1 ? 'A message' : `${setAside.length} messages`} waiting in the outbox could not be read and will not be sent. Write ${setAside.length === 1 ? 'it' : 'them'} again if needed.`,
          hint: `Kept as ${setAside.map((moved) => path.basename(moved)).join(', ')} in the outbox folder of the Quicksend data folder.`,
        });
      }
      if (restored > 0) {
        quarantine?.report({
          level: 'warning',
          message: `The sending state of ${restored === 1 ? 'a message' : `${restored} messages`} in the outbox was damaged; ${restored === 1 ? 'it is' : 'they are'} sent again, so a recipient may get ${restored === 1 ? 'it' : 'them'} twice.`,
        });
      }
      return entries;
    },
  };
}
