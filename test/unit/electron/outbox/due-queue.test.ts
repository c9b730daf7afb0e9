import fc from 'fast-check';
import { expect, test } from 'vitest';
import { createDueQueue, type DueNode } from '../../../../electron/outbox/due-queue';

test('soonest first, equal times in outbox order, stale nodes skipped', () => {
  const current = new Map<string, number>();
  const queue = createDueQueue((n) => current.get(n.id) === n.seq);
  const push = (id: string, at: number, order: number, seq = 1) => {
    current.set(id, seq);
    queue.push({ id, at, seq, order });
  };
  push('late', 30, 0);
  push('b', 10, 2);
  push('a', 10, 1);
  push('moved', 5, 3);
  push('moved', 40, 3, 2); // rescheduled: the node at 5 no longer counts
  expect(queue.peek()?.id).toBe('a');
  expect([queue.pop(), queue.pop(), queue.pop(), queue.pop(), queue.pop()].map((n) => n?.id)).toEqual([
    'a',
    'b',
    'late',
    'moved',
    undefined,
  ]);
});

test('pops in the order a sort would give (any pushes)', () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ at: fc.integer({ min: 0, max: 50 }), order: fc.nat(1000) }), { maxLength: 200 }),
      (specs) => {
        const queue = createDueQueue(() => true);
        const nodes: DueNode[] = specs.map((s, i) => ({ id: `m${i}`, at: s.at, seq: 0, order: s.order * 1000 + i }));
        for (const node of nodes) queue.push(node);
        const popped: DueNode[] = [];
        for (let n = queue.pop(); n; n = queue.pop()) popped.push(n);
        expect(popped).toEqual([...nodes].sort((a, b) => a.at - b.at || a.order - b.order));
      },
    ),
  );
});
