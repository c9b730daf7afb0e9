/**
 * Loads the BUILT dist/main/main.js against a recording fake `electron` and checks what the
 * shell does: start-up sequence, hardening, windows, tray, shortcut, second-instance
 * arguments (never sending anything), Esc and close on quick send, and quitting. This is not
 * Electron: it proves our wiring, not Chromium's behaviour.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { channelNames, type FileInfo } from '../../electron/ipc/contract';
import { PRELOAD_CHANNEL_NAMES } from '../../electron/ipc/names';
import { createFakeElectron, fakeEvent, type FakeElectron } from '../fakes/electron';

const mainJs = path.resolve('dist/main/main.js');
const fake: FakeElectron = createFakeElectron({ userData: mkdtempSync(path.join(os.tmpdir(), 'qs-main-')) });

vi.mock('electron', () => ({ ...fake.module, default: fake.module }));

type Template = Array<{ label?: string; type?: string; checked?: boolean; enabled?: boolean; click?: () => void }>;
const MAIN_URL = 'app://quicksend/index.html';
const QUICK_URL = 'app://quicksend/index.html?window=quick-send';
const windowAt = (url: string) => fake.windows.filter((w) => w.url === url && !w.destroyed).at(-1);
const lastMenu = () => (fake.named('Tray.setContextMenu').at(-1)!.args[0] as { template: Template }).template;
/** A request from a window's page: it listens now, so queued messages go out. */
const requestFrom = async (url: string) => {
  const window = windowAt(url)!;
  return fake.ipcHandlers.get('app:info')!({ sender: window.webContents, senderFrame: { url, parent: null } }, {});
};

describe('built main.js', () => {
  const argv = process.argv;
  beforeAll(async () => {
    if (!existsSync(mainJs)) throw new Error('dist/main/main.js is missing: run `npm run build` first.');
    // As a packaged app started by hand: the executable only.
    process.argv = ['/opt/Quicksend/quicksend'];
    await import(/* @vite-ignore */ mainJs);
    fake.emitReady();
    await fake.waitFor('Tray.setContextMenu');
    await fake.waitFor('BrowserWindow.show');
  });
  afterAll(() => {
    process.argv = argv;
  });

  test('takes the single-instance lock with its exact arguments, registers app:// before ready', () => {
    const names = fake.calls.map((c) => c.name);
    expect(names[0]).toBe('app.requestSingleInstanceLock');
    expect(fake.calls[0]!.args[0]).toEqual({ quicksendHandoff: 1, args: [], cwd: process.cwd() });
    expect(names.indexOf('protocol.registerSchemesAsPrivileged')).toBeLessThan(names.indexOf('app.whenReady'));
    const schemes = fake.named('protocol.registerSchemesAsPrivileged')[0]!.args[0];
    expect(schemes).toEqual([
      expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }),
    ]);
    const appEvents = fake.named('app.on').map((c) => c.args[0]);
    expect(appEvents).toEqual(
      expect.arrayContaining([
        'second-instance',
        'open-url',
        'window-all-closed',
        'web-contents-created',
        'before-quit',
        'will-quit',
      ]),
    );
    // open-url (macOS mailto:) must be registered before ready.
    expect(names.indexOf('app.on')).toBeLessThan(names.indexOf('app.whenReady'));
  });

  test('after ready: permissions decided, app:// served, IPC registered, then window and tray', () => {
    const names = fake.calls.map((c) => c.name);
    expect(names).toContain('session.setPermissionRequestHandler');
    expect(fake.named('protocol.handle')[0]!.args[0]).toBe('app');
    expect(
      fake
        .named('ipcMain.handle')
        .map((c) => c.args[0])
        .sort(),
    ).toEqual([...channelNames, ...PRELOAD_CHANNEL_NAMES].sort());
    expect(names.indexOf('ipcMain.handle')).toBeLessThan(names.indexOf('new BrowserWindow'));
    expect(names.indexOf('new Tray')).toBeLessThan(names.indexOf('new BrowserWindow'));
  });

  test('permissions: only a clipboard write from our page', () => {
    const request = fake.named('session.setPermissionRequestHandler')[0]!.args[0] as (
      wc: unknown,
      p: string,
      cb: (ok: boolean) => void,
      d: { requestingUrl: string },
    ) => void;
    const answers: boolean[] = [];
    request(null, 'media', (ok) => answers.push(ok), { requestingUrl: MAIN_URL });
    request(null, 'clipboard-sanitized-write', (ok) => answers.push(ok), { requestingUrl: MAIN_URL });
    request(null, 'clipboard-sanitized-write', (ok) => answers.push(ok), { requestingUrl: 'https://evil.example/' });
    expect(answers).toEqual([false, true, false]);
    const check = fake.named('session.setPermissionCheckHandler')[0]!.args[0] as (
      wc: unknown,
      p: string,
      origin: string,
    ) => boolean;
    expect(check(null, 'geolocation', 'app://quicksend')).toBe(false);
  });

  test('the main window is hardened, loads the renderer over app:// and opens on a plain launch', () => {
    const window = windowAt(MAIN_URL)!;
    const prefs = window.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      spellcheck: false,
    });
    expect(prefs.preload).toBe(path.resolve('dist/preload/preload.cjs'));
    expect(window.visible).toBe(true);
  });

  test("a development start keeps Electron's default menu and DevTools", () => {
    expect(fake.named('Menu.setApplicationMenu')).toEqual([]);
    expect((windowAt(MAIN_URL)!.options.webPreferences as Record<string, unknown>).devTools).toBe(true);
  });

  test('web contents: window.open denied (https to the browser), navigation blocked, webviews refused', async () => {
    const contents = windowAt(MAIN_URL)!.webContents;
    expect(contents.windowOpenHandler!({ url: 'https://example.com/help' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    const navigate = fakeEvent({ url: 'javascript:alert(1)' });
    contents.emit('will-navigate', navigate);
    expect(navigate.defaultPrevented).toBe(true);
    const webview = fakeEvent();
    contents.emit('will-attach-webview', webview);
    expect(webview.defaultPrevented).toBe(true);
    await vi.waitFor(
      () => expect(fake.named('shell.openExternal').map((c) => c.args[0])).toEqual(['https://example.com/help']),
      { timeout: 10_000 },
    );
  });

  test('the tray: icon, tooltip, and the no-accounts menu', () => {
    expect((fake.named('new Tray')[0]!.args[0] as { path: string }).path).toBe(
      path.resolve('build/tray/tray-light.png'),
    );
    expect(fake.named('Tray.setToolTip').at(-1)!.args[0]).toBe('Quicksend');
    expect(lastMenu().map((i) => (i.type === 'separator' ? '---' : i.label))).toEqual([
      'Add an account…',
      'Quick send…',
      '---',
      'Outbox',
      'Pause sending',
      '---',
      'Start at login',
      'Settings…',
      'Sign out of all accounts…',
      '---',
      'Quit Quicksend',
    ]);
    expect(lastMenu().find((i) => i.label === 'Pause sending')).toMatchObject({ type: 'checkbox', checked: false });
  });

  test('the quick-send shortcut is registered from the settings', () => {
    expect(fake.named('globalShortcut.register')[0]!.args[0]).toBe('CommandOrControl+Shift+M');
  });

  test('IPC from our window is answered; from a foreign page it is refused', async () => {
    const window = windowAt(MAIN_URL)!;
    const handler = fake.ipcHandlers.get('app:info')!;
    const ours = { sender: window.webContents, senderFrame: { url: MAIN_URL, parent: null } };
    expect(await handler(ours, {})).toMatchObject({ ok: true, value: { name: 'Quicksend', version: '0.0.0-test' } });
    const foreign = { sender: window.webContents, senderFrame: { url: 'https://evil.example/', parent: null } };
    expect(await handler(foreign, {})).toMatchObject({ ok: false, error: { code: 'ipc.untrusted_sender' } });
  });

  test('tray items: Settings… asks the main window for its view once the page listens', async () => {
    lastMenu().find((i) => i.label === 'Settings…')!.click!();
    await requestFrom(MAIN_URL);
    expect(windowAt(MAIN_URL)!.webContents.sent).toContainEqual(['view:show', { view: 'settings' }]);
  });

  test('a second launch with --compose hands its exact arguments over and opens quick send prefilled, after the page listens, never sending', async () => {
    const sendBefore = fake.named('webContents.send').length;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'qs-attach-'));
    writeFileSync(path.join(dir, 'report.txt'), 'quarterly report');
    fake.module.app.emit(
      'second-instance',
      fakeEvent(),
      ['/opt/Quicksend/quicksend', '--original-process-start-time=1'],
      '/ignored',
      {
        quicksendHandoff: 1,
        args: [
          '--compose',
          '--to',
          'ada@example.com',
          '--subject',
          'Hi\r\nBcc: x@evil.example',
          '--body',
          'Line 1\nLine 2',
          '--attach',
          'report.txt',
          '--attach',
          'missing-file.txt',
        ],
        cwd: dir,
      },
    );
    await vi.waitFor(() => expect(windowAt(QUICK_URL)).toBeTruthy(), { timeout: 10_000 });
    const quick = windowAt(QUICK_URL)!;
    expect(quick.options).toMatchObject({ width: 440, height: 580 });
    // Not delivered yet: the page has not subscribed.
    expect(quick.webContents.sent).toEqual([]);
    await requestFrom(QUICK_URL);
    const [event, payload] = quick.webContents.sent.at(-1)!;
    expect(event).toBe('compose:open');
    expect(payload).toMatchObject({
      to: ['ada@example.com'],
      cc: [],
      bcc: [],
      subject: 'Hi Bcc: x@evil.example',
      text: 'Line 1\nLine 2',
    });
    // Main checked the files and handed the page file ids, never the paths.
    const attachments = (payload as { attachments: FileInfo[] }).attachments;
    expect(attachments).toEqual([
      { fileId: expect.stringMatching(/^[\w-]{22}$/), name: 'report.txt', sizeBytes: 16, problem: null },
      {
        fileId: expect.stringMatching(/^[\w-]{22}$/),
        name: 'missing-file.txt',
        sizeBytes: 0,
        problem: expect.any(String),
      },
    ]);
    expect(JSON.stringify(payload)).not.toContain(dir);
    // The page can use the id it was given, and only that.
    const describe = fake.ipcHandlers.get('files:describe')!;
    const fromQuick = { sender: quick.webContents, senderFrame: { url: QUICK_URL, parent: null } };
    expect(await describe(fromQuick, { fileIds: [attachments[0]!.fileId] })).toEqual({
      ok: true,
      value: [attachments[0]],
    });
    expect(await describe(fromQuick, { paths: [path.join(dir, 'report.txt')] })).toMatchObject({
      ok: false,
      error: { code: 'files.path_refused' },
    });
    // Main only opened quick send; nothing called mail:send.
    const sentEvents = fake
      .named('webContents.send')
      .slice(sendBefore)
      .map((c) => c.args[0]);
    expect(sentEvents.every((e) => e === 'compose:open' || e === 'view:show')).toBe(true);
  });

  test("the preload's drop channel turns paths into file ids; no window.quicksend method reaches it", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'qs-drop-'));
    writeFileSync(path.join(dir, 'dropped.txt'), 'dropped');
    const quick = windowAt(QUICK_URL)!;
    const fromQuick = { sender: quick.webContents, senderFrame: { url: QUICK_URL, parent: null } };
    const dropped = fake.ipcHandlers.get(PRELOAD_CHANNEL_NAMES[0])!;
    expect(await dropped(fromQuick, { paths: [path.join(dir, 'dropped.txt')] })).toEqual({
      ok: true,
      value: [{ fileId: expect.stringMatching(/^[\w-]{22}$/), name: 'dropped.txt', sizeBytes: 7, problem: null }],
    });
    expect(
      await dropped(
        { sender: quick.webContents, senderFrame: { url: 'https://evil.example/', parent: null } },
        { paths: [path.join(dir, 'dropped.txt')] },
      ),
    ).toMatchObject({ ok: false, error: { code: 'ipc.untrusted_sender' } });
    expect(channelNames).not.toContain(PRELOAD_CHANNEL_NAMES[0]);
  });

  test('a second launch by a mailto: link (argv fallback) prefills and never attaches', async () => {
    fake.module.app.emit(
      'second-instance',
      fakeEvent(),
      [
        '/opt/Quicksend/quicksend',
        '--original-process-start-time=1',
        'mailto:bob@example.com?subject=Yo&attach=/etc/passwd',
      ],
      '/',
      undefined,
    );
    await vi.waitFor(
      () =>
        expect(windowAt(QUICK_URL)?.webContents.sent.at(-1)).toEqual([
          'compose:open',
          { to: ['bob@example.com'], cc: [], bcc: [], subject: 'Yo', text: '', attachments: [] },
        ]),
      { timeout: 10_000 },
    );
  });

  test('macOS open-url with a mailto: link does the same', async () => {
    const event = fakeEvent();
    fake.module.app.emit('open-url', event, 'mailto:carol@example.com?body=hello');
    await vi.waitFor(
      () =>
        expect(windowAt(QUICK_URL)?.webContents.sent.at(-1)).toEqual([
          'compose:open',
          expect.objectContaining({ to: ['carol@example.com'], text: 'hello' }),
        ]),
      { timeout: 10_000 },
    );
    expect(event.defaultPrevented).toBe(true);
  });

  test('in development the quick-send window keeps DevTools too', () => {
    expect((windowAt(QUICK_URL)!.options.webPreferences as Record<string, unknown>).devTools).toBe(true);
  });

  test('Esc hides quick send; its close button hides it too', () => {
    const quick = windowAt(QUICK_URL)!;
    const esc = fakeEvent();
    quick.webContents.emit('before-input-event', esc, { type: 'keyDown', key: 'Escape' });
    expect(esc.defaultPrevented).toBe(true);
    expect(quick.visible).toBe(false);
    quick.show();
    expect(quick.tryClose()).toBe(false);
    expect(quick.visible).toBe(false);
  });

  test('a plain second launch brings the main window forward (reachable without a tray icon)', () => {
    const before = fake.named('BrowserWindow.show').length;
    fake.module.app.emit('second-instance', fakeEvent(), ['/opt/Quicksend/quicksend'], '/', {
      quicksendHandoff: 1,
      args: [],
      cwd: '/',
    });
    expect(fake.named('BrowserWindow.show').length).toBe(before + 1);
  });

  test('a tray click with no account opens the accounts view', async () => {
    fake.trays[0]!.emit('click');
    await vi.waitFor(
      () => expect(windowAt(MAIN_URL)?.webContents.sent.at(-1)).toEqual(['view:show', { view: 'accounts' }]),
      { timeout: 10_000 },
    );
  });

  test('quitting with nothing waiting asks nothing, and then windows really close', () => {
    fake.module.app.emit('before-quit', fakeEvent());
    expect(fake.named('dialog.showMessageBox')).toEqual([]);
    expect(windowAt(QUICK_URL)!.tryClose()).toBe(true);
  });

  test('the shortcut is freed on quit, and the app exits only once the core has shut down', async () => {
    const quit = fakeEvent();
    fake.module.app.emit('will-quit', quit);
    expect(fake.named('globalShortcut.unregister').map((c) => c.args[0])).toContain('CommandOrControl+Shift+M');
    expect(fake.named('globalShortcut.unregisterAll')).toHaveLength(1);
    // The quit is held until dispose resolves (a refresh in flight saves its rotated token).
    expect(quit.defaultPrevented).toBe(true);
    await vi.waitFor(() => expect(fake.named('app.exit')).toHaveLength(1), { timeout: 10_000 });
    // The second will-quit (from app.exit's own shutdown, if any) is not held again.
    const again = fakeEvent();
    fake.module.app.emit('will-quit', again);
    expect(again.defaultPrevented).toBe(false);
  });
});
