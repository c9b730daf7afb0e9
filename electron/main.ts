/**
 * Composition root of the Electron main process: single-instance lock, ports, core, IPC,
 * protocol, window and tray. Every decision lives in a tested module; this file only wires.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow } from 'electron';
import { createCore } from './core';
import { createAppSenderPolicy } from './ipc/app-sender-policy';
import { registerAppScheme, serveRenderer } from './platform/app-protocol';
import { hardenWebContents } from './platform/hardening';
import { registerIpc } from './platform/ipc-main';
import { createElectronPorts } from './platform/ports';
import { createTray } from './platform/tray';
import { APP_ORIGIN, mainWindowOptions } from './platform/window-options';

const here = path.dirname(fileURLToPath(import.meta.url));
const distRoot = path.resolve(here, '..');
const buildRoot = app.isPackaged ? process.resourcesPath : path.resolve(distRoot, '..', 'build');
let mainWindow: BrowserWindow | null = null;

function showWindow(): void {
  if (!mainWindow || mainWindow.isDestroyed()) {
    mainWindow = new BrowserWindow(mainWindowOptions({ preloadPath: path.join(distRoot, 'preload', 'preload.cjs') }));
    mainWindow.once('ready-to-show', () => mainWindow?.show());
    void mainWindow.loadURL(`${APP_ORIGIN}/index.html`);
  } else {
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  }
}

async function onReady(): Promise<void> {
  hardenWebContents();
  serveRenderer(path.join(distRoot, 'renderer'));
  const core = await createCore(createElectronPorts(), {
    development: false,
    version: app.getVersion(),
    platform: process.platform,
    senderPolicy: createAppSenderPolicy((id) => BrowserWindow.fromId(id) !== null),
  });
  registerIpc(core);
  createTray(path.join(buildRoot, 'tray', process.platform === 'darwin' ? 'trayTemplate.png' : 'tray-light.png'), { windowVisible: false }, {
    open: showWindow,
    quit: () => app.quit(),
  });
  showWindow();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
  // A second launch brings the running instance forward instead of starting another.
  app.on('second-instance', showWindow);
  // A tray app keeps running with no window open.
  app.on('window-all-closed', () => {});
  app.whenReady().then(onReady, (error: unknown) => {
    console.error('Quicksend failed to start', error);
    app.exit(1);
  });
}
