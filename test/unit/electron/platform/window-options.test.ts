import { expect, test } from 'vitest';
import {
  isCloseKey,
  mainWindowOptions,
  QUICK_SEND_URL,
  quickSendWindowOptions,
  spellcheckAllowed,
} from '../../../../electron/platform/window-options';
import { contentSecurityPolicy } from '../../../../electron/platform/csp';

test('the window is hardened', () => {
  const web = mainWindowOptions({ preloadPath: '/app/dist/preload/preload.cjs', packaged: true }).webPreferences!;
  expect(web).toMatchObject({
    preload: '/app/dist/preload/preload.cjs',
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
    devTools: false,
  });
});

test('a packaged build has no DevTools in either window; a development build keeps them', () => {
  for (const packaged of [true, false]) {
    const main = mainWindowOptions({ preloadPath: '/p.cjs', packaged }).webPreferences!;
    const quick = quickSendWindowOptions({ preloadPath: '/p.cjs', packaged }).webPreferences!;
    expect([main.devTools, quick.devTools], `packaged: ${packaged}`).toEqual([!packaged, !packaged]);
  }
});

test('the CSP allows only our own scripts and styles, and no network at all', () => {
  const csp = contentSecurityPolicy();
  const directives = Object.fromEntries(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));
  expect(directives['default-src']).toBe("'none'");
  expect(directives['script-src']).toBe("'self'");
  expect(directives['connect-src']).toBe("'none'");
  expect(directives['object-src']).toBe("'none'");
  expect(directives['frame-ancestors']).toBe("'none'");
  expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
});

test('only the web host variant may fetch from its own origin', () => {
  expect(contentSecurityPolicy({ allowSameOriginFetch: true })).toContain("connect-src 'self'");
});

test('the quick-send window is small, hardened the same way, and placed where asked', () => {
  const options = quickSendWindowOptions({ preloadPath: '/p.cjs', packaged: true, x: 10, y: 20 });
  expect(options).toMatchObject({
    width: 440,
    height: 580,
    x: 10,
    y: 20,
    show: false,
    maximizable: false,
    fullscreenable: false,
    skipTaskbar: false,
  });
  expect(options.webPreferences).toEqual(mainWindowOptions({ preloadPath: '/p.cjs', packaged: true }).webPreferences);
  expect(quickSendWindowOptions({ preloadPath: '/p.cjs', packaged: true })).toMatchObject({ center: true });
  expect(new URL(QUICK_SEND_URL).searchParams.get('window')).toBe('quick-send');
});

test('spellcheck only where no dictionary is downloaded from a third party, unless agreed', () => {
  expect(spellcheckAllowed('darwin')).toBe(true);
  expect(spellcheckAllowed('win32')).toBe(false);
  expect(spellcheckAllowed('linux')).toBe(false);
  expect(spellcheckAllowed('linux', true)).toBe(true);
  expect(mainWindowOptions({ preloadPath: '/p', packaged: true, platform: 'darwin' }).webPreferences!.spellcheck).toBe(
    true,
  );
});

test('Esc without modifiers closes quick send; held keys, IME composition and chords do not', () => {
  expect(isCloseKey({ type: 'keyDown', key: 'Escape' })).toBe(true);
  expect(isCloseKey({ type: 'keyUp', key: 'Escape' })).toBe(false);
  expect(isCloseKey({ type: 'keyDown', key: 'Escape', isAutoRepeat: true })).toBe(false);
  expect(isCloseKey({ type: 'keyDown', key: 'Escape', isComposing: true })).toBe(false);
  expect(isCloseKey({ type: 'keyDown', key: 'Escape', shift: true })).toBe(false);
  expect(isCloseKey({ type: 'keyDown', key: 'Enter' })).toBe(false);
});
