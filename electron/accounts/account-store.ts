/** The list of accounts (no secrets) in the settings store. */
import type { KeyValueStore } from '../shared/ports';

export type AccountRecord = {
  id: string;
  providerId: string;
  /** Verified address: the XOAUTH2 login. */
  address: string;
  fromAddress: string;
  displayName: string;
  subject: string;
  needsSignIn: boolean;
  lastUsedAt: string | null;
  createdAt: string;
  /** PEM of the account's extra certificate authority (checked when it was added). */
  extraCa?: string;
};

const KEY = 'accounts';

export function createAccountStore(store: KeyValueStore) {
  const read = (): AccountRecord[] => {
    const value = store.get(KEY);
    return Array.isArray(value) ? (value as AccountRecord[]) : [];
  };
  const write = (records: AccountRecord[]) => store.set(KEY, records);
  return {
    list: read,
    get: (id: string) => read().find((a) => a.id === id),
    put(record: AccountRecord) {
      const all = read();
      const index = all.findIndex((a) => a.id === record.id);
      if (index >= 0) all[index] = record;
      else all.push(record);
      write(all);
    },
    update(id: string, change: Partial<AccountRecord>): AccountRecord | undefined {
      const current = read().find((a) => a.id === id);
      if (!current) return undefined;
      const next = { ...current, ...change, id };
      this.put(next);
      return next;
    },
    remove: (id: string) => write(read().filter((a) => a.id !== id)),
    clear: () => write([]),
  };
}

export type AccountStore = ReturnType<typeof createAccountStore>;
