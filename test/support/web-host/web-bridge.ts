/**
 * Runs in the browser page served by the web host: builds `window.quicksend` with the same
 * `createBridge` the preload uses, carried over HTTP (requests) and SSE (events).
 */
import { createBridge } from '../../../electron/ipc/bridge';
import type { EventName, FileInfo, QuicksendApi, Result } from '../../../electron/ipc/contract';

declare global {
  interface Window {
    quicksend?: QuicksendApi;
  }
}

const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
let source: EventSource | null = null;

function ensureEventStream(): void {
  if (source) return;
  source = new EventSource('./events');
  source.onmessage = (message) => {
    const { event, payload } = JSON.parse(message.data as string) as { event: EventName; payload: unknown };
    for (const listener of listeners.get(event) ?? []) listener(payload);
  };
}

window.quicksend = createBridge(
  async (channel, request) => {
    const response = await fetch(`./ipc/${encodeURIComponent(channel)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(request ?? {}),
    });
    return (await response.json()) as Result<unknown>;
  },
  (event, listener) => {
    ensureEventStream();
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  },
  // Test-only stand-in for the preload's drop: a browser File has no path, so its bytes go to
  // the web host, which keeps them as a real file, registers it with main and answers with its
  // file id. The page never sees or names a path, exactly as in Electron.
  async (files) => {
    const given: FileInfo[] = [];
    for (const file of files) {
      if (!(file instanceof File)) continue;
      const response = await fetch(`./drop?name=${encodeURIComponent(file.name)}`, { method: 'POST', body: file });
      if (!response.ok)
        return { ok: false, error: { code: 'files.drop_unavailable', message: `“${file.name}” could not be read.` } };
      const result = (await response.json()) as Result<FileInfo[]>;
      if (!result.ok) return result;
      given.push(...result.value);
    }
    return { ok: true, value: given };
  },
);
