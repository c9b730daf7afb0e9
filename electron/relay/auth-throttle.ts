/**
 * Failed relay sign-ins: each failure is answered only after a delay, and past a few failures
 * in a minute the name is refused for a while, right or wrong password. Every client is on
 * this computer, so the client's address tells nothing: failures are counted per username
 * tried, and all unknown usernames share one count (so cycling made-up names does not help).
 */
export type AuthThrottleOptions = {
  /** How long each failed attempt waits before its answer. */
  failureDelayMs: number;
  /** Failures within one minute that start a lockout. */
  maxFailuresPerMinute: number;
  /** How long a locked name is refused. */
  lockoutMs: number;
};

export const defaultAuthThrottle: AuthThrottleOptions = {
  failureDelayMs: 1000,
  maxFailuresPerMinute: 5,
  lockoutMs: 5 * 60_000,
};

const WINDOW_MS = 60_000;

export type AuthThrottle = {
  /** Milliseconds the bucket stays locked from `now`, or 0 when it may try. */
  lockedFor(bucket: string, now: number): number;
  /** Counts a failure; answers true when this failure started a lockout. */
  fail(bucket: string, now: number): boolean;
};

/** The bucket of a username: itself when it names a credential, else the shared unknown bucket. */
export function bucketOf(username: string, known: boolean): string {
  return known ? `user:${username}` : 'unknown';
}

export function createAuthThrottle(options: AuthThrottleOptions): AuthThrottle {
  const failures = new Map<string, number[]>();
  const lockedUntil = new Map<string, number>();
  return {
    lockedFor(bucket, now) {
      const until = lockedUntil.get(bucket) ?? 0;
      if (until <= now) {
        lockedUntil.delete(bucket);
        return 0;
      }
      return until - now;
    },
    fail(bucket, now) {
      const recent = (failures.get(bucket) ?? []).filter((at) => at > now - WINDOW_MS);
      recent.push(now);
      if (recent.length >= options.maxFailuresPerMinute) {
        failures.delete(bucket);
        lockedUntil.set(bucket, now + options.lockoutMs);
        return true;
      }
      failures.set(bucket, recent);
      return false;
    },
  };
}
