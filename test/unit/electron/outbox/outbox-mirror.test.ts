import { expect, test } from 'vitest';
import type { EventPayloadOf, OutboxList } from '../../../../electron/ipc/contract';
import { createOutboxMirror, type MirrorUpdate } from '../../../../electron/outbox/outbox-mirror';
import { outboxItem } from '../../../fakes/fake-api';

type Changed = EventPayloadOf<'outbox:changed'>;
const a = outboxItem({ id: 'a', subject: 'A' });
const b = outboxItem({ id: 'b', subject: 'B' });
const c = outboxItem({ id: 'c', subject: 'C' });

function world(lists: OutboxList[]) {
  let asked = 0;
  const gate: Array<() => void> = [];
  let held = false;
  const updates: MirrorUpdate[] = [];
  const mirror = createOutboxMirror({
    list: async () => {
      const answer = lists[Math.min(asked, lists.length - 1)]!;
      asked += 1;
      if (held) await new Promise<void>((resolve) => gate.push(resolve));
      return answer;
    },
    onUpdate: (u) => void updates.push(u),
  });
  return {
    mirror,
    updates,
    asked: () => asked,
    hold: () => void (held = true),
    open: () => ((held = false), gate.splice(0).forEach((g) => g())),
  };
}

test('applies events in revision order and says what each touched', async () => {
  const w = world([{ items: [a, b], paused: false, revision: 4 }]);
  await w.mirror.resync();
  const e5: Changed = {
    revision: 5,
    paused: false,
    changes: [
      { type: 'removed', id: 'a' },
      { type: 'updated', item: { ...b, state: 'sending' } },
      { type: 'added', item: c },
    ],
  };
  w.mirror.apply(e5);
  expect(w.mirror.items().map((i) => [i.id, i.state])).toEqual([
    ['b', 'sending'],
    ['c', 'waiting'],
  ]);
  expect(w.updates.at(-1)).toEqual({ before: [a, b], after: [{ ...b, state: 'sending' }, c], first: false });
  w.mirror.apply(e5); // already applied: skipped
  expect(w.updates).toHaveLength(2);
  expect(w.asked()).toBe(1);
});

test('a gap in revisions asks outbox:list again; events that come meanwhile wait and are applied after it', async () => {
  const w = world([
    { items: [a], paused: false, revision: 1 },
    { items: [a, b], paused: false, revision: 3 },
  ]);
  await w.mirror.resync();
  w.hold();
  w.mirror.apply({ revision: 3, paused: false, changes: [{ type: 'added', item: b }] }); // 2 was missed
  w.mirror.apply({ revision: 4, paused: true, changes: [{ type: 'added', item: c }] });
  expect(w.asked()).toBe(2);
  w.open();
  await w.mirror.resync();
  expect(w.mirror.items().map((i) => i.id)).toEqual(['a', 'b', 'c']);
  expect(w.mirror.revision()).toBe(4);
  expect(w.mirror.paused()).toBe(true);
});

test('the first list is marked first (nothing to compare with)', async () => {
  const w = world([{ items: [a], paused: false, revision: 0 }]);
  await w.mirror.resync();
  expect(w.updates).toEqual([{ before: [], after: [a], first: true }]);
});
