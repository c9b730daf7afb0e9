import type { KeyValueStore } from '../../electron/shared/ports';

/**
 * A settings store in memory that keeps values as JSON text, like the file behind `conf`:
 * what a test reads back is what a file would give, not the object it wrote.
 */
export function createMemoryStore(initial: Record<string, unknown> = {}): KeyValueStore {
  const values = new Map<string, string>(Object.entries(initial).map(([key, value]) => [key, JSON.stringify(value)]));
  const read = (key: string): unknown => {
    const text = values.get(key);
    return text === undefined ? undefined : JSON.parse(text);
  };
  return {
    get: read,
    set: (key, value) => void values.set(key, JSON.stringify(value)),
    delete: (key) => void values.delete(key),
    has: (key) => values.has(key),
  };
}
