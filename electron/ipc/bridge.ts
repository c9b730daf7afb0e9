/**
 * Builds the `window.quicksend` object: one named method per contract channel, grouped by
 * domain (`quicksend.accounts.list()` calls `accounts:list`), plus `on(event, listener)` and
 * `files.describeDropped(files)`. Pure, so it is tested without Electron; the preload and the
 * web host give it transports.
 */
import type { Channel, EventName, FileInfo, QuicksendApi, Result } from './contract';
import { CHANNEL_NAMES, isEventNameValue } from './names';

export type { QuicksendApi };

export type Invoke = (channel: Channel, request: unknown) => Promise<Result<unknown>>;
/** Subscribes to an event; the listener gets the payload only; returns an unsubscribe. */
export type Subscribe = (event: EventName, listener: (payload: unknown) => void) => () => void;
/** Turns a dropped, disk-backed `File` into its path (Electron's `webUtils.getPathForFile`). */
export type PathForFile = (file: File) => string | Promise<string>;

const noDropSupport: Result<never> = {
  ok: false,
  error: { code: 'files.drop_unavailable', message: 'Dropped files cannot be read here.', hint: 'Use Attach… to choose the files instead.' },
};

export function createBridge(invoke: Invoke, subscribe: Subscribe, pathForFile?: PathForFile): QuicksendApi {
  const api: Record<string, unknown> = {};
  for (const channel of CHANNEL_NAMES) {
    const [domain, action] = channel.split(':') as [string, string];
    const group = (api[domain] ??= {}) as Record<string, unknown>;
    group[action] = (request?: unknown) => invoke(channel, request ?? {});
  }
  // The renderer never sees a path it did not get from a real drop: a script cannot forge a
  // disk-backed File, and an empty path (a File built in script) is dropped here. Main
  // re-checks every path in files:describe.
  (api.files as Record<string, unknown>).describeDropped = async (files: unknown): Promise<Result<FileInfo[]>> => {
    if (!pathForFile) return noDropSupport;
    const paths: string[] = [];
    for (const file of Array.isArray(files) ? files : []) {
      const path = await pathForFile(file as File);
      if (typeof path === 'string' && path.length > 0) paths.push(path);
    }
    if (paths.length === 0) return { ok: true, value: [] };
    return (await invoke('files:describe', { paths })) as Result<FileInfo[]>;
  };
  api.on = (event: unknown, listener: unknown) => {
    if (!isEventNameValue(event)) throw new TypeError(`Unknown Quicksend event: ${String(event)}`);
    if (typeof listener !== 'function') throw new TypeError('A listener must be a function');
    return subscribe(event, (payload) => (listener as (p: unknown) => void)(payload));
  };
  return api as QuicksendApi;
}
