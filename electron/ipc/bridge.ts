/**
 * Builds the `window.quicksend` object: one named method per contract channel, grouped by
 * domain (`quicksend.accounts.list()` calls `accounts:list`), plus `on(event, listener)` and
 * `files.describeDropped(files)`. Pure, so it is tested without Electron; the preload and the
 * web host give it transports. No method takes a path: dropped `File`s go to the host's
 * `DropFiles`, which hands them to main its own way and answers with file ids.
 */
import type { Channel, EventName, FileInfo, QuicksendApi, Result } from './contract';
import { MESSAGE_LIMITS } from '../mail/message-rules';
import { CHANNEL_NAMES, isEventNameValue } from './names';

export type { QuicksendApi };

export type Invoke = (channel: Channel, request: unknown) => Promise<Result<unknown>>;
/** Subscribes to an event; the listener gets the payload only; returns an unsubscribe. */
export type Subscribe = (event: EventName, listener: (payload: unknown) => void) => () => void;
/** Turns a dropped, disk-backed `File` into its path (Electron's `webUtils.getPathForFile`). */
export type PathForFile = (file: File) => string | Promise<string>;
/** Hands dropped `File`s to main outside `window.quicksend`; main answers with file ids. */
export type DropFiles = (files: readonly unknown[]) => Promise<Result<FileInfo[]>>;

/** At most this many files per drop, like every other file list in the contract. */
const MAX_DROPPED = MESSAGE_LIMITS.maxAttachments;

const tooManyDropped: Result<never> = {
  ok: false,
  error: {
    code: 'files.too_many',
    message: `At most ${MAX_DROPPED} files can be dropped at once.`,
    hint: 'Drop fewer files, or put them in one archive.',
  },
};

const noDropSupport: Result<never> = {
  ok: false,
  error: {
    code: 'files.drop_unavailable',
    message: 'Dropped files cannot be read here.',
    hint: 'Use Attach… to choose the files instead.',
  },
};

/**
 * The preload's `DropFiles`: each `File` becomes its path with `pathForFile` here, inside the
 * preload, and the paths go to main through `sendPaths` (the preload's own channel, which no
 * page script can call). A File built in script has no path (an empty string) and anything
 * that is not a File makes `pathForFile` throw: both are skipped.
 */
export function dropThroughPaths(
  pathForFile: PathForFile,
  sendPaths: (paths: string[]) => Promise<Result<FileInfo[]>>,
): DropFiles {
  return async (files) => {
    const paths: string[] = [];
    for (const file of files) {
      try {
        const path = await pathForFile(file as File);
        if (typeof path === 'string' && path.length > 0) paths.push(path);
      } catch {
        // Not a File: nothing to attach.
      }
    }
    if (paths.length === 0) return { ok: true, value: [] };
    return sendPaths(paths);
  };
}

export function createBridge(invoke: Invoke, subscribe: Subscribe, dropFiles?: DropFiles): QuicksendApi {
  const api: Record<string, unknown> = {};
  for (const channel of CHANNEL_NAMES) {
    const [domain, action] = channel.split(':') as [string, string];
    const group = (api[domain] ??= {}) as Record<string, unknown>;
    group[action] = (request?: unknown) => invoke(channel, request ?? {});
  }
  // The renderer never handles a path: dropped Files go to the host, which answers with ids.
  (api.files as Record<string, unknown>).describeDropped = async (files: unknown): Promise<Result<FileInfo[]>> => {
    if (!dropFiles) return noDropSupport;
    const list: unknown[] = Array.isArray(files) ? files : [];
    if (list.length === 0) return { ok: true, value: [] };
    if (list.length > MAX_DROPPED) return tooManyDropped;
    return dropFiles(list);
  };
  api.on = (event: unknown, listener: unknown) => {
    if (!isEventNameValue(event)) throw new TypeError(`Unknown Quicksend event: ${String(event)}`);
    if (typeof listener !== 'function') throw new TypeError('A listener must be a function');
    return subscribe(event, (payload) => (listener as (p: unknown) => void)(payload));
  };
  return api as QuicksendApi;
}
