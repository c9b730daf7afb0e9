/**
 * Builds the `window.quicksend` object: one named method per contract channel, grouped by
 * domain (`quicksend.accounts.list()` calls `accounts:list`), plus `on(event, listener)`.
 * Pure, so it is tested without Electron; the preload and the web host give it transports.
 */
import {
  channelNames,
  isEventName,
  type Channel,
  type EventName,
  type QuicksendApi,
  type Result,
} from './contract';

export type { QuicksendApi };

export type Invoke = (channel: Channel, request: unknown) => Promise<Result<unknown>>;
/** Subscribes to an event; the listener gets the payload only; returns an unsubscribe. */
export type Subscribe = (event: EventName, listener: (payload: unknown) => void) => () => void;

export function createBridge(invoke: Invoke, subscribe: Subscribe): QuicksendApi {
  const api: Record<string, unknown> = {};
  for (const channel of channelNames) {
    const [domain, action] = channel.split(':') as [string, string];
    const group = (api[domain] ??= {}) as Record<string, unknown>;
    group[action] = (request?: unknown) => invoke(channel, request ?? {});
  }
  api.on = (event: unknown, listener: unknown) => {
    if (!isEventName(event)) throw new TypeError(`Unknown Quicksend event: ${String(event)}`);
    if (typeof listener !== 'function') throw new TypeError('A listener must be a function');
    return subscribe(event, (payload) => (listener as (p: unknown) => void)(payload));
  };
  return api as QuicksendApi;
}
