import { describe, expect, test, vi } from 'vitest';
import {
  checkExternalUrl,
  createCheckedLauncher,
  HELP_LINKS,
  MAX_EXTERNAL_URL_LENGTH,
  type ExternalUrlPolicy,
} from '../../../../electron/shell/external-url';
import { createSignInUrlRegistry, MAX_REMEMBERED_SIGN_IN_URLS } from '../../../../electron/shell/sign-in-urls';

const signIn = 'http://127.0.0.1:4444/auth?client_id=quicksend-sandbox&state=abc&code_challenge=xyz';
const policy: ExternalUrlPolicy = { isSignInUrl: (href) => href === signIn, helpLinks: HELP_LINKS };

describe('checkExternalUrl', () => {
  test.each([
    'https://example.com/',
    'https://accounts.google.com/o/oauth2/v2/auth?x=1',
    'https://xn--bcher-kva.example/path#frag',
  ])('allows https: %s', (url) => {
    expect(checkExternalUrl(url, policy)).toEqual({ allowed: true, href: new URL(url).href });
  });

  test('allows the exact sign-in URL main built, even over http in development', () => {
    expect(checkExternalUrl(signIn, policy)).toMatchObject({ allowed: true });
    expect(checkExternalUrl(signIn + '&extra=1', policy)).toMatchObject({ allowed: false });
    expect(checkExternalUrl('http://127.0.0.1:4444/auth', policy)).toMatchObject({ allowed: false });
  });

  test('allows the fixed help links', () => {
    for (const link of HELP_LINKS) expect(checkExternalUrl(link, policy)).toMatchObject({ allowed: true });
  });

  test.each([
    'http://example.com/',
    'file:///etc/passwd',
    'file://server/share/x.exe',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'smb://server/share',
    'ms-settings:privacy',
    'vscode://file/etc/passwd',
    'mailto:a@example.com',
    'app://quicksend/index.html',
    'https://user:pass@example.com/',
    'https://accounts.google.com@evil.example/',
    'not a url',
    '',
    'https://',
  ])('refuses %s', (url) => {
    expect(checkExternalUrl(url, policy).allowed).toBe(false);
  });

  test('refuses non-strings and over-long URLs', () => {
    expect(checkExternalUrl(undefined, policy).allowed).toBe(false);
    expect(checkExternalUrl(`https://example.com/${'a'.repeat(MAX_EXTERNAL_URL_LENGTH)}`, policy)).toEqual({
      allowed: false,
      reason: 'too long',
    });
  });

  test('a sign-in URL with a non-web scheme is refused even if remembered', () => {
    const odd = 'file:///tmp/x';
    expect(checkExternalUrl(odd, { isSignInUrl: () => true, helpLinks: [] }).allowed).toBe(false);
  });
});

describe('createCheckedLauncher', () => {
  test('passes allowed URLs (normalised) and refuses the rest without calling open', async () => {
    const open = vi.fn(async () => {});
    const refused = vi.fn();
    const launcher = createCheckedLauncher(open, policy, refused);
    await launcher.open('https://EXAMPLE.com/a b');
    expect(open).toHaveBeenCalledWith('https://example.com/a%20b');
    await expect(launcher.open('file:///etc/passwd')).rejects.toMatchObject({ code: 'shell.url_refused' });
    expect(open).toHaveBeenCalledTimes(1);
    expect(refused).toHaveBeenCalledWith('scheme file: is not opened');
  });
});

describe('sign-in URL registry', () => {
  test('remembers the URL while the sign-in runs and forgets it when it ends', () => {
    const registry = createSignInUrlRegistry();
    registry.onProgress({ providerId: 'google', stage: 'opening-browser', signInUrl: signIn });
    expect(registry.has(signIn)).toBe(true);
    registry.onProgress({ providerId: 'google', stage: 'waiting-for-browser', signInUrl: signIn });
    registry.onProgress({ providerId: 'google', stage: 'exchanging' });
    expect(registry.has(signIn)).toBe(true);
    registry.onProgress({ providerId: 'google', stage: 'done' });
    expect(registry.has(signIn)).toBe(false);
  });

  test.each(['cancelled', 'superseded', 'failed', 'timed-out'] as const)('forgets on %s', (stage) => {
    const registry = createSignInUrlRegistry();
    registry.onProgress({ providerId: 'p', stage: 'opening-browser', signInUrl: signIn });
    registry.onProgress({ providerId: 'p', stage });
    expect(registry.has(signIn)).toBe(false);
  });

  test('a newer sign-in for the same provider replaces the URL; the number kept is bounded', () => {
    const registry = createSignInUrlRegistry();
    registry.onProgress({ providerId: 'p', stage: 'opening-browser', signInUrl: 'https://a.example/1' });
    registry.onProgress({ providerId: 'p', stage: 'opening-browser', signInUrl: 'https://a.example/2' });
    expect(registry.has('https://a.example/1')).toBe(false);
    for (let i = 0; i < MAX_REMEMBERED_SIGN_IN_URLS + 3; i++)
      registry.onProgress({ providerId: `p${i}`, stage: 'opening-browser', signInUrl: `https://b.example/${i}` });
    expect(registry.has('https://b.example/0')).toBe(false);
    expect(registry.has(`https://b.example/${MAX_REMEMBERED_SIGN_IN_URLS + 2}`)).toBe(true);
  });
});
