/**
 * Retry delays: exponential from `baseMs`, capped at `capMs`, with "equal jitter" (half fixed,
 * half random) so many clients coming back online do not hit a provider in lockstep while each
 * still waits at least half the nominal delay. Every number is injectable; `random` too.
 */
export type BackoffOptions = {
  baseMs: number;
  capMs: number;
  factor: number;
  /** Returns [0, 1); Math.random in production, a fixed sequence in tests. */
  random: () => number;
};

export const defaultBackoff: BackoffOptions = { baseMs: 5_000, capMs: 15 * 60_000, factor: 2, random: Math.random };

/** The delay before retry number `retry` (1 for the first retry). */
export function backoffDelay(retry: number, options: BackoffOptions): number {
  const exponent = Math.max(0, retry - 1);
  const nominal = Math.min(options.capMs, options.baseMs * options.factor ** exponent);
  const half = nominal / 2;
  return Math.round(half + half * Math.min(Math.max(options.random(), 0), 1));
}
