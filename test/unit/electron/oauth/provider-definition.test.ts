/**
 * A provider as data: the authorization parameters each kind gets, and the schema a stored
 * custom provider must meet before it is used.
 */
import { describe, expect, test } from 'vitest';
import { google, microsoft, sandboxProvider } from '../../../../electron/accounts/providers';
import {
  authorizationParams,
  providerDefinitionSchema,
  type ProviderDefinition,
} from '../../../../electron/oauth/provider-definition';

const sandbox = {
  issuer: 'http://127.0.0.1:1',
  mailScope: 'https://mail.sandbox.test/',
  smtp: { host: '127.0.0.1', port: 2525, security: 'none' as const },
};

test('standard-following providers get prompt=consent whenever they ask for offline_access (OIDC Core 11); presets keep theirs', () => {
  const custom = (scopes: string[], extra: Record<string, string> = {}): ProviderDefinition => ({
    ...google,
    id: 'custom-1',
    kind: 'custom',
    scopes,
    extraAuthorizationParams: extra,
  });
  expect(authorizationParams(custom(['openid', 'email', 'offline_access']))).toEqual({ prompt: 'consent' });
  expect(authorizationParams(custom(['openid', 'email']))).toEqual({});
  // A stored entry's own prompt (older versions took any key) is dropped; allowed extras stay.
  expect(authorizationParams(custom(['openid', 'offline_access'], { prompt: 'login' }))).toEqual({ prompt: 'consent' });
  expect(
    authorizationParams(custom(['openid', 'offline_access'], { prompt: 'none', ui_locales: 'de', state: 'x' })),
  ).toEqual({ prompt: 'consent', ui_locales: 'de' });
  // The sandbox no longer hard-codes it: the same rule gives it.
  const sandboxPreset = sandboxProvider({ issuer: sandbox.issuer, smtp: sandbox.smtp, mailScope: sandbox.mailScope });
  expect(sandboxPreset.extraAuthorizationParams).toEqual({});
  expect(authorizationParams(sandboxPreset)).toEqual({ prompt: 'consent' });
  expect(authorizationParams(google)).toEqual({ access_type: 'offline', prompt: 'consent' });
  // Forcing consent would block tenants where users may not consent themselves.
  expect(authorizationParams(microsoft)).toEqual({ prompt: 'select_account' });
});

describe('a stored custom provider', () => {
  const stored: ProviderDefinition = {
    id: 'custom-1a2b3c4d',
    kind: 'custom',
    name: 'Work',
    issuer: 'https://login.example.org',
    scopes: ['openid', 'email', 'offline_access', 'mail'],
    requiredScopes: ['mail'],
    extraAuthorizationParams: { hd: 'example.org' },
    smtp: { host: 'smtp.example.org', port: 587, security: 'starttls', extraCa: 'PEM' },
    attachmentLimitBytes: 25 * 1024 * 1024,
    supportsRevocation: true,
    needsClientSecret: false,
    helpUrl: 'https://login.example.org',
  };
  // Through JSON, as the settings file gives it back.
  const fromDisk = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

  test('is read back exactly as it was saved, the presets too', () => {
    expect(providerDefinitionSchema.parse(fromDisk(stored))).toEqual(stored);
    for (const preset of [google, microsoft, sandboxProvider(sandbox)])
      expect(providerDefinitionSchema.parse(fromDisk(preset))).toEqual(preset);
  });

  test('keeps extra parameters of any name, as older versions stored them (the allow-list applies on use)', () => {
    const older = providerDefinitionSchema.parse(
      fromDisk({ ...stored, extraAuthorizationParams: { prompt: 'login', hd: 'example.org' } }),
    );
    expect(older.extraAuthorizationParams).toEqual({ prompt: 'login', hd: 'example.org' });
    expect(authorizationParams(older)).toEqual({ hd: 'example.org', prompt: 'consent' });
  });

  test.each([
    ['without an issuer', { ...stored, issuer: undefined }],
    ['with scopes that are not a list', { ...stored, scopes: 'openid email' }],
    ['with an unknown kind', { ...stored, kind: 'other' }],
    ['with an SMTP port out of range', { ...stored, smtp: { ...stored.smtp, port: 70000 } }],
    ['with an unknown SMTP security', { ...stored, smtp: { ...stored.smtp, security: 'ssl' } }],
    ['with a non-text extra parameter', { ...stored, extraAuthorizationParams: { hd: 1 } }],
    ['that is not an object', 'custom-1'],
  ])('is refused %s', (_name, value) => {
    expect(providerDefinitionSchema.safeParse(fromDisk(value)).success).toBe(false);
  });
});
