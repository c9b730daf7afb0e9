/**
 * Hardened BrowserWindow options, from a pure function so a unit test can check each flag.
 * https://www.electronjs.org/docs/latest/tutorial/security
 */
import type { BrowserWindowConstructorOptions } from 'electron';

export const APP_ORIGIN = 'app://quicksend';

export function mainWindowOptions(input: { preloadPath: string; title?: string }): BrowserWindowConstructorOptions {
  return {
    width: 480,
    height: 640,
    minWidth: 420,
    minHeight: 560,
    show: false,
    title: input.title ?? 'Quicksend',
    autoHideMenuBar: true,
    webPreferences: {
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
      // Chromium's spellchecker downloads dictionaries from a third party; off until asked.
      spellcheck: false,
    },
  };
}
