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

/**
 * `validate` (default on; the core turns it off outside development): every payload is checked
 * against its schema before it leaves. A payload that breaks its schema is a bug, refused here
 * rather than in a window; in production the types already vouch for it and the check would
 * cost a schema walk per event.
 */
export function createEventBus(options: { validate?: boolean } = {}): EventBus {
  const validate = options.validate ?? true;
  const listeners = new Set<AnyListener>();
  return {
    emit(event, payload) {
      const checked = validate ? events[event].parse(payload) : payload;
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
