import { expect, test } from 'vitest';
import { createDeliveryQueue, MAX_PENDING } from '../../../../electron/shell/delivery-queue';

test('holds messages until the page listens, then delivers in order and at once after', () => {
  const got: number[] = [];
  const queue = createDeliveryQueue<number>((m) => got.push(m));
  queue.push(1);
  queue.push(2);
  expect(got).toEqual([]);
  queue.markReady();
  expect(got).toEqual([1, 2]);
  queue.push(3);
  expect(got).toEqual([1, 2, 3]);
  queue.markReady();
  expect(got).toEqual([1, 2, 3]);
});

test('a reload holds messages again', () => {
  const got: number[] = [];
  const queue = createDeliveryQueue<number>((m) => got.push(m));
  queue.markReady();
  queue.reset();
  queue.push(1);
  expect(got).toEqual([]);
  expect(queue.pending).toBe(1);
  queue.markReady();
  expect(got).toEqual([1]);
});

test('a page that never loads cannot grow the queue without bound', () => {
  const queue = createDeliveryQueue<number>(() => {});
  for (let i = 0; i < MAX_PENDING * 3; i++) queue.push(i);
  expect(queue.pending).toBe(MAX_PENDING);
});
