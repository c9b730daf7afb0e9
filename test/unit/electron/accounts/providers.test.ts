import { expect, test } from 'vitest';
import { createCore } from '../../../../electron/core';
import { google, microsoft } from '../../../../electron/accounts/providers';
import { createNodePorts } from '../../../support/node-ports';

const sandbox = {
  issuer: 'http://127.0.0.1:1',
  clientId: 'quicksend-sandbox',
  mailScope: 'https://mail.sandbox.test/',
  smtp: { host: '127.0.0.1', port: 2525, security: 'none' as const },
};
const sender = { frameUrl: 'app://quicksend/index.html', isMainFrame: true };

test('the packaged app (no development flag) has no sandbox provider, even when one is passed', async () => {
  const core = await createCore(createNodePorts(), {
    development: false,
    version: '1',
    platform: 'linux',
    senderPolicy: { allowedOrigins: ['app://quicksend'] },
    sandbox,
  });
  const result = await core.router.handle('providers:list', {}, sender);
  expect(result.ok && (result.value as Array<{ id: string }>).map((p) => p.id)).toEqual(['google', 'microsoft']);
  expect(await core.router.handle('accounts:add', { providerId: 'sandbox' }, sender)).toMatchObject({
    ok: false,
    error: { code: 'provider.unknown' },
  });
});

test('a custom provider with an http issuer is refused outside development', async () => {
  const core = await createCore(createNodePorts(), {
    development: false,
    version: '1',
    platform: 'linux',
    senderPolicy: { allowedOrigins: ['app://quicksend'] },
  });
  const result = await core.router.handle(
    'providers:addCustom',
    {
      name: 'Mine',
      issuer: 'http://127.0.0.1:9/',
      clientId: 'c',
      scopes: ['mail'],
      smtp: { host: 'mail.example.com', port: 587, security: 'starttls' },
    },
    sender,
  );
  expect(result).toMatchObject({ ok: false, error: { code: 'provider.insecure_issuer' } });
});

test('adding an account for a provider without a client id explains how to register one', async () => {
  const core = await createCore(createNodePorts(), {
    development: false,
    version: '1',
    platform: 'linux',
    senderPolicy: { allowedOrigins: ['app://quicksend'] },
  });
  const result = await core.router.handle('accounts:add', { providerId: 'google' }, sender);
  expect(result).toMatchObject({
    ok: false,
    error: { code: 'provider.not_configured', hint: expect.stringContaining('http://127.0.0.1/callback') },
  });
});

test('built-in providers carry the documented scopes and SMTP settings', () => {
  expect(google.scopes).toEqual(expect.arrayContaining(['https://mail.google.com/', 'openid', 'email']));
  expect(google.extraAuthorizationParams).toEqual({ access_type: 'offline', prompt: 'consent' });
  expect(google.smtp).toEqual({ host: 'smtp.gmail.com', port: 465, security: 'tls' });
  expect(microsoft.scopes).toEqual(
    expect.arrayContaining(['https://outlook.office.com/SMTP.Send', 'offline_access', 'openid', 'email']),
  );
  expect(microsoft.smtp).toEqual({ host: 'smtp.office365.com', port: 587, security: 'starttls' });
  expect(microsoft.supportsRevocation).toBe(false);
});
