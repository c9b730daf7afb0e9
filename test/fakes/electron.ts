/**
 * A recording stand-in for the `electron` module, for loading the built main.js and
 * preload.cjs (or a platform/ module) in plain Node. It records calls in order so tests can
 * check the start-up sequence and what the shell did; it implements just what our glue (and
 * electron-store) calls. It is not Electron: it proves our wiring, not Chromium's behaviour.
 */
import { EventEmitter } from 'node:events';

export type Recorded = { name: string; args: unknown[] };

/** An Electron-style event: `preventDefault()` is remembered. */
export function fakeEvent<T extends object>(
  extra: T = {} as T,
): T & { preventDefault(): void; defaultPrevented: boolean } {
  const event = {
    ...extra,
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event;
}

export function createFakeElectron(options: {
  userData: string;
  singleInstanceLock?: boolean;
  platform?: NodeJS.Platform;
  isPackaged?: boolean;
}) {
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
  /** Calls recorded under `name`. */
  const named = (name: string) => calls.filter((c) => c.name === name);

  const appEvents = new EventEmitter();
  let readyResolve!: () => void;
  const ready = new Promise<void>((resolve) => (readyResolve = resolve));
  /** The answer the next `dialog.showMessageBox` gives (button index). */
  const dialogAnswers: number[] = [];
  const app = Object.assign(appEvents, {
    isPackaged: options.isPackaged ?? false,
    requestSingleInstanceLock: (data?: unknown) => (
      record('app.requestSingleInstanceLock', data),
      options.singleInstanceLock ?? true
    ),
    whenReady: () => (record('app.whenReady'), ready),
    quit: () => record('app.quit'),
    exit: (code: number) => record('app.exit', code),
    getPath: (name: string) => (name === 'userData' ? options.userData : `/tmp/${name}`),
    getAppPath: () => '/app',
    getVersion: () => '0.0.0-test',
    getName: () => 'Quicksend',
    setAppUserModelId: (id: string) => record('app.setAppUserModelId', id),
    getLoginItemSettings: () => ({ openAtLogin: false, wasOpenedAtLogin: false }),
    setLoginItemSettings: (settings: unknown) => record('app.setLoginItemSettings', settings),
    isDefaultProtocolClient: () => false,
    setAsDefaultProtocolClient: (...args: unknown[]) => (record('app.setAsDefaultProtocolClient', ...args), true),
    removeAsDefaultProtocolClient: (...args: unknown[]) => (record('app.removeAsDefaultProtocolClient', ...args), true),
  });
  const origOn = app.on.bind(app);
  app.on = ((event: string, listener: (...a: unknown[]) => void) => (
    record('app.on', event),
    origOn(event, listener)
  )) as typeof app.on;

  const windows: FakeWindow[] = [];
  class FakeWebContents extends EventEmitter {
    sent: Array<[string, unknown]> = [];
    windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
    send(channel: string, payload: unknown) {
      this.sent.push([channel, payload]);
      record('webContents.send', channel, payload);
    }
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      this.windowOpenHandler = handler;
    }
  }
  class FakeWindow extends EventEmitter {
    static nextId = 1;
    id = FakeWindow.nextId++;
    webContents = new FakeWebContents();
    url = '';
    visible = false;
    destroyed = false;
    position: [number, number] | null = null;
    constructor(public readonly options: Record<string, unknown>) {
      super();
      windows.push(this);
      record('new BrowserWindow', options);
      // Electron announces every new web contents; hardening listens for it.
      app.emit('web-contents-created', fakeEvent(), this.webContents);
    }
    loadURL(url: string) {
      this.url = url;
      record('BrowserWindow.loadURL', url);
      this.webContents.emit('did-start-loading');
      queueMicrotask(() => this.emit('ready-to-show'));
      return Promise.resolve();
    }
    show() {
      this.visible = true;
      record('BrowserWindow.show', this.id);
    }
    hide() {
      this.visible = false;
      record('BrowserWindow.hide', this.id);
    }
    focus() {
      record('BrowserWindow.focus', this.id);
    }
    restore() {}
    setPosition(x: number, y: number) {
      this.position = [x, y];
    }
    isVisible() {
      return this.visible;
    }
    isMinimized() {
      return false;
    }
    isDestroyed() {
      return this.destroyed;
    }
    /** Like a click on the window's close button: returns whether it really closed. */
    tryClose() {
      const event = fakeEvent();
      this.emit('close', event);
      if (!event.defaultPrevented) this.destroyed = true;
      return !event.defaultPrevented;
    }
    static getAllWindows() {
      return windows.filter((w) => !w.destroyed);
    }
    static fromWebContents(wc: unknown) {
      return windows.find((w) => w.webContents === wc) ?? null;
    }
    static fromId(id: number) {
      return windows.find((w) => w.id === id) ?? null;
    }
  }
  class FakeTray extends EventEmitter {
    menu: unknown;
    constructor(public readonly image: unknown) {
      super();
      record('new Tray', image);
    }
    setToolTip(text: string) {
      record('Tray.setToolTip', text);
    }
    setContextMenu(menu: unknown) {
      this.menu = menu;
      record('Tray.setContextMenu', menu);
    }
    popUpContextMenu(menu: unknown) {
      record('Tray.popUpContextMenu', menu);
    }
    setImage(image: unknown) {
      record('Tray.setImage', image);
    }
    getBounds() {
      return { x: 0, y: 0, width: 0, height: 0 };
    }
    destroy() {
      record('Tray.destroy');
    }
  }
  const trays: FakeTray[] = [];
  const ipcHandlers = new Map<string, (...args: unknown[]) => unknown>();
  const workArea = { x: 0, y: 0, width: 1920, height: 1080 };
  const module = {
    app,
    BrowserWindow: FakeWindow,
    Tray: class extends FakeTray {
      constructor(image: unknown) {
        super(image);
        trays.push(this);
      }
    },
    Menu: {
      buildFromTemplate: (template: unknown[]) => ({ template }),
      setApplicationMenu: (menu: unknown) => record('Menu.setApplicationMenu', menu),
    },
    nativeImage: { createFromPath: (p: string) => ({ path: p, setTemplateImage: () => {} }) },
    nativeTheme: Object.assign(new EventEmitter(), {
      shouldUseDarkColors: false,
      shouldUseDarkColorsForSystemIntegratedUI: false,
    }),
    screen: {
      getCursorScreenPoint: () => ({ x: 10, y: 10 }),
      getDisplayNearestPoint: () => ({ workArea }),
      getDisplayMatching: () => ({ workArea }),
    },
    globalShortcut: {
      register: (accelerator: string, callback: () => void) => (
        record('globalShortcut.register', accelerator, callback),
        true
      ),
      unregister: (accelerator: string) => record('globalShortcut.unregister', accelerator),
      unregisterAll: () => record('globalShortcut.unregisterAll'),
    },
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
      handle: (channel: string, handler: (...args: unknown[]) => unknown) => (
        ipcHandlers.set(channel, handler),
        record('ipcMain.handle', channel)
      ),
      removeHandler: (channel: string) => ipcHandlers.delete(channel),
    }),
    shell: { openExternal: async (url: string) => record('shell.openExternal', url), openPath: async () => '' },
    safeStorage: {
      isAsyncEncryptionAvailable: async () => true,
      getSelectedStorageBackend: () => 'gnome_libsecret',
      encryptStringAsync: async (s: string) => Buffer.from(s, 'utf8').reverse(),
      decryptStringAsync: async (b: Buffer) => ({
        result: Buffer.from(b).reverse().toString('utf8'),
        shouldReEncrypt: false,
      }),
    },
    net: { isOnline: () => true, fetch: globalThis.fetch },
    Notification: class extends EventEmitter {
      static isSupported() {
        return true;
      }
      constructor(public readonly options: unknown) {
        super();
        record('new Notification', options);
      }
      show() {
        record('Notification.show', this);
      }
    },
    powerMonitor: new EventEmitter(),
    dialog: {
      showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
      showMessageBox: async (...args: unknown[]) => (
        record('dialog.showMessageBox', args.at(-1)),
        { response: dialogAnswers.shift() ?? 0, checkboxChecked: false }
      ),
    },
  };
  return {
    module,
    calls,
    named,
    waitFor,
    windows,
    trays,
    ipcHandlers,
    dialogAnswers,
    /** Fires app 'ready'. */
    emitReady: () => readyResolve(),
  };
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;
