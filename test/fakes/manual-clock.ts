// A Clock that only moves when a test says so; timers fire in time order during advance().
import type { Clock, TimerHandle } from '../../electron/shared/ports';

type Timer = { id: number; at: number; fn: () => void };

export type ManualClock = Clock & {
  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  advance(ms: number): void;
  /** Timers still waiting, soonest first (for assertions on scheduling). */
  pending(): number[];
  /** Moves the wall clock by `ms` (negative: back) without time passing: timers keep their remaining delay. */
  jump(ms: number): void;
};

export function createManualClock(start = Date.UTC(2026, 0, 1)): ManualClock {
  let now = start;
  let nextId = 1;
  const timers = new Map<number, Timer>();
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const id = nextId++;
      timers.set(id, { id, at: now + Math.max(0, ms), fn });
      return id as unknown as TimerHandle;
    },
    clearTimeout(handle) {
      timers.delete(handle as unknown as number);
    },
    advance(ms) {
      const target = now + ms;
      for (;;) {
        const due = [...timers.values()].filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.id - b.id)[0];
        if (!due) break;
        timers.delete(due.id);
        now = due.at;
        due.fn();
      }
      now = target;
    },
    pending: () => [...timers.values()].map((t) => t.at - now).sort((a, b) => a - b),
    jump(ms) {
      // Timers run on a monotonic clock in Node: shift them with the wall clock.
      for (const timer of timers.values()) timer.at += ms;
      now += ms;
    },
  };
}
