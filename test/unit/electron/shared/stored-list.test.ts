/**
 * A list of records under one settings key, read item by item: what cannot be read is left out
 * of the list but never lost by a write, and fields this version does not know survive updates.
 */
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { createStoredList } from '../../../../electron/shared/stored-list';
import { memoryLogger } from '../../../fakes/logger';
import { createMemoryStore } from '../../../fakes/memory-store';

const schema = z.object({ id: z.string().min(1), name: z.string() });

function setup(initial: unknown) {
  const store = createMemoryStore({ things: initial });
  const { logger, records } = memoryLogger();
  const list = createStoredList({ store, key: 'things', schema, label: 'things', logger });
  const reported = () => records.filter((r) => r.message === 'left out things that cannot be read').map((r) => r.data);
  return { store, list, reported };
}

describe('a stored list', () => {
  test('lists the readable items and leaves out the others', () => {
    const { list } = setup([{ id: 'a', name: 'A' }, { id: 'b' }, 'junk', null, { id: 'c', name: 'C' }]);
    expect(list.list()).toEqual([
      { id: 'a', name: 'A' },
      { id: 'c', name: 'C' },
    ]);
    expect(list.get('c')).toEqual({ id: 'c', name: 'C' });
    expect(list.get('b')).toBeUndefined();
  });

  test('writes keep unreadable items as they were, in their place', () => {
    const { list, store } = setup([{ id: 'a', name: 'A' }, { id: 'b' }, { id: 'c', name: 'C' }]);
    list.put({ id: 'a', name: 'A2' });
    list.remove('c');
    list.put({ id: 'd', name: 'D' });
    expect(store.get('things')).toEqual([{ id: 'a', name: 'A2' }, { id: 'b' }, { id: 'd', name: 'D' }]);
  });

  test('an update keeps fields this version does not know', () => {
    const { list, store } = setup([{ id: 'a', name: 'A', addedLater: { x: 1 } }]);
    expect(list.get('a')).toEqual({ id: 'a', name: 'A' });
    list.put({ id: 'a', name: 'A2' });
    expect(store.get('things')).toEqual([{ id: 'a', name: 'A2', addedLater: { x: 1 } }]);
  });

  test('logs how many items cannot be read when that number changes, not on every read', () => {
    const { list, reported, store } = setup([{ id: 'a', name: 'A' }, { id: 'b' }]);
    list.list();
    list.list();
    list.get('a');
    expect(reported()).toEqual([{ key: 'things', count: 1 }]);
    list.clear();
    list.list();
    store.set('things', [{ id: 'c' }, 'junk']);
    list.list();
    expect(reported()).toEqual([
      { key: 'things', count: 1 },
      { key: 'things', count: 2 },
    ]);
  });

  test('clear removes everything, the unreadable items too', () => {
    const { list, store } = setup([{ id: 'a', name: 'A' }, { id: 'b' }]);
    list.clear();
    expect(store.get('things')).toEqual([]);
  });

  test('a value that is not a list reads as empty and is replaced by the first write', () => {
    const { list, store } = setup({ id: 'a', name: 'A' });
    expect(list.list()).toEqual([]);
    list.put({ id: 'b', name: 'B' });
    expect(store.get('things')).toEqual([{ id: 'b', name: 'B' }]);
  });
});
