/**
 * A recording stand-in for the `electron` module, for loading the built main.js and
 * preload.cjs in plain Node. It records calls in order so tests can check the start-up
 * sequence; it implements just what our glue (and electron-store) calls.
 */
import { EventEmitter } from 'node:events';

export type Recorded = { name: string; args: unknown[] };

export function createFakeElectron(options: { userData: string; singleInstanceLock?: boolean }) {
  const calls: Recorded[] = [];
  const waiters: Array<{ name: string; resolve: (r: Recorded) => void }> = [];
  const record = (name: string, ...args: unknown[]) => {
    const entry = { name, args };
    calls.push(entry);
    for (const w of waiters.filter((w) => w.name === name)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(entry);
    }
  };
  /** Resolves when `name` has been (or already was) recorded. */
  const waitFor = (name: string) =>
    new Promise<Recorded>((resolve) => {
      const done = calls.find((c) => c.name === name);
      if (done) resolve(done);
      else waiters.push({ name, resolve });
    });

  const appEvents = new EventEmitter();
  let readyResolve!: () => void;
  const ready = new Promise<void>((resolve) => (readyResolve = resolve));
  const app = Object.assign(appEvents, {
    isPackaged: false,
    requestSingleInstanceLock: () => (record('app.requestSingleInstanceLock'), options.singleInstanceLock ?? true),
    whenReady: () => (record('app.whenReady'), ready),
    quit: () => record('app.quit'),
    exit: (code: number) => record('app.exit', code),
    getPath: (name: string) => (name === 'userData' ? options.userData : `/tmp/${name}`),
    getVersion: () => '0.0.0-test',
    getName: () => 'Quicksend',
  });
  const origOn = app.on.bind(app);
  app.on = ((event: string, listener: (...a: unknown[]) => void) => (record('app.on', event), origOn(event, listener))) as typeof app.on;

  const windows: FakeWindow[] = [];
  class FakeWebContents extends EventEmitter {
    sent: Array<[string, unknown]> = [];
    send(channel: string, payload: unknown) {
      this.sent.push([channel, payload]);
    }
  }
  class FakeWindow extends EventEmitter {
    static nextId = 1;
    id = FakeWindow.nextId++;
    webContents = new FakeWebContents();
    url = '';
    visible = false;
    constructor(public readonly options: Record<string, unknown>) {
      super();
      windows.push(this);
      record('new BrowserWindow', options);
    }
    loadURL(url: string) {
      this.url = url;
      record('BrowserWindow.loadURL', url);
      queueMicrotask(() => this.emit('ready-to-show'));
      return Promise.resolve();
    }
    show() { this.visible = true; record('BrowserWindow.show'); }
    focus() { record('BrowserWindow.focus'); }
    restore() {}
    isMinimized() { return false; }
    isDestroyed() { return false; }
    static getAllWindows() { return windows; }
    static fromWebContents(wc: unknown) { return windows.find((w) => w.webContents === wc) ?? null; }
    static fromId(id: number) { return windows.find((w) => w.id === id) ?? null; }
  }
  class FakeTray extends EventEmitter {
    menu: unknown;
    constructor(public readonly image: unknown) { super(); record('new Tray', image); }
    setToolTip(text: string) { record('Tray.setToolTip', text); }
    setContextMenu(menu: unknown) { this.menu = menu; record('Tray.setContextMenu', menu); }
  }
  const ipcHandlers = new Map<string, (...args: unknown[]) => unknown>();
  const module = {
    app,
    BrowserWindow: FakeWindow,
    Tray: FakeTray,
    Menu: { buildFromTemplate: (template: unknown[]) => ({ template }) },
    nativeImage: { createFromPath: (p: string) => ({ path: p, setTemplateImage: () => {} }) },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown) => record('protocol.registerSchemesAsPrivileged', schemes),
      handle: (scheme: string, handler: unknown) => record('protocol.handle', scheme, handler),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: unknown) => record('session.setPermissionRequestHandler', h),
        setPermissionCheckHandler: (h: unknown) => record('session.setPermissionCheckHandler', h),
      },
    },
    ipcMain: Object.assign(new EventEmitter(), {
      handle: (channel: string, handler: (...args: unknown[]) => unknown) => (ipcHandlers.set(channel, handler), record('ipcMain.handle', channel)),
      removeHandler: (channel: string) => ipcHandlers.delete(channel),
    }),
    shell: { openExternal: async (url: string) => record('shell.openExternal', url), openPath: async () => '' },
    safeStorage: {
      isAsyncEncryptionAvailable: async () => true,
      getSelectedStorageBackend: () => 'gnome_libsecret',
      encryptStringAsync: async (s: string) => Buffer.from(s, 'utf8').reverse(),
      decryptStringAsync: async (b: Buffer) => ({ result: Buffer.from(b).reverse().toString('utf8'), shouldReEncrypt: false }),
    },
    net: { isOnline: () => true, fetch: globalThis.fetch },
    Notification: class { show() {} },
    powerMonitor: new EventEmitter(),
    dialog: { showOpenDialog: async () => ({ canceled: true, filePaths: [] }) },
  };
  return {
    module,
    calls,
    waitFor,
    windows,
    ipcHandlers,
    /** Fires app 'ready'. */
    emitReady: () => readyResolve(),
  };
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;
