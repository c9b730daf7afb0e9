/**
 * Typed events from the core to every window (`accounts:changed`, ...). Adapters subscribe
 * with `onAny` and forward to Electron windows or the web host's event stream.
 */
import { events, type EventName, type EventPayloadOf } from './contract';

type AnyListener = (event: EventName, payload: unknown) => void;

export type EventBus = {
  emit<E extends EventName>(event: E, payload: EventPayloadOf<E>): void;
  on<E extends EventName>(event: E, listener: (payload: EventPayloadOf<E>) => void): () => void;
  onAny(listener: AnyListener): () => void;
};

export function createEventBus(): EventBus {
  const listeners = new Set<AnyListener>();
  return {
    emit(event, payload) {
      // A payload that breaks its schema is a bug; refuse it here rather than in a window.
      const checked = events[event].parse(payload);
      for (const listener of [...listeners]) listener(event, checked);
    },
    on(event, listener) {
      const wrapped: AnyListener = (name, payload) => {
        if (name === event) listener(payload as EventPayloadOf<typeof event>);
      };
      listeners.add(wrapped);
      return () => listeners.delete(wrapped);
    },
    onAny(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
