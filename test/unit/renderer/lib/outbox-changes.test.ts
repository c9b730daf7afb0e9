import { expect, test } from 'vitest';
import { applyOutboxChange } from '../../../../renderer/src/lib/outbox-changes';
import { outboxItem } from '../../../fakes/fake-api';

const at = (id: string, minute: number) =>
  outboxItem({ id, subject: id, createdAt: new Date(Date.UTC(2030, 0, 1, 0, minute)).toISOString() });
const list = { items: [at('a', 1), at('b', 2), at('d', 4)], paused: false, revision: 7 };

test('the next revision: removed ones go, updated ones stay in place, added ones go where their time puts them', () => {
  const next = applyOutboxChange(list, {
    revision: 8,
    paused: true,
    changes: [
      { type: 'removed', id: 'a' },
      { type: 'updated', item: { ...at('d', 4), state: 'sending' } },
      { type: 'added', item: at('c', 3) },
      { type: 'added', item: at('e', 5) },
    ],
  });
  expect(next).not.toBe('gap');
  if (typeof next === 'string') return;
  expect(next.items.map((i) => [i.id, i.state])).toEqual([
    ['b', 'waiting'],
    ['c', 'waiting'],
    ['d', 'sending'],
    ['e', 'waiting'],
  ]);
  expect(next).toMatchObject({ paused: true, revision: 8 });
  expect(list.items.map((i) => i.id)).toEqual(['a', 'b', 'd']); // the old list is left as it was
});

test('an event the list already includes is stale; one that skips a revision is a gap', () => {
  expect(applyOutboxChange(list, { revision: 7, paused: false, changes: [{ type: 'removed', id: 'a' }] })).toBe(
    'stale',
  );
  expect(applyOutboxChange(list, { revision: 9, paused: false, changes: [] })).toBe('gap');
});
