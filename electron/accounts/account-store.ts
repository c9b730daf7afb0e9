/**
 * The list of accounts (no secrets) in the settings store, each record read through a zod
 * schema: a damaged or hand-edited record is left out (and kept in the file as it was) while
 * every readable account keeps working (shared/stored-list.ts).
 */
import { z } from 'zod';
import type { Logger } from '../shared/logger';
import type { KeyValueStore } from '../shared/ports';
import { createStoredList } from '../shared/stored-list';

const accountRecordSchema = z.object({
  id: z.string().min(1),
  providerId: z.string().min(1),
  /** Verified address: the XOAUTH2 login. */
  address: z.string().min(1),
  fromAddress: z.string(),
  displayName: z.string(),
  subject: z.string(),
  needsSignIn: z.boolean(),
  lastUsedAt: z.string().nullable(),
  createdAt: z.string(),
  /** PEM of the account's extra certificate authority (checked when it was added). */
  extraCa: z.string().optional(),
});

/** One account as stored: who it is, how it sends, and whether it needs the person to sign in. */
export type AccountRecord = z.output<typeof accountRecordSchema>;

const KEY = 'accounts';

/** Reads and writes account records; `update` changes the fields given and keeps the rest. */
export function createAccountStore(store: KeyValueStore, logger?: Logger) {
  const records = createStoredList({ store, key: KEY, schema: accountRecordSchema, label: 'account records', logger });
  return {
    ...records,
    update(id: string, change: Partial<AccountRecord>): AccountRecord | undefined {
      const current = records.get(id);
      if (!current) return undefined;
      const next = { ...current, ...change, id };
      records.put(next);
      return next;
    },
  };
}

/** The account records of the settings store. */
export type AccountStore = ReturnType<typeof createAccountStore>;
