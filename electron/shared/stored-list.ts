/**
 * A list of records with ids kept under one key of the settings store (accounts, custom
 * providers), read item by item through a zod schema instead of trusting the file's shape.
 *
 * An item that does not parse (damaged, hand-edited, written by another version) is left out of
 * what callers see, so one bad entry cannot break start-up or a whole list, but it stays in the
 * file as it was: writes put it back untouched, and fields a reader does not know survive an
 * update. Only `clear()` removes it (emergency sign-out removes everything).
 */
import type { z } from 'zod';
import type { Logger } from './logger';
import type { KeyValueStore } from './ports';

/** The records of one settings key, by id. */
export type StoredList<T extends { id: string }> = {
  list(): T[];
  get(id: string): T | undefined;
  /** Replaces the record with the same id (keeping fields this version does not know), or appends it. */
  put(record: T): void;
  remove(id: string): void;
  /** Removes every item, the unreadable ones too. */
  clear(): void;
};

export type StoredListOptions<T> = {
  store: KeyValueStore;
  key: string;
  schema: z.ZodType<T>;
  /** What the items are, in the log line that counts the unreadable ones (`account records`). */
  label: string;
  /** Told how many items cannot be read when that number changes (not at every read). */
  logger?: Logger | undefined;
};

type Item<T> = { raw: unknown; record: T | undefined };

/** Builds a stored list over one key; nothing is read until it is used. */
export function createStoredList<T extends { id: string }>(options: StoredListOptions<T>): StoredList<T> {
  const { store, key, schema } = options;
  let reportedUnreadable = 0;

  function read(): Item<T>[] {
    const value = store.get(key);
    const items = (Array.isArray(value) ? value : []).map((raw: unknown): Item<T> => {
      const parsed = schema.safeParse(raw);
      return { raw, record: parsed.success ? parsed.data : undefined };
    });
    const unreadable = items.filter((item) => item.record === undefined).length;
    if (unreadable !== reportedUnreadable) {
      reportedUnreadable = unreadable;
      if (unreadable > 0)
        options.logger?.warn(`left out ${options.label} that cannot be read`, { key, count: unreadable });
    }
    return items;
  }

  const write = (items: Item<T>[]) =>
    store.set(
      key,
      items.map((item) => item.raw),
    );
  const records = (items: Item<T>[]) => items.flatMap((item) => (item.record === undefined ? [] : [item.record]));
  const isObject = (value: unknown): value is Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value);

  return {
    list: () => records(read()),
    get: (id) => records(read()).find((record) => record.id === id),
    put(record) {
      const items = read();
      const index = items.findIndex((item) => item.record?.id === record.id);
      const previous = index >= 0 ? items[index]!.raw : undefined;
      const next = { raw: { ...(isObject(previous) ? previous : {}), ...record }, record };
      if (index >= 0) items[index] = next;
      else items.push(next);
      write(items);
    },
    remove: (id) => write(read().filter((item) => item.record?.id !== id)),
    clear: () => store.set(key, []),
  };
}
