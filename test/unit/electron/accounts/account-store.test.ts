/**
 * Account records at rest, read through their schema: a damaged or hand-edited record is left
 * out (and logged once) while the others keep working, and it is still in the file afterwards.
 */
import { describe, expect, test } from 'vitest';
import { createAccountStore, type AccountRecord } from '../../../../electron/accounts/account-store';
import { createMemoryStore } from '../../../fakes/memory-store';
import { memoryLogger } from '../../../fakes/logger';

const ada: AccountRecord = {
  id: 'acc-ada',
  providerId: 'google',
  address: 'ada@example.com',
  fromAddress: 'ada@example.com',
  displayName: 'Ada',
  subject: 'sub-ada',
  needsSignIn: false,
  lastUsedAt: null,
  createdAt: '2026-01-01T00:00:00.000Z',
};

describe('the account store', () => {
  test('reads back what it wrote, the extra CA too, and removes the CA again', () => {
    const accounts = createAccountStore(createMemoryStore());
    accounts.put(ada);
    expect(accounts.update('acc-ada', { extraCa: 'PEM' })).toEqual({ ...ada, extraCa: 'PEM' });
    expect(accounts.get('acc-ada')).toEqual({ ...ada, extraCa: 'PEM' });
    accounts.update('acc-ada', { extraCa: undefined });
    expect(accounts.get('acc-ada')).toEqual(ada);
    expect(accounts.update('acc-nobody', { needsSignIn: true })).toBeUndefined();
  });

  test.each([
    ['without an address', { ...ada, id: 'acc-2', address: undefined }],
    ['with needsSignIn as text', { ...ada, id: 'acc-2', needsSignIn: 'yes' }],
    ['with a lastUsedAt that is a number', { ...ada, id: 'acc-2', lastUsedAt: 5 }],
    ['without an id', { ...ada, id: '' }],
  ])('a record %s is left out, logged once, and kept in the file through updates of the others', (_name, damaged) => {
    const store = createMemoryStore({ accounts: [ada, damaged] });
    const { logger, records } = memoryLogger();
    const accounts = createAccountStore(store, logger);
    expect(accounts.list()).toEqual([ada]);
    accounts.update('acc-ada', { needsSignIn: true });
    expect(accounts.list()).toEqual([{ ...ada, needsSignIn: true }]);
    expect(store.get('accounts')).toEqual([{ ...ada, needsSignIn: true }, JSON.parse(JSON.stringify(damaged))]);
    expect(
      records.filter((r) => r.message === 'left out account records that cannot be read').map((r) => r.data),
    ).toEqual([{ key: 'accounts', count: 1 }]);
  });

  test('clear removes every record, unreadable ones too (emergency sign-out)', () => {
    const store = createMemoryStore({ accounts: [ada, { id: 'acc-2' }] });
    createAccountStore(store).clear();
    expect(store.get('accounts')).toEqual([]);
  });
});
