/**
 * "Last used" times: shown at once, written to the account records at most once a minute (or on
 * flush), and kept in memory when writing fails, for the next flush.
 */
import { expect, test } from 'vitest';
import { createAccountStore, type AccountStore } from '../../../../electron/accounts/account-store';
import { createLastUsed } from '../../../../electron/accounts/last-used';
import { memoryLogger } from '../../../fakes/logger';
import { createManualClock } from '../../../fakes/manual-clock';
import { createMemoryStore } from '../../../fakes/memory-store';

const record = {
  id: 'acc-1',
  providerId: 'google',
  address: 'ada@example.com',
  fromAddress: 'ada@example.com',
  displayName: 'Ada',
  subject: 'sub-1',
  needsSignIn: false,
  lastUsedAt: null,
  createdAt: '2026-01-01T00:00:00.000Z',
};

test('touches gather in memory and reach the records together a minute after the first', () => {
  const clock = createManualClock();
  const records = createAccountStore(createMemoryStore());
  records.put(record);
  let writes = 0;
  const counting: Pick<AccountStore, 'update'> = { update: (id, change) => (writes++, records.update(id, change)) };
  const lastUsed = createLastUsed({ records: counting, clock, logger: memoryLogger().logger });
  lastUsed.touch('acc-1');
  clock.advance(30_000);
  lastUsed.touch('acc-1');
  const latest = new Date(clock.now()).toISOString();
  expect(lastUsed.pendingFor('acc-1')).toBe(latest);
  expect(records.get('acc-1')?.lastUsedAt).toBeNull();
  clock.advance(30_000);
  expect(writes).toBe(1);
  expect(records.get('acc-1')?.lastUsedAt).toBe(latest);
  expect(lastUsed.pendingFor('acc-1')).toBeUndefined();
});

test('a failed write keeps the times for the next flush and is logged, not thrown', () => {
  const clock = createManualClock();
  const records = createAccountStore(createMemoryStore());
  records.put(record);
  let full = true;
  const { logger, records: logs } = memoryLogger();
  const diskFull: Pick<AccountStore, 'update'> = {
    update: (id, change) => {
      if (full) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      return records.update(id, change);
    },
  };
  const lastUsed = createLastUsed({ records: diskFull, clock, logger });
  lastUsed.touch('acc-1');
  expect(() => clock.advance(60_000)).not.toThrow();
  expect(logs.map((r) => r.message)).toContain('could not save last-used times');
  expect(lastUsed.pendingFor('acc-1')).toBeDefined();
  full = false;
  lastUsed.flush();
  expect(records.get('acc-1')?.lastUsedAt).toBe(new Date(createManualClock().now()).toISOString());
});
