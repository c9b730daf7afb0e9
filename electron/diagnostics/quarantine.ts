/**
 * Damaged files: a store that finds a file it cannot read moves it aside as
 * `<name>.damaged-<timestamp>` (never overwriting anything, never deleting it), keeps what it
 * could read, and tells the person through a notice (`app:notice`, kept for `app:notices` so a
 * window opened later still sees it). Notices and log lines name files, never their contents.
 */
import { lstat, rename } from 'node:fs/promises';
import path from 'node:path';
import { noticeSchema, type Notice } from '../ipc/contract';
import type { EventBus } from '../ipc/event-bus';
import type { Logger } from '../shared/logger';

export type { Notice };

/** How many notices a window opened later can still see. */
const KEEP_NOTICES = 50;

async function exists(file: string): Promise<boolean> {
  return lstat(file).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );
}

/**
 * Renames `file` (or folder) to `<name>.damaged-<timestamp>` beside it and returns the new path.
 * The timestamp is ISO 8601 with `-` for `:` (valid on every file system); an existing name
 * gets a `-2`, `-3`... suffix, so nothing is ever overwritten.
 */
export async function moveAside(file: string, reason: string, clock: { now(): number }): Promise<string> {
  void reason; // For the caller's log line; the name says only "damaged".
  const stamp = new Date(clock.now()).toISOString().replace(/:/g, '-');
  const base = `${file}.damaged-${stamp}`;
  let target = base;
  for (let n = 2; await exists(target); n++) target = `${base}-${n}`;
  await rename(file, target);
  return target;
}

export type Quarantine = {
  /** Moves a damaged file aside (logged, no notice yet) and returns its new path. */
  moveAside(file: string, reason: string): Promise<string>;
  /** Tells the person: logged, kept for `app:notices`, and emitted as `app:notice`. */
  report(notice: Notice): void;
  notices(): Notice[];
};

export function createQuarantine(deps: { clock: { now(): number }; events?: EventBus; logger?: Logger }): Quarantine {
  const kept: Notice[] = [];
  return {
    async moveAside(file, reason) {
      const moved = await moveAside(file, reason, deps.clock);
      deps.logger?.warn('moved a damaged file aside', {
        file: path.basename(file),
        keptAs: path.basename(moved),
        reason,
      });
      return moved;
    },
    report(input) {
      const notice = noticeSchema.parse(input);
      deps.logger?.[notice.level === 'error' ? 'error' : 'warn']('notice', { message: notice.message });
      kept.push(notice);
      if (kept.length > KEEP_NOTICES) kept.shift();
      deps.events?.emit('app:notice', notice);
    },
    notices: () => [...kept],
  };
}

/** "It was kept as settings.json.damaged-...": where the person (or support) can find it. */
export const keptAs = (moved: string) =>
  `The damaged file was kept as ${path.basename(moved)} in the Quicksend data folder.`;
