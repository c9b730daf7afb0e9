import { describe, expect, test, vi } from 'vitest';
import { createSettingsService, defaultSettings, SETTINGS_KEY } from '../../../../electron/settings/settings-service';
import type { KeyValueStore } from '../../../../electron/shared/ports';
import { memoryLogger } from '../../../fakes/logger';

function memoryStore(initial: Record<string, unknown> = {}): KeyValueStore & { data: Map<string, unknown> } {
  const data = new Map(Object.entries(initial));
  return {
    data,
    get: (k) => data.get(k),
    set: (k, v) => void data.set(k, v),
    delete: (k) => void data.delete(k),
    has: (k) => data.has(k),
  };
}

describe('settings service', () => {
  test('answers the documented defaults on first start', async () => {
    const service = createSettingsService({ store: memoryStore() });
    expect(service.get()).toEqual({
      undoDelaySeconds: 5,
      startAtLogin: false,
      globalShortcut: 'CommandOrControl+Shift+M',
      defaultAccountId: null,
      mailtoHandler: false,
      weakStorageConsent: false,
    });
  });

  test('set merges a patch, stores it and survives a restart', async () => {
    const store = memoryStore();
    const service = createSettingsService({ store });
    const next = service.set({ undoDelaySeconds: 10, startAtLogin: true });
    expect(next).toMatchObject({ undoDelaySeconds: 10, startAtLogin: true, mailtoHandler: false });
    expect(createSettingsService({ store }).get()).toEqual(next);
  });

  test('an invalid or hand-edited stored field falls back to its default, the rest is kept', () => {
    const { logger, records } = memoryLogger();
    const store = memoryStore({
      [SETTINGS_KEY]: { undoDelaySeconds: 999, startAtLogin: true, extra: 'x', globalShortcut: 42 },
    });
    const service = createSettingsService({ store, logger });
    expect(service.get()).toEqual({ ...defaultSettings, startAtLogin: true });
    expect(records.map((r) => r.data)).toEqual([{ key: 'undoDelaySeconds' }, { key: 'globalShortcut' }]);
  });

  test('a stored value that is not an object is ignored', () => {
    expect(createSettingsService({ store: memoryStore({ [SETTINGS_KEY]: 'garbage' }) }).get()).toEqual(defaultSettings);
  });

  test('refuses an invalid value with a typed error and keeps the old one', () => {
    const service = createSettingsService({ store: memoryStore() });
    expect(() => service.set({ undoDelaySeconds: -1 })).toThrow(expect.objectContaining({ code: 'settings.invalid' }));
    expect(service.get().undoDelaySeconds).toBe(5);
  });

  test('onChange tells listeners about real changes only, and a throwing listener does not undo the save', () => {
    const { logger } = memoryLogger();
    const service = createSettingsService({ store: memoryStore(), logger });
    const seen = vi.fn();
    service.onChange(() => {
      throw new Error('shortcut taken');
    });
    const off = service.onChange(seen);
    service.set({ mailtoHandler: true });
    service.set({ mailtoHandler: true });
    expect(seen).toHaveBeenCalledTimes(1);
    expect(seen.mock.calls[0]![0]).toMatchObject({ mailtoHandler: true });
    expect(seen.mock.calls[0]![1]).toMatchObject({ mailtoHandler: false });
    expect(service.get().mailtoHandler).toBe(true);
    off();
    service.set({ mailtoHandler: false });
    expect(seen).toHaveBeenCalledTimes(1);
  });

  test('get returns a copy: callers cannot change the stored settings', () => {
    const service = createSettingsService({ store: memoryStore() });
    const copy = service.get();
    copy.undoDelaySeconds = 30;
    expect(service.get().undoDelaySeconds).toBe(5);
  });
});

test('a store that cannot be read or written: defaults, and a typed error on save', () => {
  const broken: KeyValueStore = {
    get: () => {
      throw new Error('ENOTDIR');
    },
    set: () => {
      throw new Error('ENOTDIR');
    },
    delete: () => {},
    has: () => false,
  };
  const service = createSettingsService({ store: broken });
  expect(service.get()).toEqual(defaultSettings);
  expect(() => service.set({ startAtLogin: true })).toThrow(expect.objectContaining({ code: 'settings.unwritable' }));
  expect(service.get().startAtLogin).toBe(false);
});
