/**
 * The outbox on disk: one folder per message plus the index (outbox-index.ts).
 *
 * A message folder `outbox/<id>/` holds the sealed message (`message.bin`, encrypted with the
 * data key) and the sealed copies of its attachments. It is staged in `.incoming-<id>`, every
 * file fsynced, then renamed into place: after a crash it exists whole or not at all. Removal
 * renames it to `.trash-<id>` first for the same reason; leftovers of both are swept on load.
 * Folder renames share their folder fsync with whatever else is renamed meanwhile.
 *
 * The sending state of every message lives in the index, where a change appends one record.
 * Loading reads the index and the folder names, not the folders: a body is read (and
 * decrypted) when its message is about to be sent or handed back. Only where the two disagree
 * after a crash, or the index is damaged or missing, are folders read back from their files.
 * Folders of the format before the index (with a `state.json` each) are read once that way.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { openRegularFile } from '../mail/attachments';
import { keptAs, type Quarantine } from '../diagnostics/quarantine';
import type { DataKey } from '../vault/data-key';
import { createFolderSync } from './folder-sync';
import { indexedOf, openOutboxIndex, type IndexedEntry } from './outbox-index';
import type { StoredMessage, StoredState } from './stored-message';
import { legacySealedStateSchema, legacyStateSchema, storedMessageSchema } from './stored-schemas';

export type { RelayedFacts, StoredMessage, StoredState, StoredStateName } from './stored-message';

export type LoadedEntry = IndexedEntry;

/** A sortable, unguessable id: creation time then randomness. */
export function newOutboxId(now: number): string {
  return `${now.toString(36).padStart(9, '0')}-${randomBytes(6).toString('hex')}`;
}

/** The state of a message never tried yet, due at `dueAt`. */
export function waitingState(dueAt: number): StoredState {
  return { v: 1, state: 'waiting', attempts: 0, retries: 0, nextAttemptAt: dueAt, lastError: null };
}

/** Folder names that are messages (not staging, trash, damaged copies or other files). */
const MESSAGE_FOLDER = /^[0-9a-z]{9,12}-[0-9a-f]{12}$/;

/** Folders read back at once when the index cannot say what they are. */
const PARALLEL_READS = 16;

/**
 * `state.json` of the format before the index: plain scheduling facts, with the recipient
 * progress and the error naming them sealed. Read only, when such a folder is first loaded.
 */
function parseLegacyState(text: string, key: DataKey): StoredState {
  const parsed = legacyStateSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error('Not an outbox state');
  const { sealed, lastError = null, ...plain } = parsed.data;
  if (sealed === undefined) return { ...plain, lastError };
  const opened = legacySealedStateSchema.safeParse(
    JSON.parse(key.open(Buffer.from(sealed, 'base64')).toString('utf8')),
  );
  if (!opened.success) throw new Error('Not a recipient progress');
  return { ...plain, recipients: opened.data.recipients, lastError: opened.data.lastError ?? null };
}

export type OutboxStore = ReturnType<typeof createOutboxStore>;

/** Creates the store under `<dataDir>/outbox` and `<dataDir>/outbox-index.bin`; `key` seals both. */
export function createOutboxStore(dataDir: string, key: DataKey, quarantine?: Quarantine) {
  const root = path.join(dataDir, 'outbox');
  const folder = (id: string) => path.join(root, id);
  const rootSync = createFolderSync(root);
  let rootMade = false;
  // What the index holds now, for its compaction: the same objects the worker keeps.
  const live = new Map<string, IndexedEntry>();
  const index = openOutboxIndex(path.join(dataDir, 'outbox-index.bin'), key, () => [...live.values()]);

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
      await sealInto(counted, target, place);
      return plainBytes;
    } finally {
      await handle.close();
    }
  }

  /** Streams `source` into a new file at `target`, sealed for `place`, and fsyncs it. */
  async function sealInto(source: Readable, target: string, place: string): Promise<void> {
    await pipeline(source, key.sealStream(place), createWriteStream(target, { flags: 'wx', mode: 0o600 }));
    const written = await open(target, 'r+');
    try {
      await written.sync();
    } finally {
      await written.close();
    }
  }

  /** A new file in a staging folder: written and fsynced (the folder rename publishes it). */
  async function writeDurably(file: string, data: Uint8Array): Promise<void> {
    const handle = await open(file, 'wx', 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  /**
   * A new message, all or nothing: `fill` writes its files into `.incoming-<id>` and answers the
   * record, which is sealed beside them; the folder is then renamed into place and the index
   * told. Whatever fails, the stage is removed and nothing is left behind.
   */
  async function addStaged(
    id: string,
    state: StoredState,
    fill: (stage: string) => Promise<StoredMessage>,
  ): Promise<StoredMessage> {
    if (!rootMade) await mkdir(root, { recursive: true, mode: 0o700 });
    rootMade = true;
    const stage = path.join(root, `.incoming-${id}`);
    await mkdir(stage, { mode: 0o700 });
    let record: StoredMessage;
    try {
      record = await fill(stage);
      await writeDurably(path.join(stage, 'message.bin'), key.seal(JSON.stringify(record)));
      await rename(stage, folder(id));
    } catch (error) {
      await rm(stage, { recursive: true, force: true }).catch(() => {});
      throw error;
    }
    const entry = { id, message: indexedOf(record), state };
    live.set(id, entry);
    // Both may land in either order: a record without its folder is dropped on load.
    await Promise.all([rootSync(), index.add(entry, live.size)]);
    return record;
  }

  async function readMessage(id: string): Promise<StoredMessage> {
    const parsed = storedMessageSchema.safeParse(
      JSON.parse(key.open(await readFile(path.join(folder(id), 'message.bin'))).toString('utf8')),
    );
    if (!parsed.success) throw new Error('Not an outbox message');
    return parsed.data;
  }

  function reportUnreadable(moved: string[]): void {
    if (moved.length === 0) return;
    quarantine?.report({
      level: 'warning',
      message: `${moved.length === 1 ? 'A message' : `${moved.length} messages`} waiting in the outbox could not be read and will not be sent. Write ${moved.length === 1 ? 'it' : 'them'} again if needed.`,
      hint: `Kept as ${moved.map((m) => path.basename(m)).join(', ')} in the outbox folder of the Quicksend data folder.`,
    });
  }

  /**
   * A folder the index does not know whole: its message from `message.bin`, its state from the
   * index (when only the message record was lost), a `state.json` of the format before, or
   * waiting from the start (`state` says which).
   */
  async function readBack(
    id: string,
    known: StoredState | undefined,
  ): Promise<{ entry: IndexedEntry; state: 'index' | 'legacy' | 'legacy-damaged' | 'lost' } | { unreadable: unknown }> {
    let message: StoredMessage;
    try {
      message = await readMessage(id);
    } catch (error) {
      return { unreadable: error };
    }
    const entry = (state: StoredState): IndexedEntry => ({ id, message: indexedOf(message), state });
    const fresh = waitingState(message.createdAt);
    if (known) return { entry: entry(known), state: 'index' };
    const stateFile = path.join(folder(id), 'state.json');
    const text = await readFile(stateFile, 'utf8').catch((error: NodeJS.ErrnoException) =>
      error.code === 'ENOENT' ? null : '',
    );
    if (text === null) return { entry: entry(fresh), state: 'lost' };
    try {
      return { entry: entry(parseLegacyState(text, key)), state: 'legacy' };
    } catch {
      await quarantine?.moveAside(stateFile, 'outbox state cannot be read').catch(() => {}); // may be unreadable, not missing
      return { entry: entry(fresh), state: 'legacy-damaged' };
    }
  }

  return {
    root,

    /**
     * Every stored message, oldest first, from the index and the folder names. Folders the
     * index does not know whole are read back from their own files; unreadable ones are
     * reported through `onBroken` and, with a quarantine, moved aside (kept) with a notice.
     */
    async load(onBroken: (id: string, error: unknown) => void): Promise<LoadedEntry[]> {
      const [indexed, names] = await Promise.all([
        index.read().catch(() => ({
          found: true,
          damaged: true,
          entries: new Map() as Awaited<ReturnType<typeof index.read>>['entries'],
        })),
        readdir(root).catch((error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') return [] as string[];
          throw error;
        }),
      ]);
      await Promise.all(
        names
          .filter((n) => n.startsWith('.incoming-') || n.startsWith('.trash-'))
          .map((n) => rm(path.join(root, n), { recursive: true, force: true })),
      );
      const folders = new Set(names.filter((n) => MESSAGE_FOLDER.test(n)));

      const loaded: IndexedEntry[] = [];
      let repaired = indexed.damaged;
      for (const [id, known] of indexed.entries) {
        if (!folders.has(id))
          repaired = true; // removed, and the crash came before its record
        else if (known.message && known.state) loaded.push({ id, message: known.message, state: known.state });
      }
      const unknown = [...folders].filter((id) => !indexed.entries.get(id)?.message || !indexed.entries.get(id)?.state);
      const setAside: string[] = [];
      const legacy: string[] = [];
      let stateLost = 0;
      let legacyDamaged = 0;
      for (let i = 0; i < unknown.length; i += PARALLEL_READS) {
        const results = await Promise.all(
          unknown
            .slice(i, i + PARALLEL_READS)
            .map(async (id) => ({ id, result: await readBack(id, indexed.entries.get(id)?.state) })),
        );
        for (const { id, result } of results) {
          repaired = true;
          if ('unreadable' in result) {
            onBroken(id, result.unreadable);
            // Could not move it (read-only folder): it stays where it is, skipped as before.
            const moved = await quarantine
              ?.moveAside(folder(id), 'outbox message cannot be read')
              .catch(() => undefined);
            if (moved) setAside.push(moved);
            continue;
          }
          loaded.push(result.entry);
          if (result.state === 'lost') stateLost++;
          if (result.state === 'legacy') legacy.push(id);
          if (result.state === 'legacy-damaged') {
            onBroken(id, new Error('outbox state cannot be read'));
            legacyDamaged++;
          }
        }
      }
      loaded.sort((a, b) => a.message.createdAt - b.message.createdAt || a.id.localeCompare(b.id));
      for (const entry of loaded) live.set(entry.id, entry);

      reportUnreadable(setAside);
      let movedIndex: string | undefined;
      if (indexed.damaged && indexed.found)
        movedIndex = await quarantine
          ?.moveAside(index.file, 'outbox index cannot be read whole')
          .catch(() => undefined);
      // States lost with a damaged index, or damaged state files of the format before: sent again.
      const again = legacyDamaged + (indexed.damaged ? stateLost : 0);
      if (again > 0 || movedIndex) {
        quarantine?.report({
          level: 'warning',
          message:
            again > 0
              ? `The sending state of ${again === 1 ? 'a message' : `${again} messages`} in the outbox was damaged; ${again === 1 ? 'it is' : 'they are'} sent again, so a recipient may get ${again === 1 ? 'it' : 'them'} twice.`
              : 'The list of messages in the outbox was damaged and has been rebuilt from the messages themselves.',
          ...(movedIndex ? { hint: keptAs(movedIndex) } : {}),
        });
      }
      if (repaired || (!indexed.found && loaded.length > 0)) {
        await index.rewrite();
        // The index has their state now; old state files would only mislead a later repair.
        await Promise.all(legacy.map((id) => rm(path.join(folder(id), 'state.json'), { force: true }).catch(() => {})));
      }
      return loaded;
    },

    /**
     * Writes a new message with copies of `attachmentPaths` and its first state, durably.
     * Returns the sealed record as stored (attachment sizes as copied).
     */
    create(
      id: string,
      message: Omit<StoredMessage, 'attachments'>,
      attachmentPaths: string[],
      state: StoredState,
    ): Promise<StoredMessage> {
      return addStaged(id, state, async (stage) => {
        const attachments: StoredMessage['attachments'] = [];
        for (const [i, source] of attachmentPaths.entries()) {
          const file = `att-${i}`;
          const sizeBytes = await copyAttachment(
            source,
            path.join(stage, file),
            `attachments[${i}]`,
            placeOf(id, file),
          );
          attachments.push({ name: path.basename(source), originalPath: source, file, sizeBytes, sealed: true });
        }
        return { ...message, attachments };
      });
    },

    /**
     * Like `create`, for a message whose content arrives as a stream (relayed-messages.ts):
     * `fill` writes its files into the stage through `seal` (encrypted with the data key, bound
     * to their place, fsynced) and answers the record. Whatever fails, nothing is left behind.
     */
    createStreamed(
      id: string,
      state: StoredState,
      fill: (seal: (file: string, source: Readable) => Promise<void>) => Promise<StoredMessage>,
    ): Promise<StoredMessage> {
      return addStaged(id, state, (stage) =>
        fill((file, source) => sealInto(source, path.join(stage, file), placeOf(id, file))),
      );
    },

    /** Records a new state; resolves once it is on disk. */
    saveState(id: string, state: StoredState): Promise<void> {
      const entry = live.get(id);
      if (entry) live.set(id, { ...entry, state });
      return index.setState(id, state, live.size);
    },

    /** The whole message (body included), decrypted; throws when it cannot be read. */
    readMessage,

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

    /**
     * Deletes a message and its copies: gone from disk (a crash half-way leaves only a
     * `.trash-` folder) when this resolves; its index record follows.
     */
    async remove(id: string): Promise<void> {
      live.delete(id);
      const trash = path.join(root, `.trash-${id}`);
      const moved = await rename(folder(id), trash).then(
        () => true,
        (error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') return false; // already set aside
          throw error;
        },
      );
      if (moved) await rootSync();
      // Not waited for: a record lost in a crash is a record without its folder, dropped on load.
      void index.remove(id, live.size).catch(() => {});
      if (moved) await rm(trash, { recursive: true, force: true });
    },

    /** A message whose files cannot be read: its folder kept aside, the person told, the entry gone. */
    async setAside(id: string): Promise<void> {
      live.delete(id);
      const moved = await quarantine?.moveAside(folder(id), 'outbox message cannot be read').catch(() => undefined);
      if (moved) reportUnreadable([moved]);
      await index.remove(id, live.size).catch(() => {});
    },

    /** Waits for every index write so far; call after the worker stopped. */
    close: () => index.close(),
  };
}
