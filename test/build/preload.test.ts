/**
 * Runs the BUILT dist/preload/preload.cjs the way a sandboxed preload runs: CommonJS, with a
 * `require` that only knows `electron`. Checks that it exposes exactly the bridge.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { expect, test } from 'vitest';
import { channelNames } from '../../electron/ipc/contract';
import { PRELOAD_CHANNEL_NAMES } from '../../electron/ipc/names';

test('the preload exposes window.quicksend with one method per channel plus files.describeDropped, and strips the event', async () => {
  const file = path.resolve('dist/preload/preload.cjs');
  if (!existsSync(file)) throw new Error('dist/preload/preload.cjs is missing: run `npm run build` first.');
  const exposed: Record<string, unknown> = {};
  const invoked: unknown[][] = [];
  const listeners = new Map<string, (...args: unknown[]) => void>();
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
    ipcRenderer: {
      invoke: async (...args: unknown[]) => (invoked.push(args), { ok: true, value: [] }),
      on: (event: string, fn: (...args: unknown[]) => void) => listeners.set(event, fn),
      removeListener: (event: string) => listeners.delete(event),
    },
    // Like Electron's: a File gives its path, anything else is a TypeError.
    webUtils: {
      getPathForFile: (file: { name: string }) => {
        if (typeof file !== 'object' || file === null) throw new TypeError('Expected a File');
        return `/dropped/${file.name}`;
      },
    },
  };
  const required: string[] = [];
  const sandboxRequire = (name: string) => {
    required.push(name);
    if (name === 'electron') return electron;
    throw new Error(`a sandboxed preload cannot require ${name}`);
  };
  const module = { exports: {} };
  vm.runInNewContext(readFileSync(file, 'utf8'), { require: sandboxRequire, module, exports: module.exports, console });
  expect(required).toEqual(['electron']);
  expect(Object.keys(exposed)).toEqual(['quicksend']);

  const api = exposed.quicksend as Record<string, Record<string, (r?: unknown) => Promise<unknown>>> & {
    on: (e: string, l: (p: unknown) => void) => () => void;
  };
  const methods = Object.entries(api).flatMap(([d, g]) =>
    typeof g === 'function' ? [] : Object.keys(g).map((a) => `${d}:${a}`),
  );
  expect(methods.sort()).toEqual([...channelNames, 'files:describeDropped'].sort());

  await api.accounts!.list!();
  expect(invoked).toEqual([['accounts:list', {}]]);
  // Dropped files become paths through webUtils.getPathForFile inside the preload and go to
  // main over the preload's own channel, which no window.quicksend method can call.
  await (api.files!.describeDropped as unknown as (files: unknown[]) => Promise<unknown>)([{ name: 'a.txt' }]);
  expect(invoked[1]).toEqual([PRELOAD_CHANNEL_NAMES[0], { paths: ['/dropped/a.txt'] }]);
  expect(channelNames).not.toContain(PRELOAD_CHANNEL_NAMES[0]);
  // A page script passing paths gets them sent only to public channels, which take file ids.
  await (api.files!.describeDropped as unknown as (files: unknown) => Promise<unknown>)(['/etc/passwd']);
  expect(invoked).toHaveLength(2);

  const got: unknown[][] = [];
  const off = api.on('accounts:changed', (...args: unknown[]) => got.push(args));
  listeners.get('accounts:changed')!({ sender: 'electron-event' }, { accounts: [] });
  expect(got).toEqual([[{ accounts: [] }]]);
  off();
  expect(listeners.has('accounts:changed')).toBe(false);
});
