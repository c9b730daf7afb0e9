/**
 * The BUILT dist/main/main.js started as a packaged app (`app.isPackaged` true) against the
 * recording fake `electron`: no application menu (so no Reload or Toggle Developer Tools
 * shortcut) before any window opens, DevTools off in both windows, tray icons from the
 * resources folder. main-startup.test.ts is the development start, which keeps both.
 * This is not Electron: it proves our wiring, not Chromium's behaviour.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { createFakeElectron, fakeEvent, type FakeElectron } from '../fakes/electron';

const mainJs = path.resolve('dist/main/main.js');
const fake: FakeElectron = createFakeElectron({
  userData: mkdtempSync(path.join(os.tmpdir(), 'qs-packaged-')),
  isPackaged: true,
});

vi.mock('electron', () => ({ ...fake.module, default: fake.module }));

const RESOURCES = '/opt/Quicksend/resources';
const MAIN_URL = 'app://quicksend/index.html';
const QUICK_URL = 'app://quicksend/index.html?window=quick-send';
const windowAt = (url: string) => fake.windows.filter((w) => w.url === url && !w.destroyed).at(-1);
const webPreferences = (url: string) => windowAt(url)!.options.webPreferences as Record<string, unknown>;

describe('built main.js, packaged', () => {
  const argv = process.argv;
  const processWithResources = process as NodeJS.Process & { resourcesPath?: string };
  const resourcesPath = processWithResources.resourcesPath;
  beforeAll(async () => {
    if (!existsSync(mainJs)) throw new Error('dist/main/main.js is missing: run `npm run build` first.');
    process.argv = ['/opt/Quicksend/quicksend'];
    // Electron sets this in a packaged app; main.ts finds the tray icons there.
    processWithResources.resourcesPath = RESOURCES;
    await import(/* @vite-ignore */ mainJs);
    fake.emitReady();
    await fake.waitFor('Tray.setContextMenu');
    await fake.waitFor('BrowserWindow.show');
  });
  afterAll(() => {
    process.argv = argv;
    processWithResources.resourcesPath = resourcesPath;
    fake.module.app.emit('will-quit', fakeEvent());
  });

  test('removes the application menu, once, before any window opens', () => {
    expect(fake.named('Menu.setApplicationMenu').map((c) => c.args[0])).toEqual([null]);
    const names = fake.calls.map((c) => c.name);
    expect(names.indexOf('Menu.setApplicationMenu')).toBeLessThan(names.indexOf('new BrowserWindow'));
  });

  test('the main window has DevTools off and is otherwise hardened as in development', () => {
    expect(webPreferences(MAIN_URL)).toMatchObject({
      devTools: false,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    });
  });

  test('the quick-send window has DevTools off too', async () => {
    fake.module.app.emit('second-instance', fakeEvent(), ['/opt/Quicksend/quicksend'], '/', {
      quicksendHandoff: 1,
      args: ['--compose'],
      cwd: '/',
    });
    await vi.waitFor(() => expect(windowAt(QUICK_URL)).toBeTruthy(), { timeout: 10_000 });
    expect(webPreferences(QUICK_URL).devTools).toBe(false);
  });

  test('tray icons come from the resources folder', () => {
    expect((fake.named('new Tray')[0]!.args[0] as { path: string }).path).toBe(
      path.join(RESOURCES, 'tray', 'tray-light.png'),
    );
  });
});
