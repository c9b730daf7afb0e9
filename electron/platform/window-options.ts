/**
 * Hardened BrowserWindow options for our two windows (the main accounts/settings window and
 * the small quick-send window), from pure functions so a unit test can check each flag.
 * https://www.electronjs.org/docs/latest/tutorial/security
 */
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';
import { APP_ORIGIN } from '../ipc/app-origin';

/** Where each window loads; the `window` query lets the renderer tell them apart. */
export const MAIN_WINDOW_URL = `${APP_ORIGIN}/index.html`;
export const QUICK_SEND_URL = `${APP_ORIGIN}/index.html?window=quick-send`;

export const QUICK_SEND_SIZE = Object.freeze({ width: 440, height: 580 });

/**
 * Spellchecking without a third party: macOS uses the OS checker; on Windows and Linux
 * Chromium downloads Hunspell dictionaries from Google's CDN, so only if the person agreed.
 * https://www.electronjs.org/docs/latest/tutorial/spellchecker
 */
export function spellcheckAllowed(platform: string, personAgreedToDownload = false): boolean {
  return platform === 'darwin' || personAgreedToDownload;
}

/** Facts every window's options depend on; `packaged` is `app.isPackaged`, passed in by the shell. */
export type WindowFacts = { preloadPath: string; packaged: boolean; platform?: string };

/**
 * Web preferences of both windows. DevTools exist only in development: in a packaged build
 * `devTools: false` makes `openDevTools()` and every shortcut to it a no-op (the shortcuts
 * themselves live in Electron's default menu, which packaged builds remove: app-menu.ts).
 */
export function hardenedWebPreferences(input: WindowFacts & { spellcheckDownloadAgreed?: boolean }): WebPreferences {
  return {
    devTools: !input.packaged,
    preload: input.preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    experimentalFeatures: false,
    spellcheck: spellcheckAllowed(input.platform ?? 'linux', input.spellcheckDownloadAgreed),
  };
}

/** The accounts/outbox/settings window. */
export function mainWindowOptions(input: WindowFacts & { title?: string }): BrowserWindowConstructorOptions {
  return {
    width: 480,
    height: 640,
    minWidth: 420,
    minHeight: 560,
    show: false,
    title: input.title ?? 'Quicksend',
    autoHideMenuBar: true,
    webPreferences: hardenedWebPreferences(input),
  };
}

/** The small quick-send window, placed near the tray by the caller (x, y). */
export function quickSendWindowOptions(
  input: WindowFacts & { x?: number; y?: number },
): BrowserWindowConstructorOptions {
  return {
    width: QUICK_SEND_SIZE.width,
    height: QUICK_SEND_SIZE.height,
    minWidth: 380,
    minHeight: 480,
    ...(input.x !== undefined && input.y !== undefined ? { x: input.x, y: input.y } : { center: true }),
    show: false,
    title: 'Quick send — Quicksend',
    autoHideMenuBar: true,
    maximizable: false,
    fullscreenable: false,
    // It stays in the taskbar / Alt+Tab so keyboard users can always get back to it.
    skipTaskbar: false,
    webPreferences: hardenedWebPreferences(input),
  };
}

/** Esc (no modifiers, not a held key) in the quick-send window closes it. */
export function isCloseKey(input: {
  type: string;
  key: string;
  control?: boolean;
  alt?: boolean;
  meta?: boolean;
  shift?: boolean;
  isAutoRepeat?: boolean;
  isComposing?: boolean;
}): boolean {
  return (
    input.type === 'keyDown' &&
    input.key === 'Escape' &&
    !input.control &&
    !input.alt &&
    !input.meta &&
    !input.shift &&
    !input.isAutoRepeat &&
    !input.isComposing
  );
}
