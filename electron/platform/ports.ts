/** Builds the core's ports from Electron. Only here and in main.ts do they meet Electron. */
import { app, dialog, net, Notification, powerMonitor, shell } from 'electron';
import ElectronStore from 'electron-store';
import type { CorePorts } from '../core';
import { createConsoleSink } from '../shared/logger';
import { systemClock } from '../shared/ports';
import { createSafeStorageCipher } from './safe-storage-cipher';

export function createElectronPorts(): CorePorts {
  const store = new ElectronStore<Record<string, unknown>>({ name: 'settings', configFileMode: 0o600 });
  return {
    cipher: createSafeStorageCipher(),
    // Every URL is checked before it gets here (see the sign-in flow); https only otherwise.
    browser: { open: (url) => shell.openExternal(url) },
    notifier: { notify: ({ title, body }) => new Notification({ title, body }).show() },
    network: {
      isOnline: () => net.isOnline(),
      onOnline: (listener) => {
        // Electron has no online event in main; powerMonitor resume covers sleep.
        const timer = setInterval(() => net.isOnline() && listener(), 30_000);
        return () => clearInterval(timer);
      },
      onResume: (listener) => {
        powerMonitor.on('resume', listener);
        return () => powerMonitor.off('resume', listener);
      },
    },
    fileDialog: {
      chooseFiles: async () => {
        const result = await dialog.showOpenDialog({ properties: ['openFile', 'multiSelections'] });
        return result.canceled ? [] : result.filePaths;
      },
    },
    paths: { dataDir: app.getPath('userData') },
    clock: systemClock,
    store: {
      get: (key) => store.get(key),
      set: (key, value) => store.set(key, value),
      delete: (key) => store.delete(key),
      has: (key) => store.has(key),
    },
    // net.fetch honours the system proxy, which sign-in behind a corporate proxy needs.
    fetch: (input, init) => net.fetch(input instanceof URL ? input.href : input, init),
    logSink: createConsoleSink(),
  };
}
