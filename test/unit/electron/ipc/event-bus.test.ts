import { expect, test } from 'vitest';
import { createEventBus } from '../../../../electron/ipc/event-bus';

const bad = { revision: 1, paused: false, changes: [{ type: 'added', item: { id: 'x' } }] } as never;

test('payloads are checked against the contract by default (tests, development)', () => {
  const bus = createEventBus();
  expect(() => bus.emit('outbox:changed', bad)).toThrow();
});

test('without validation (production) the payload goes out unchecked, to every listener', () => {
  const bus = createEventBus({ validate: false });
  const seen: unknown[] = [];
  bus.on('outbox:changed', (p) => seen.push(p));
  bus.emit('outbox:changed', bad);
  expect(seen).toEqual([bad]);
});
