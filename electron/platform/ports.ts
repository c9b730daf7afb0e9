/** Builds the core's ports from Electron. Only here and in main.ts do they meet Electron. */
import { app, dialog, net, Notification, powerMonitor } from 'electron';
import ElectronStore from 'electron-store';
import type { CorePorts } from '../core';
import { createConsoleSink } from '../shared/logger';
import { systemClock } from '../shared/ports';
import { createSafeStorageCipher } from './safe-storage-cipher';

/**
 * The shell supplies the browser launcher (behind the external-URL check) and the notifier
 * (whose clicks open a view); anything else a caller passes replaces the Electron default.
 */
export function createElectronPorts(overrides: Partial<CorePorts> = {}): CorePorts {
  // Opened on first use, after createCore has moved a damaged settings.json aside: electron-store
  // throws on a file it cannot parse, which would otherwise stop the app before it can say so.
  let opened: ElectronStore<Record<string, unknown>> | undefined;
  const store = () =>
    (opened ??= new ElectronStore<Record<string, unknown>>({ name: 'settings', configFileMode: 0o600 }));
  return {
    cipher: createSafeStorageCipher(),
    // Replaced by the shell's checked launcher (shell/external-url.ts); refuses all by default.
    browser: {
      open: async () => {
        throw new Error('No checked browser launcher was given.');
      },
    },
    notifier: { notify: ({ title, body }) => new Notification({ title, body }).show() },
    network: {
      isOnline: () => net.isOnline(),
      onOnline: (listener) => {
        // Electron has no online event in main: poll, and report only offline -> online.
        let wasOnline = net.isOnline();
        const timer = setInterval(() => {
          const online = net.isOnline();
          if (online && !wasOnline) listener();
          wasOnline = online;
        }, 10_000);
        timer.unref?.();
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
      get: (key) => store().get(key),
      set: (key, value) => store().set(key, value),
      delete: (key) => store().delete(key),
      has: (key) => store().has(key),
    },
    // net.fetch honours the system proxy, which sign-in behind a corporate proxy needs.
    fetch: (input, init) => net.fetch(input instanceof URL ? input.href : input, init),
    logSink: createConsoleSink(),
    ...overrides,
  };
}
