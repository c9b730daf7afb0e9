import { expect, test } from 'vitest';
import type { OutboxItem } from '../../../../electron/ipc/contract';
import { createChangeFeed, type OutboxChanged } from '../../../../electron/outbox/change-feed';
import { outboxItem } from '../../../fakes/fake-api';

/** A feed over a plain map, flushed only when the test runs the deferred tick. */
function world() {
  const items = new Map<string, OutboxItem | undefined>();
  const sent: OutboxChanged[] = [];
  const ticks: Array<() => void> = [];
  let paused = false;
  const feed = createChangeFeed({
    item: (id) => (items.has(id) ? items.get(id) : null),
    paused: () => paused,
    emit: (e) => void sent.push(e),
    defer: (fn) => void ticks.push(fn),
  });
  const tick = () => ticks.splice(0).forEach((fn) => fn());
  return { items, sent, feed, tick, setPaused: (p: boolean) => void (paused = p) };
}

test('changes in one tick go out as one event with the next revision; each message once, as it is at the end of the tick', () => {
  const w = world();
  w.items.set('a', outboxItem({ id: 'a', state: 'waiting' }));
  w.items.set('b', outboxItem({ id: 'b' }));
  w.feed.touch('a');
  w.feed.touch('b');
  w.items.set('a', outboxItem({ id: 'a', state: 'sending' }));
  w.feed.touch('a');
  expect(w.sent).toEqual([]);
  w.tick();
  expect(w.sent).toEqual([
    {
      revision: 1,
      paused: false,
      changes: [
        { type: 'added', item: w.items.get('a') },
        { type: 'added', item: w.items.get('b') },
      ],
    },
  ]);
  w.items.set('a', outboxItem({ id: 'a', state: 'retrying' }));
  w.feed.touch('a');
  w.items.delete('b');
  w.feed.touch('b');
  w.tick();
  expect(w.sent[1]).toEqual({
    revision: 2,
    paused: false,
    changes: [
      { type: 'updated', item: w.items.get('a') },
      { type: 'removed', id: 'b' },
    ],
  });
  expect(w.feed.revision()).toBe(2);
});

test('a message added and removed in the same tick never shows; a tick with nothing to say sends nothing', () => {
  const w = world();
  w.items.set('a', outboxItem({ id: 'a' }));
  w.feed.touch('a');
  w.items.delete('a');
  w.feed.touch('a');
  w.tick();
  expect(w.sent).toEqual([]);
  expect(w.feed.revision()).toBe(0);
});

test('pause travels in every event, and a pause alone is an event', () => {
  const w = world();
  w.setPaused(true);
  w.feed.touchPaused();
  w.tick();
  expect(w.sent).toEqual([{ revision: 1, paused: true, changes: [] }]);
});

test('"not yet" keeps a message for a later tick; what the listeners knew at start-up is not news', () => {
  const w = world();
  w.feed.reset(['known']);
  w.items.set('known', outboxItem({ id: 'known' }));
  w.items.set('saving', undefined);
  w.feed.touch('known');
  w.feed.touch('saving');
  w.tick();
  expect(w.sent).toEqual([{ revision: 1, paused: false, changes: [{ type: 'updated', item: w.items.get('known') }] }]);
  w.items.set('saving', outboxItem({ id: 'saving' }));
  w.feed.touch('saving');
  w.tick();
  expect(w.sent[1]?.changes).toEqual([{ type: 'added', item: w.items.get('saving') }]);
});

test('settled() resolves once the pending event went out; flush() sends at once', async () => {
  const w = world();
  w.items.set('a', outboxItem({ id: 'a' }));
  w.feed.touch('a');
  let done = false;
  const settled = w.feed.settled().then(() => (done = true));
  await Promise.resolve();
  expect(done).toBe(false);
  w.feed.flush();
  await settled;
  expect(w.sent).toHaveLength(1);
  await w.feed.settled(); // nothing pending: at once
});
