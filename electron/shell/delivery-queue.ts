/**
 * Holds messages for one window until its page listens. `webContents.send` to a page whose
 * React effects have not subscribed yet is simply lost, so main waits for the page's first
 * IPC request (by then its listeners are registered, see platform/windows.ts) and then
 * delivers in order. A reload starts waiting again.
 */
export type DeliveryQueue<T> = {
  push(message: T): void;
  /** The page is listening: deliver what waited, and everything after at once. */
  markReady(): void;
  /** The page is (re)loading: hold messages again. */
  reset(): void;
  readonly ready: boolean;
  readonly pending: number;
};

/** Messages held per window; older ones are dropped beyond this (a page that never loads). */
export const MAX_PENDING = 20;

export function createDeliveryQueue<T>(deliver: (message: T) => void): DeliveryQueue<T> {
  let ready = false;
  const pending: T[] = [];
  return {
    push(message) {
      if (ready) deliver(message);
      else {
        pending.push(message);
        if (pending.length > MAX_PENDING) pending.shift();
      }
    },
    markReady() {
      if (ready) return;
      ready = true;
      for (const message of pending.splice(0)) deliver(message);
    },
    reset() {
      ready = false;
    },
    get ready() {
      return ready;
    },
    get pending() {
      return pending.length;
    },
  };
}
