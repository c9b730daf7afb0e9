import { expect, test } from 'vitest';
import { HELP_LINKS, type ExternalUrlPolicy } from '../../../../electron/shell/external-url';
import { navigationDecision, permissionDecision, windowOpenDecision } from '../../../../electron/shell/web-policy';

const policy: ExternalUrlPolicy = { isSignInUrl: () => false, helpLinks: HELP_LINKS };

test('navigation is always refused; an https link goes to the browser instead', () => {
  expect(navigationDecision('https://example.com/help', policy)).toEqual({
    allow: false,
    openExternally: 'https://example.com/help',
  });
  expect(navigationDecision('app://quicksend/other.html', policy)).toEqual({ allow: false, openExternally: null });
  for (const url of [
    'http://example.com/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'https://a:b@example.com/',
    'garbage',
  ]) {
    expect(navigationDecision(url, policy)).toEqual({ allow: false, openExternally: null });
  }
});

test('window.open never makes a window', () => {
  expect(windowOpenDecision('https://example.com/', policy)).toEqual({
    action: 'deny',
    openExternally: 'https://example.com/',
  });
  expect(windowOpenDecision('about:blank', policy)).toEqual({ action: 'deny', openExternally: null });
  expect(windowOpenDecision('app://quicksend/index.html', policy)).toEqual({ action: 'deny', openExternally: null });
});

test('only our page may write text to the clipboard; every other permission is refused', () => {
  expect(permissionDecision('clipboard-sanitized-write', 'app://quicksend/index.html')).toBe(true);
  expect(permissionDecision('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
  expect(permissionDecision('clipboard-sanitized-write', undefined)).toBe(false);
  for (const permission of [
    'clipboard-read',
    'media',
    'geolocation',
    'notifications',
    'openExternal',
    'fileSystem',
    'hid',
    'serial',
    'usb',
    'pointerLock',
    'fullscreen',
  ]) {
    expect(permissionDecision(permission, 'app://quicksend/index.html')).toBe(false);
  }
});
