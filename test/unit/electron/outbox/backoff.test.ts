import { describe, expect, it } from 'vitest';
import { backoffDelay, defaultBackoff } from '../../../../electron/outbox/backoff';

describe('backoffDelay', () => {
  const fixed = (r: number) => ({ baseMs: 1_000, capMs: 10_000, factor: 2, random: () => r });

  it('doubles from the base and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, fixed(1)))).toEqual([
      1_000, 2_000, 4_000, 8_000, 10_000, 10_000,
    ]);
  });

  it('jitters between half and all of the nominal delay', () => {
    expect(backoffDelay(3, fixed(0))).toBe(2_000);
    expect(backoffDelay(3, fixed(0.5))).toBe(3_000);
    expect(backoffDelay(3, fixed(0.999999))).toBe(4_000);
  });

  it('never overflows for large retry numbers and defaults to a 15 minute cap', () => {
    expect(backoffDelay(10_000, { ...defaultBackoff, random: () => 1 })).toBe(15 * 60_000);
  });
});
