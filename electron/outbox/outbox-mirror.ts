/**
 * The outbox list kept current from `outbox:changed` in the main process (the shell's tray and
 * notifications, tests): starts from `outbox:list`, applies each event's changes in revision
 * order, and asks for the list again when an event shows a gap. Events that arrive while the
 * list is being fetched wait and are applied after it, those it already includes skipped.
 * The renderer has the same rules in its own code (renderer/src/lib/outbox-changes.ts).
 */
import type { EventPayloadOf, OutboxItem, OutboxList } from '../ipc/contract';

type Changed = EventPayloadOf<'outbox:changed'>;

/**
 * What one update did: the earlier versions of the items it touched (`before`) and their new
 * versions (`after`; removed ones are missing). `first`: the first list, nothing to compare with.
 */
export type MirrorUpdate = { before: OutboxItem[]; after: OutboxItem[]; first: boolean };

export type OutboxMirror = {
  /** Fetches the list (again); events keep it current from then on. */
  resync(): Promise<void>;

  /** Feed every `outbox:changed` here. */
  apply(event: Changed): void;
  /** The items in list order (new ones last); the same array until the next change. */
  items(): readonly OutboxItem[];
  paused(): boolean;
  /** The revision shown, or -1 before the first list. */
  revision(): number;
};

export function createOutboxMirror(deps: {
  list(): Promise<OutboxList>;
  onUpdate?(update: MirrorUpdate): void;
}): OutboxMirror {
  let byId = new Map<string, OutboxItem>();
  let paused = false;
  let revision = -1;
  let listing: Promise<void> | null = null;
  let waiting: Changed[] = [];
  let cached: OutboxItem[] | null = null;

  function resync(): Promise<void> {
    listing ??= (async () => {
      try {
        const list = await deps.list();
        const first = revision === -1;
        const before = [...byId.values()];
        byId = new Map(list.items.map((item) => [item.id, item]));
        paused = list.paused;
        revision = list.revision;
        cached = null;
        deps.onUpdate?.({ before, after: list.items, first });
      } finally {
        listing = null;
      }
      // What came meanwhile follows on from the list (a gap left now is not chased again: the
      // list is newer than anything main had sent when it answered).
      const held = waiting;
      waiting = [];
      for (const event of held) if (event.revision === revision + 1) apply(event);
    })().catch((error: unknown) => {
      waiting = [];
      throw error;
    });
    return listing;
  }

  function apply(event: Changed): void {
    if (listing) {
      waiting.push(event);
      return;
    }
    if (event.revision <= revision) return; // the list already showed it
    if (event.revision !== revision + 1) {
      waiting.push(event);
      void resync().catch(() => {}); // the next event tries again
      return;
    }
    const before: OutboxItem[] = [];
    const after: OutboxItem[] = [];
    for (const change of event.changes) {
      const id = change.type === 'removed' ? change.id : change.item.id;
      const earlier = byId.get(id);
      if (earlier) before.push(earlier);
      if (change.type === 'removed') byId.delete(id);
      else {
        byId.set(id, change.item);
        after.push(change.item);
      }
    }
    revision = event.revision;
    paused = event.paused;
    cached = null;
    deps.onUpdate?.({ before, after, first: false });
  }

  return {
    resync,
    apply,
    items: () => (cached ??= [...byId.values()]),
    paused: () => paused,
    revision: () => revision,
  };
}
