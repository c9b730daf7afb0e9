/**
 * Runs in the browser page served by the web host: builds `window.quicksend` with the same
 * `createBridge` the preload uses, carried over HTTP (requests) and SSE (events).
 */
import { createBridge } from '../../../electron/ipc/bridge';
import type { EventName, QuicksendApi, Result } from '../../../electron/ipc/contract';

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
  // Test-only stand-in for webUtils.getPathForFile: a browser File has no path, so the web
  // host stores the dropped bytes in its own upload folder and answers with that path. The
  // core then checks that path exactly as it checks a real one.
  async (file) => {
    const response = await fetch(`./upload?name=${encodeURIComponent(file.name)}`, { method: 'POST', body: file });
    if (!response.ok) return '';
    return ((await response.json()) as { path: string }).path;
  },
);
