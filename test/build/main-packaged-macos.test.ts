/**
 * The BUILT dist/main/main.js started as a packaged app on macOS (process.platform overridden
 * for this file only) against the recording fake `electron`: the application menu is the
 * minimal one macOS needs for Cmd+Q, Cmd+W and copy/paste, set before any window, with DevTools
 * off. Not Electron: the fake's Menu.buildFromTemplate returns the template it was given.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { createFakeElectron, fakeEvent, type FakeElectron } from '../fakes/electron';

const mainJs = path.resolve('dist/main/main.js');
const fake: FakeElectron = createFakeElectron({
  userData: mkdtempSync(path.join(os.tmpdir(), 'qs-packaged-mac-')),
  isPackaged: true,
});

vi.mock('electron', () => ({ ...fake.module, default: fake.module }));

describe('built main.js, packaged, on macOS', () => {
  const argv = process.argv;
  const platform = Object.getOwnPropertyDescriptor(process, 'platform')!;
  const processWithResources = process as NodeJS.Process & { resourcesPath?: string };
  const resourcesPath = processWithResources.resourcesPath;
  beforeAll(async () => {
    if (!existsSync(mainJs)) throw new Error('dist/main/main.js is missing: run `npm run build` first.');
    Object.defineProperty(process, 'platform', { ...platform, value: 'darwin' });
    process.argv = ['/Applications/Quicksend.app/Contents/MacOS/Quicksend'];
    processWithResources.resourcesPath = '/Applications/Quicksend.app/Contents/Resources';
    await import(/* @vite-ignore */ mainJs);
    fake.emitReady();
    await fake.waitFor('BrowserWindow.show');
  });
  afterAll(() => {
    fake.module.app.emit('will-quit', fakeEvent());
    Object.defineProperty(process, 'platform', platform);
    process.argv = argv;
    processWithResources.resourcesPath = resourcesPath;
  });

  test('sets the minimal menu (app menu, File, Edit), once, before any window opens', () => {
    expect(fake.named('Menu.setApplicationMenu').map((c) => c.args[0])).toEqual([
      { template: [{ role: 'appMenu' }, { role: 'fileMenu' }, { role: 'editMenu' }] },
    ]);
    const names = fake.calls.map((c) => c.name);
    expect(names.indexOf('Menu.setApplicationMenu')).toBeLessThan(names.indexOf('new BrowserWindow'));
  });

  test('the main window has DevTools off', () => {
    const window = fake.windows.find((w) => w.url === 'app://quicksend/index.html')!;
    expect(window.options.webPreferences).toMatchObject({ devTools: false, spellcheck: true });
  });
});
