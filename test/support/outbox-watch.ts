// The outbox as a window sees it, for tests: `outbox:list` first, then the changes every
// `outbox:changed` carries (through the main-process mirror, gaps listed again). Waits resolve
// on the first state that passes the test, checked now and after every event, never by polling.
// (Main answers a channel only after the events its change caused, so right after `mail:send`
// the new message is already here, and "it is gone" cannot pass too early.)
import type { OutboxItem, OutboxList } from '../../electron/ipc/contract';
import { createOutboxMirror } from '../../electron/outbox/outbox-mirror';
import type { EventBus } from '../../electron/ipc/event-bus';

export type OutboxView = { items: OutboxItem[]; paused: boolean };

export type OutboxWatch = {
  /** The outbox now, or null before the first list arrived. */
  current(): OutboxView | null;
  /** Resolves with the first state (now or later) that satisfies `test`. */
  waitFor(test: (view: OutboxView) => boolean, timeoutMs?: number): Promise<OutboxView>;
  /** Every item version the events carried (added or updated), in order. */
  seen: OutboxItem[];
  /** Resolves once the first list arrived. */
  ready: Promise<void>;
  stop(): void;
};

export function watchOutbox(events: Pick<EventBus, 'on'>, list: () => Promise<OutboxList>): OutboxWatch {
  const waiters = new Set<() => void>();
  const seen: OutboxItem[] = [];
  const mirror = createOutboxMirror({
    list,
    onUpdate: ({ after, first }) => {
      if (!first) seen.push(...after);
      for (const wake of [...waiters]) wake();
    },
  });
  const off = events.on('outbox:changed', (event) => mirror.apply(event));
  const current = (): OutboxView | null =>
    mirror.revision() < 0 ? null : { items: [...mirror.items()], paused: mirror.paused() };
  return {
    current,
    seen,
    ready: mirror.resync(),
    waitFor(test, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const view = current();
          if (!view || !test(view)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(view);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `outbox never reached the expected state; last: ${JSON.stringify(current()?.items.map((i) => [i.subject, i.state, i.attempts, i.lastError?.code]))}`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    stop: off,
  };
}
