import type { Clock, TimerHandle } from '../../electron/shared/ports';

/** A clock the test moves by hand; timers fire in time order as it advances. */
export function createManualClock(start = Date.UTC(2026, 10, 29, 12)) {
  let now = start;
  let nextId = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const clock: Clock & { advance(ms: number): void; set(ms: number): void; pending(): number } = {
    now: () => now,
    setTimeout(fn, ms) {
      const id = nextId++;
      timers.set(id, { at: now + Math.max(0, ms), fn });
      return id as unknown as TimerHandle;
    },
    clearTimeout(handle) {
      timers.delete(handle as unknown as number);
    },
    advance(ms) {
      const until = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = until;
    },
    /** Jumps the wall clock without firing timers (a clock change, not time passing). */
    set(ms) {
      now = ms;
    },
    pending: () => timers.size,
  };
  return clock;
}
