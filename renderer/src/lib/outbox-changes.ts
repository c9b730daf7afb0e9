import type { EventPayloadOf, OutboxItem, OutboxList } from '../../../electron/ipc/contract';

type Changed = EventPayloadOf<'outbox:changed'>;

/** Oldest first, as `outbox:list` orders them. */
const earlier = (a: OutboxItem, b: OutboxItem) =>
  a.createdAt < b.createdAt || (a.createdAt === b.createdAt && a.id < b.id);

/**
 * The outbox list after one `outbox:changed` event. Events come in revision order: one the
 * list already includes is `stale`; one that skips a revision is a `gap`, and then the window
 * asks `outbox:list` again (the same rules as electron/outbox/outbox-mirror.ts, which the
 * renderer may not import). Items keep their place; added ones go where their creation time puts them.
 */
export function applyOutboxChange(list: OutboxList, event: Changed): OutboxList | 'stale' | 'gap' {
  if (event.revision <= list.revision) return 'stale';
  if (event.revision !== list.revision + 1) return 'gap';
  const changed = new Map<string, OutboxItem | null>();
  for (const change of event.changes)
    changed.set(change.type === 'removed' ? change.id : change.item.id, change.type === 'removed' ? null : change.item);
  const items: OutboxItem[] = [];
  for (const item of list.items) {
    if (!changed.has(item.id)) items.push(item);
    else {
      const next = changed.get(item.id);
      if (next) items.push(next);
      changed.delete(item.id);
    }
  }
  for (const added of changed.values()) {
    if (!added) continue;
    let at = items.length;
    while (at > 0 && earlier(added, items[at - 1]!)) at -= 1;
    items.splice(at, 0, added);
  }
  return { items, paused: event.paused, revision: event.revision };
}
