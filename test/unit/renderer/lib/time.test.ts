import { expect, test } from 'vitest';
import { relativeTime, secondsUntil } from '../../../../renderer/src/lib/time';

const now = Date.parse('2030-01-01T12:00:00Z');
const at = (s: number) => new Date(now + s * 1000).toISOString();

test('relative times', () => {
  expect(relativeTime(at(2), now)).toBe('now');
  expect(relativeTime(at(30), now)).toBe('in 30 s');
  expect(relativeTime(at(-120), now)).toBe('2 min ago');
  expect(relativeTime(at(3 * 3600), now)).toBe('in 3 h');
  expect(relativeTime(at(-2 * 86400), now)).toBe('2 d ago');
  expect(relativeTime(null, now)).toBe('');
  expect(relativeTime('garbage', now)).toBe('');
});

test('seconds until, never negative', () => {
  expect(secondsUntil(at(4.2), now)).toBe(5);
  expect(secondsUntil(at(-3), now)).toBe(0);
});
