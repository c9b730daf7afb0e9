/**
 * "Last used" times of accounts. Every delivery touches its account, and the settings store
 * writes synchronously, so the times are kept in memory, shown from there at once, and saved at
 * most once a minute (and on dispose), off the send path.
 */
import type { Logger } from '../shared/logger';
import type { Clock } from '../shared/ports';
import type { AccountStore } from './account-store';

/** How long touches gather before they are saved together. */
const FLUSH_AFTER_MS = 60_000;

/** Builds the batched last-used times over the account records. */
export function createLastUsed(deps: { records: Pick<AccountStore, 'update'>; clock: Clock; logger: Logger }) {
  const pending = new Map<string, string>();
  let timer: ReturnType<Clock['setTimeout']> | undefined;

  function flush(): void {
    if (timer !== undefined) deps.clock.clearTimeout(timer);
    timer = undefined;
    try {
      for (const [id, at] of pending) deps.records.update(id, { lastUsedAt: at });
      pending.clear();
    } catch (error) {
      // A full disk or read-only folder must not crash a timer or block quitting; the times
      // stay in memory and the next flush tries again.
      deps.logger.warn('could not save last-used times', { error });
    }
  }

  return {
    /** Records that the account was just used. */
    touch(accountId: string): void {
      pending.set(accountId, new Date(deps.clock.now()).toISOString());
      timer ??= deps.clock.setTimeout(flush, FLUSH_AFTER_MS);
    },
    /** The time not saved yet, if any (it wins over the stored one). */
    pendingFor: (accountId: string): string | undefined => pending.get(accountId),
    /** Saves what is pending now (dispose). */
    flush,
  };
}

/** Batched "last used" times. */
export type LastUsed = ReturnType<typeof createLastUsed>;
