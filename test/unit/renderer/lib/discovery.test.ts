import { expect, test } from 'vitest';
import type { ProviderDiscovery } from '../../../../electron/ipc/contract';
import { discoveryLines, issuerAllowed } from '../../../../renderer/src/lib/discovery';

const full: ProviderDiscovery = {
  issuer: 'https://id.example.com',
  pkceMethods: ['S256'],
  userInfo: true,
  revocation: true,
  refreshTokenGrant: 'advertised',
  offlineAccess: 'advertised',
};

test('a provider that offers everything reads as five good findings', () => {
  const lines = discoveryLines(full);
  expect(lines.map((l) => [l.topic, l.ok])).toEqual([
    ['PKCE', true],
    ['Refresh tokens', true],
    ['Offline access', true],
    ['UserInfo', true],
    ['Revocation', true],
  ]);
  expect(lines[0]!.text).toBe('Supports PKCE with S256 (it lists S256).');
});

test('each missing piece is said in plain words, with what it means for the person', () => {
  const lines = discoveryLines({
    ...full,
    pkceMethods: [],
    userInfo: false,
    revocation: false,
    refreshTokenGrant: 'not-advertised',
    offlineAccess: 'not-published',
  });
  expect(lines.every((l) => !l.ok)).toBe(true);
  expect(lines.map((l) => l.text)).toEqual([
    'Does not say which PKCE methods it supports; Quicksend will use S256, which it may refuse.',
    'Does not list the refresh_token grant: you may have to sign in again whenever access runs out.',
    'Does not list its scopes, so whether it accepts offline_access shows only at sign-in.',
    'Has no UserInfo endpoint: sign-in works only if its ID token carries your verified email address.',
    'Cannot revoke access: removing the account deletes it here only; remove Quicksend at the provider yourself.',
  ]);
  expect(
    discoveryLines({
      ...full,
      refreshTokenGrant: 'not-published',
      offlineAccess: 'not-advertised',
      pkceMethods: ['plain'],
    }).map((l) => l.text),
  ).toEqual([
    'Supports PKCE only with plain; Quicksend needs S256.',
    'Does not list its grant types; if it issues no refresh tokens, you will have to sign in again often.',
    'Does not list the offline_access scope; if sign-in is refused, remove it from Scopes.',
    expect.any(String),
    expect.any(String),
  ]);
});

test('issuers: https always; loopback http only in development', () => {
  expect(issuerAllowed('https://login.example.com', false)).toBe(true);
  expect(issuerAllowed(' https://login.example.com/tenant ', false)).toBe(true);
  expect(issuerAllowed('http://127.0.0.1:4000', false)).toBe(false);
  expect(issuerAllowed('http://127.0.0.1:4000', true)).toBe(true);
  expect(issuerAllowed('http://localhost:4000', true)).toBe(true);
  expect(issuerAllowed('http://[::1]:4000', true)).toBe(true);
  expect(issuerAllowed('http://login.example.com', true)).toBe(false);
  expect(issuerAllowed('http://127.0.0.1.example.com', true)).toBe(false);
  expect(issuerAllowed('login.example.com', true)).toBe(false);
  expect(issuerAllowed('ftp://127.0.0.1', true)).toBe(false);
});
