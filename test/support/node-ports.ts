/**
 * Real Node implementations of the core's ports, for tests, the web host, the demo and the
 * benchmarks: AES-GCM cipher, `conf` store in a data directory, a memory log sink.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Conf from 'conf';
import type { CorePorts } from '../../electron/core';
import { createMemorySink } from '../../electron/shared/logger';
import { systemClock, type BrowserLauncher, type LogRecord } from '../../electron/shared/ports';
import { createNodeCipher } from './node-cipher';

export type NodePorts = CorePorts & { logRecords: LogRecord[]; openedUrls: string[] };

export function tempDataDir(prefix = 'quicksend-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function createNodePorts(overrides: Partial<CorePorts> & { dataDir?: string } = {}): NodePorts {
  const dataDir = overrides.dataDir ?? tempDataDir();
  // Created on first use, so a core can start (and report) on an unwritable data directory.
  let conf: Conf<Record<string, unknown>> | undefined;
  const settings = () =>
    (conf ??= new Conf<Record<string, unknown>>({
      cwd: dataDir,
      configName: 'settings',
      projectName: 'quicksend',
      configFileMode: 0o600,
    }));
  const sink = createMemorySink();
  const openedUrls: string[] = [];
  const browser: BrowserLauncher = { open: async (url) => void openedUrls.push(url) };
  const { dataDir: _ignored, ...rest } = overrides;
  return {
    cipher: createNodeCipher(),
    browser,
    notifier: { notify: () => {} },
    network: { isOnline: () => true, onOnline: () => () => {}, onResume: () => () => {} },
    fileDialog: { chooseFiles: async () => [] },
    paths: { dataDir },
    clock: systemClock,
    store: {
      get: (key) => settings().get(key),
      set: (key, value) => settings().set(key, value),
      delete: (key) => settings().delete(key),
      has: (key) => settings().has(key),
    },
    fetch: globalThis.fetch,
    logSink: sink,
    logRecords: sink.records,
    openedUrls,
    ...rest,
  };
}
