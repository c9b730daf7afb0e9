import { expect, test } from 'vitest';
import { mainWindowOptions } from '../../../../electron/platform/window-options';
import { contentSecurityPolicy } from '../../../../electron/platform/csp';

test('the window is hardened', () => {
  const web = mainWindowOptions({ preloadPath: '/app/dist/preload/preload.cjs' }).webPreferences!;
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
  });
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
