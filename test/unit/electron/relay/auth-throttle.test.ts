import { expect, test } from 'vitest';
import { bucketOf, createAuthThrottle } from '../../../../electron/relay/auth-throttle';

test('failures within a minute lock a bucket for the lockout time, then it opens again', () => {
  const throttle = createAuthThrottle({ failureDelayMs: 0, maxFailuresPerMinute: 3, lockoutMs: 300_000 });
  const t = 1_000_000;
  expect(throttle.fail('user:a', t)).toBe(false);
  expect(throttle.fail('user:a', t + 1000)).toBe(false);
  expect(throttle.lockedFor('user:a', t + 2000)).toBe(0);
  expect(throttle.fail('user:a', t + 2000)).toBe(true);
  expect(throttle.lockedFor('user:a', t + 2000)).toBe(300_000);
  expect(throttle.lockedFor('user:b', t + 2000)).toBe(0);
  expect(throttle.lockedFor('user:a', t + 302_000)).toBe(0);
});

test('failures more than a minute apart never add up to a lockout', () => {
  const throttle = createAuthThrottle({ failureDelayMs: 0, maxFailuresPerMinute: 3, lockoutMs: 300_000 });
  for (let i = 0; i < 10; i++) expect(throttle.fail('user:a', i * 31_000)).toBe(false);
});

test('unknown usernames share one bucket; known ones have their own', () => {
  expect(bucketOf('qs-one', false)).toBe(bucketOf('qs-two', false));
  expect(bucketOf('qs-one', true)).not.toBe(bucketOf('qs-two', true));
  expect(bucketOf('qs-one', true)).not.toBe(bucketOf('qs-one', false));
});
