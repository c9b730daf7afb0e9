/**
 * The one quick-send draft (`drafts:get`/`drafts:save`), so what the person typed survives
 * closing the window and restarting the app. It holds message text, so it is sealed at rest
 * with the same wrapped data key as outbox bodies, and written atomically (0600).
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { draftSchema, type Draft } from '../ipc/contract';
import type { Handlers } from '../ipc/router';
import type { Logger } from '../shared/logger';
import { writeFileAtomic } from '../shared/atomic-file';
import type { Clock, SecretCipher } from '../shared/ports';
import { keptAs, type Quarantine } from '../shared/quarantine';
import { loadDataKey, type DataKey } from '../vault/data-key';

export const DRAFT_FILE = 'draft.bin';

export type DraftStore = {
  handlers: Pick<Handlers, 'drafts:get' | 'drafts:save'>;
  get(): Promise<Draft | null>;
  /** `null` clears the draft (after a send). Returns when it was saved, or null when cleared. */
  save(draft: Draft | null): Promise<string | null>;
};

export function createDraftStore(options: { dataDir: string; cipher: SecretCipher; clock: { now(): number } | Clock; logger?: Logger; quarantine?: Quarantine }): DraftStore {
  const { dataDir, cipher, clock, logger, quarantine } = options;
  const file = path.join(dataDir, DRAFT_FILE);
  let key: Promise<DataKey> | undefined;
  // One load per store: a failed load (key store locked) is retried next time, not cached.
  const dataKey = () => (key ??= loadDataKey(dataDir, cipher, quarantine).catch((error: unknown) => {
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
      quarantine.report({ level: 'warning', message: 'Your saved draft was damaged and could not be restored.', hint: keptAs(moved) });
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
        const parsed = draftSchema.safeParse(JSON.parse(opened.open(sealed).toString('utf8')));
        if (parsed.success) return parsed.data;
        logger?.warn('ignored a draft that does not match the current format');
      } catch (error) {
        // A draft from another OS account or a lost key cannot be read: start fresh.
        logger?.warn('could not open the saved draft', { error });
      }
      await setAside(sealed).catch((error: unknown) => logger?.error('could not move the damaged draft aside', { error }));
      return null;
    },
    save(draft) {
      return serial(async () => {
        if (draft === null) {
          await rm(file, { force: true });
          return null;
        }
        const sealed = (await dataKey()).seal(JSON.stringify(draftSchema.parse(draft)));
        await writeFileAtomic(file, sealed);
        return new Date(clock.now()).toISOString();
      });
    },
    handlers: {
      'drafts:get': async () => store.get(),
      'drafts:save': async ({ draft }) => ({ savedAt: await store.save(draft) }),
    },
  };
  return store;
}
