import { expect, test } from 'vitest';
import { createCore } from '../../../../electron/core';
import { authorizationParams, google, microsoft, sandboxProvider, type ProviderDefinition } from '../../../../electron/accounts/providers';
import { createNodePorts } from '../../../support/node-ports';

const sandbox = { issuer: 'http://127.0.0.1:1', clientId: 'quicksend-sandbox', mailScope: 'https://mail.sandbox.test/', smtp: { host: '127.0.0.1', port: 2525, security: 'none' as const } };
const sender = { frameUrl: 'app://quicksend/index.html', isMainFrame: true };

test('the packaged app (no development flag) has no sandbox provider, even when one is passed', async () => {
  const core = await createCore(createNodePorts(), { development: false, version: '1', platform: 'linux', senderPolicy: { allowedOrigins: ['app://quicksend'] }, sandbox });
  const result = await core.router.handle('providers:list', {}, sender);
  expect(result.ok && (result.value as Array<{ id: string }>).map((p) => p.id)).toEqual(['google', 'microsoft']);
  expect(await core.router.handle('accounts:add', { providerId: 'sandbox' }, sender)).toMatchObject({ ok: false, error: { code: 'provider.unknown' } });
});

test('a custom provider with an http issuer is refused outside development', async () => {
  const core = await createCore(createNodePorts(), { development: false, version: '1', platform: 'linux', senderPolicy: { allowedOrigins: ['app://quicksend'] } });
  const result = await core.router.handle('providers:addCustom', {
    name: 'Mine', issuer: 'http://127.0.0.1:9/', clientId: 'c', scopes: ['mail'], smtp: { host: 'mail.example.com', port: 587, security: 'starttls' },
  }, sender);
  expect(result).toMatchObject({ ok: false, error: { code: 'provider.insecure_issuer' } });
});

test('adding an account for a provider without a client id explains how to register one', async () => {
  const core = await createCore(createNodePorts(), { development: false, version: '1', platform: 'linux', senderPolicy: { allowedOrigins: ['app://quicksend'] } });
  const result = await core.router.handle('accounts:add', { providerId: 'google' }, sender);
  expect(result).toMatchObject({ ok: false, error: { code: 'provider.not_configured', hint: expect.stringContaining('http://127.0.0.1/callback') } });
});

test('built-in providers carry the documented scopes and SMTP settings', () => {
  expect(google.scopes).toEqual(expect.arrayContaining(['https://mail.google.com/', 'openid', 'email']));
  expect(google.extraAuthorizationParams).toEqual({ access_type: 'offline', prompt: 'consent' });
  expect(google.smtp).toEqual({ host: 'smtp.gmail.com', port: 465, security: 'tls' });
  expect(microsoft.scopes).toEqual(expect.arrayContaining(['https://outlook.office.com/SMTP.Send', 'offline_access', 'openid', 'email']));
  expect(microsoft.smtp).toEqual({ host: 'smtp.office365.com', port: 587, security: 'starttls' });
  expect(microsoft.supportsRevocation).toBe(false);
});

test('standard-following providers get prompt=consent whenever they ask for offline_access (OIDC Core 11); presets keep theirs', () => {
  const custom = (scopes: string[], extra: Record<string, string> = {}): ProviderDefinition => ({ ...google, id: 'custom-1', kind: 'custom', scopes, extraAuthorizationParams: extra });
  expect(authorizationParams(custom(['openid', 'email', 'offline_access']))).toEqual({ prompt: 'consent' });
  expect(authorizationParams(custom(['openid', 'email']))).toEqual({});
  // A stored entry's own prompt (older versions took any key) is dropped; allowed extras stay.
  expect(authorizationParams(custom(['openid', 'offline_access'], { prompt: 'login' }))).toEqual({ prompt: 'consent' });
  expect(authorizationParams(custom(['openid', 'offline_access'], { prompt: 'none', ui_locales: 'de', state: 'x' }))).toEqual({ prompt: 'consent', ui_locales: 'de' });
  // The sandbox no longer hard-codes it: the same rule gives it.
  const sandboxPreset = sandboxProvider({ issuer: sandbox.issuer, smtp: sandbox.smtp, mailScope: sandbox.mailScope });
  expect(sandboxPreset.extraAuthorizationParams).toEqual({});
  expect(authorizationParams(sandboxPreset)).toEqual({ prompt: 'consent' });
  expect(authorizationParams(google)).toEqual({ access_type: 'offline', prompt: 'consent' });
  // Forcing consent would block tenants where users may not consent themselves.
  expect(authorizationParams(microsoft)).toEqual({ prompt: 'select_account' });
});
