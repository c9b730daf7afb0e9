/**
 * `outbox:changed` as changes, not snapshots: the outbox marks the ids it touched, and once per
 * tick (everything touched in one turn of the event loop together) the feed sends what became
 * of them: added, updated (the whole item, as `outbox:list` shows it) or removed. Each event
 * carries the next revision; `outbox:list` answers with the revision it shows, so a window
 * applies events in order and asks for the list again when it sees a gap. An id added and
 * removed within one tick never shows up at all.
 */
import type { EventPayloadOf, OutboxItem } from '../ipc/contract';

export type OutboxChanged = EventPayloadOf<'outbox:changed'>;

export type ChangeFeedDeps = {
  /** The item as listed now, null once the message is gone, undefined for "not yet" (it is touched again later). */
  item(id: string): OutboxItem | null | undefined;
  paused(): boolean;
  emit(payload: OutboxChanged): void;
  /** Runs `flush` after the current tick (setImmediate; tests may pass their own). */
  defer?(flush: () => void): void;
};

export type ChangeFeed = {
  /** The message `id` changed (or appeared, or is gone). */
  touch(id: string): void;
  /** Pause or resume: the flag travels with every event, this makes sure one goes out. */
  touchPaused(): void;
  /** Sends what is pending now (before answering `outbox:list`, so the list is never behind). */
  flush(): void;
  /**
   * Resolves once what is pending has gone out: a channel answers after the events its change
   * caused, so a window never hears "done" before it hears what changed.
   */
  settled(): Promise<void>;
  /** The revision of what listeners have been told so far. */
  revision(): number;
  /** At start-up: listeners know these ids from `outbox:list`, and nothing touched so far is news. */
  reset(ids: Iterable<string>): void;
};

export function createChangeFeed(deps: ChangeFeedDeps): ChangeFeed {
  const defer = deps.defer ?? ((fn: () => void) => void setImmediate(fn));
  const dirty = new Set<string>();
  /** Ids the listeners have as items: a removal is news only for these. */
  let published = new Set<string>();
  let revision = 0;
  let pausedTouched = false;
  let scheduled = false;
  let waiting: Array<() => void> = [];

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    defer(flush);
  }

  function flush(): void {
    scheduled = false;
    send();
    const done = waiting;
    waiting = [];
    for (const resolve of done) resolve();
  }

  function send(): void {
    if (dirty.size === 0 && !pausedTouched) return;
    const changes: OutboxChanged['changes'] = [];
    const later: string[] = [];
    for (const id of dirty) {
      const item = deps.item(id);
      if (item === undefined) later.push(id);
      else if (item) {
        changes.push({ type: published.has(id) ? 'updated' : 'added', item });
        published.add(id);
      } else if (published.delete(id)) changes.push({ type: 'removed', id });
    }
    dirty.clear();
    for (const id of later) dirty.add(id); // not scheduled: whoever said "not yet" touches it again
    if (changes.length === 0 && !pausedTouched) return;
    pausedTouched = false;
    revision += 1;
    deps.emit({ revision, paused: deps.paused(), changes });
  }

  return {
    touch(id) {
      dirty.add(id);
      schedule();
    },
    touchPaused() {
      pausedTouched = true;
      schedule();
    },
    flush,
    settled: () => (scheduled ? new Promise<void>((resolve) => waiting.push(resolve)) : Promise.resolve()),
    revision: () => revision,
    reset(ids) {
      published = new Set(ids);
      dirty.clear();
    },
  };
}
