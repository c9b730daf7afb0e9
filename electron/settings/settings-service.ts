/**
 * The person's preferences over the `KeyValueStore` port.
 * Every read is checked field by field against the contract's schema, so a hand-edited or
 * older settings file can never crash start-up: a bad field quietly falls back to its default.
 * Other services (login item, global shortcut, outbox undo delay) react through `onChange`.
 */
import { readFile } from 'node:fs/promises';
import { settingsSchema, type Settings } from '../ipc/contract';
import { writeFileAtomic } from '../shared/atomic-file';
import { keptAs, type Quarantine } from '../diagnostics/quarantine';
import { AppError } from '../shared/errors';
import type { Logger } from '../shared/logger';
import type { KeyValueStore } from '../shared/ports';

export const SETTINGS_KEY = 'settings';

export const defaultSettings: Readonly<Settings> = Object.freeze({
  undoDelaySeconds: 5,
  startAtLogin: false,
  globalShortcut: 'CommandOrControl+Shift+M',
  defaultAccountId: null,
  mailtoHandler: false,
  weakStorageConsent: false,
});

export type SettingsListener = (next: Settings, previous: Settings) => void;

export type SettingsService = {
  get(): Settings;
  /** Validates the merged result, stores it, and tells listeners when anything changed. */
  set(patch: Partial<Settings>): Settings;
  onChange(listener: SettingsListener): () => void;
};

const keys = Object.keys(defaultSettings) as Array<keyof Settings>;

function readStored(store: KeyValueStore, logger?: Logger): Settings {
  let raw: unknown;
  try {
    raw = store.get(SETTINGS_KEY);
  } catch (error) {
    // An unreadable settings file (unwritable data directory) must not stop the app starting.
    logger?.error('could not read settings; using defaults', { error });
    raw = undefined;
  }
  const stored = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const result: Record<string, unknown> = { ...defaultSettings };
  for (const key of keys) {
    if (!(key in stored)) continue;
    const field = settingsSchema.shape[key].safeParse(stored[key]);
    if (field.success) result[key] = field.data;
    else logger?.warn('ignored an invalid stored setting', { key });
  }
  return result as Settings;
}

export function createSettingsService(options: { store: KeyValueStore; logger?: Logger }): SettingsService {
  const { store, logger } = options;
  const listeners = new Set<SettingsListener>();
  // Read on first use, so creating the service never touches the disk.
  let loaded: Settings | undefined;
  const current = () => (loaded ??= readStored(store, logger));

  const service: SettingsService = {
    get: () => ({ ...current() }),
    set(patch) {
      const previous = current();
      const parsed = settingsSchema.safeParse({ ...previous, ...patch });
      if (!parsed.success) {
        const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.')))];
        throw new AppError('settings.invalid', `That setting is not valid (${fields.join(', ')}).`);
      }
      const next = parsed.data;
      if (keys.every((key) => previous[key] === next[key])) return { ...previous };
      try {
        store.set(SETTINGS_KEY, next);
      } catch (error) {
        logger?.error('could not save settings', { error });
        throw new AppError('settings.unwritable', 'Quicksend could not save your settings.', {
          hint: 'Check that your user folder has free space and is writable.',
        });
      }
      loaded = next;
      for (const listener of [...listeners]) {
        try {
          listener({ ...next }, { ...previous });
        } catch (error) {
          // One failing reaction (say, the OS refusing a shortcut) must not undo the save.
          logger?.error('a settings listener failed', { error });
        }
      }
      return { ...next };
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return service;
}

/**
 * conf/electron-store write `settings.json` as tab-indented JSON, so each top-level section
 * (`settings`, `accounts`, `providers`) starts on a line of its own: a truncated or garbled
 * file still gives back every section that parses on its own.
 */
function salvageSections(text: string): Record<string, unknown> {
  const found: Record<string, unknown> = {};
  const starts = [...text.matchAll(/^\t("(?:[^"\\\n]|\\.)*"): /gm)];
  starts.forEach((match, i) => {
    const next = starts[i + 1];
    let chunk = text.slice(match.index + match[0].length, next ? next.index : text.length).trimEnd();
    chunk = next ? chunk.replace(/,$/, '') : chunk.replace(/\}$/, '');
    try {
      const key: unknown = JSON.parse(match[1]!);
      if (typeof key === 'string' && key !== '__proto__') found[key] = JSON.parse(chunk) as unknown;
    } catch {
      // This section is the damaged one.
    }
  });
  return found;
}

/**
 * Before anything reads the settings store: a `settings.json` that is not a JSON object (conf
 * would throw on every read and write) is moved aside, the sections that still parse are
 * written to a fresh file, and the person is told. Returns whether the file was damaged.
 */
export async function recoverSettingsFile(file: string, quarantine: Quarantine): Promise<boolean> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (text === null) return false;
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return false;
  } catch {
    // Damaged: below.
  }
  const kept = salvageSections(text);
  const moved = await quarantine.moveAside(file, 'settings file is not a JSON object');
  if (Object.keys(kept).length > 0) await writeFileAtomic(file, JSON.stringify(kept, undefined, '\t'));
  quarantine.report({
    level: 'warning',
    message: `Your Quicksend settings file was damaged. ${Object.keys(kept).length > 0 ? 'What could be read was kept; the rest is back to defaults.' : 'Settings are back to their defaults.'}`,
    hint: `${keptAs(moved)} Check your settings and accounts.`,
  });
  return true;
}
