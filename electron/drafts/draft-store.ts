/**
 * The one quick-send draft, so what the person typed survives
 * closing the window and restarting the app. It holds message text, so it is sealed at rest
 * with the same wrapped data key as outbox bodies, and written atomically (0600).
 *
 * At rest the attachments are paths: main wrote them, from file ids it had handed out. Across
 * IPC they are file ids only: `saveFor` takes ids main knows (an unknown id is refused and
 * nothing is saved), and `openFor` hands out fresh ids for the saved paths. The ids in a
 * window's saved draft stay alive as long as that draft (its holder) holds them.
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { FileRegistry } from '../files/file-registry';
import { draftSchema, MESSAGE_LIMITS, type Draft } from '../ipc/contract';
import type { Logger } from '../shared/logger';
import { writeFileAtomic } from '../shared/atomic-file';
import type { Clock, SecretCipher } from '../shared/ports';
import { keptAs, type Quarantine } from '../diagnostics/quarantine';
import { loadDataKey, type DataKey } from '../vault/data-key';

export const DRAFT_FILE = 'draft.bin';

const draftAtRestSchema = draftSchema.extend({
  attachments: z
    .array(
      z.object({ path: z.string().min(1).max(4096), name: z.string().max(255), sizeBytes: z.number().min(0) }).strict(),
    )
    .max(MESSAGE_LIMITS.maxAttachments),
});

/** A draft as main keeps it: attachments by path (main's own record), never sent to a window. */
export type DraftAtRest = z.output<typeof draftAtRestSchema>;

/** The draft for a window: each path gets a file id (the same one while it lives). */
export function draftForRenderer(draft: DraftAtRest, files: FileRegistry): Draft {
  return {
    ...draft,
    attachments: draft.attachments.map(({ path: file, name, sizeBytes }) => ({
      fileId: files.register(file),
      name,
      sizeBytes,
    })),
  };
}

/** The draft as main keeps it; throws `files.unknown_file` for an id main does not know. */
export function draftFromRenderer(draft: Draft, files: FileRegistry): DraftAtRest {
  const paths = files.resolveAll(
    draft.attachments.map((a) => a.fileId),
    'attachments',
  );
  return {
    ...draft,
    attachments: draft.attachments.map(({ name, sizeBytes }, index) => ({ path: paths[index]!, name, sizeBytes })),
  };
}

export type DraftStore = {
  /**
   * The draft for a window, its files as ids that `holder` (one per window: each window has its
   * own composer) keeps alive.
   */
  openFor(holder: string): Promise<Draft | null>;
  /** Saves (or, with null, clears) a window's draft; refuses an unknown file id and saves nothing. */
  saveFor(holder: string, draft: Draft | null): Promise<string | null>;
  get(): Promise<DraftAtRest | null>;
  /** `null` clears the draft (after a send). Returns when it was saved, or null when cleared. */
  save(draft: DraftAtRest | null): Promise<string | null>;
};

export function createDraftStore(options: {
  dataDir: string;
  cipher: SecretCipher;
  clock: { now(): number } | Clock;
  files: FileRegistry;
  logger?: Logger;
  quarantine?: Quarantine;
}): DraftStore {
  const { dataDir, cipher, clock, files, logger, quarantine } = options;
  const file = path.join(dataDir, DRAFT_FILE);
  let key: Promise<DataKey> | undefined;
  // One load per store: a failed load (key store locked) is retried next time, not cached.
  const dataKey = () =>
    (key ??= loadDataKey(dataDir, cipher, quarantine).catch((error: unknown) => {
      key = undefined;
      throw error;
    }));
  // Saves arrive as the person types; run them in order so an older draft never wins.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => {});
    return run;
  };

  /** Moves the unreadable draft aside (unless a save replaced it meanwhile) and says so. */
  const setAside = (sealed: Buffer) =>
    serial(async () => {
      const current = await readFile(file).catch(() => null);
      if (!quarantine || !current?.equals(sealed)) return;
      const moved = await quarantine.moveAside(file, 'draft cannot be read');
      quarantine.report({
        level: 'warning',
        message: 'Your saved draft was damaged and could not be restored.',
        hint: keptAs(moved),
      });
    });

  const store: DraftStore = {
    async get() {
      await queue;
      const sealed = await readFile(file).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return null;
        throw error;
      });
      if (!sealed) return null;
      let opened: DataKey;
      try {
        opened = await dataKey();
      } catch (error) {
        // The key store is locked or missing: the draft may open later, so it stays put.
        logger?.warn('could not open the saved draft', { error });
        return null;
      }
      try {
        const parsed = draftAtRestSchema.safeParse(JSON.parse(opened.open(sealed).toString('utf8')));
        if (parsed.success) return parsed.data;
        logger?.warn('ignored a draft that does not match the current format');
      } catch (error) {
        // A draft from another OS account or a lost key cannot be read: start fresh.
        logger?.warn('could not open the saved draft', { error });
      }
      await setAside(sealed).catch((error: unknown) =>
        logger?.error('could not move the damaged draft aside', { error }),
      );
      return null;
    },
    save(draft) {
      return serial(async () => {
        if (draft === null) {
          await rm(file, { force: true });
          return null;
        }
        const sealed = (await dataKey()).seal(JSON.stringify(draftAtRestSchema.parse(draft)));
        await writeFileAtomic(file, sealed);
        return new Date(clock.now()).toISOString();
      });
    },
    openFor: async (holder) => {
      const saved = await store.get();
      if (!saved) return null;
      const draft = draftForRenderer(saved, files);
      files.hold(
        holder,
        draft.attachments.map((a) => a.fileId),
      );
      return draft;
    },
    saveFor: async (holder, draft) => {
      // Resolve first: a draft naming a file main never gave out changes nothing.
      const atRest = draft && draftFromRenderer(draft, files);
      files.hold(holder, draft?.attachments.map((a) => a.fileId) ?? []);
      return store.save(atRest);
    },
  };
  return store;
}
