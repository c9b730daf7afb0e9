/**
 * Loads the BUILT dist/main/main.js against a recording fake `electron` and checks the
 * start-up sequence. This is not Electron: it proves our wiring, not Chromium's behaviour.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, test, vi } from 'vitest';
import { channelNames } from '../../electron/ipc/contract';
import { createFakeElectron, type FakeElectron } from '../fakes/electron';

const mainJs = path.resolve('dist/main/main.js');
const fake: FakeElectron = createFakeElectron({ userData: mkdtempSync(path.join(os.tmpdir(), 'qs-main-')) });

vi.mock('electron', () => ({ ...fake.module, default: fake.module }));

describe('built main.js', () => {
  beforeAll(async () => {
    if (!existsSync(mainJs)) throw new Error('dist/main/main.js is missing: run `npm run build` first.');
    await import(/* @vite-ignore */ mainJs);
    fake.emitReady();
    await fake.waitFor('Tray.setContextMenu');
    await fake.waitFor('BrowserWindow.show');
  });

  test('takes the single-instance lock and registers app:// before ready', () => {
    const names = fake.calls.map((c) => c.name);
    expect(names[0]).toBe('app.requestSingleInstanceLock');
    expect(names.indexOf('protocol.registerSchemesAsPrivileged')).toBeLessThan(names.indexOf('app.whenReady'));
    const schemes = fake.calls.find((c) => c.name === 'protocol.registerSchemesAsPrivileged')!.args[0];
    expect(schemes).toEqual([expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) })]);
    expect(fake.calls.filter((c) => c.name === 'app.on').map((c) => c.args[0])).toContain('second-instance');
  });

  test('after ready: permissions denied, app:// served, IPC registered, then window and tray', () => {
    const names = fake.calls.map((c) => c.name);
    expect(names).toContain('session.setPermissionRequestHandler');
    expect(fake.calls.find((c) => c.name === 'protocol.handle')!.args[0]).toBe('app');
    expect(fake.calls.filter((c) => c.name === 'ipcMain.handle').map((c) => c.args[0]).sort()).toEqual([...channelNames].sort());
    expect(names.indexOf('ipcMain.handle')).toBeLessThan(names.indexOf('new BrowserWindow'));
  });

  test('the window is hardened and loads the renderer over app://', () => {
    const [window] = fake.windows;
    const prefs = window!.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false });
    expect(prefs.preload).toBe(path.resolve('dist/preload/preload.cjs'));
    expect(window!.url).toBe('app://quicksend/index.html');
  });

  test('the tray has Open and Quit', () => {
    const menu = fake.calls.find((c) => c.name === 'Tray.setContextMenu')!.args[0] as { template: Array<{ label?: string }> };
    expect(menu.template.map((i) => i.label).filter(Boolean)).toEqual(['Open Quicksend', 'Quit Quicksend']);
  });

  test('IPC from our window is answered; from a foreign page it is refused', async () => {
    const window = fake.windows[0]!;
    const handler = fake.ipcHandlers.get('app:info')!;
    const ours = { sender: window.webContents, senderFrame: { url: 'app://quicksend/index.html', parent: null } };
    expect(await handler(ours, {})).toMatchObject({ ok: true, value: { name: 'Quicksend', version: '0.0.0-test' } });
    const foreign = { sender: window.webContents, senderFrame: { url: 'https://evil.example/', parent: null } };
    expect(await handler(foreign, {})).toMatchObject({ ok: false, error: { code: 'ipc.untrusted_sender' } });
  });

  test('a second launch brings the window forward', () => {
    const before = fake.calls.filter((c) => c.name === 'BrowserWindow.show').length;
    fake.module.app.emit('second-instance', {}, ['quicksend'], '/');
    expect(fake.calls.filter((c) => c.name === 'BrowserWindow.show').length).toBe(before + 1);
  });
});
