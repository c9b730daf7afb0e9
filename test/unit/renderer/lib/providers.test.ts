import { expect, test } from 'vitest';
import { consentLines, keyStoreName, sortProviders } from '../../../../renderer/src/lib/providers';
import { provider } from '../../../fakes/fake-api';

const info = {
  name: 'Quicksend' as const,
  version: '1',
  platform: 'linux',
  development: false,
  dataDirectory: 'ready' as const,
  keyStore: 'gnome_libsecret',
};

test('providers: Google, Microsoft, custom by name, sandbox last', () => {
  const list = [
    provider({ id: 's', kind: 'sandbox', name: 'Sandbox' }),
    provider({ id: 'z', kind: 'custom', name: 'Zeta' }),
    provider({ id: 'm', kind: 'microsoft', name: 'Microsoft' }),
    provider({ id: 'a', kind: 'custom', name: 'Alpha' }),
    provider(),
  ];
  expect(sortProviders(list).map((p) => p.id)).toEqual(['google', 'm', 'a', 'z', 's']);
});

test('the consent line names the access and where the token is kept', () => {
  const lines = consentLines(provider(), info, false);
  expect(lines.access).toMatch(/send mail as you/);
  expect(lines.access).toMatch(/never sees your password/);
  expect(lines.storage).toMatch(/GNOME keyring/);
  expect(consentLines(provider(), { ...info, keyStore: 'basic_text' }, false).storage).toMatch(/this session only/);
  expect(consentLines(provider(), { ...info, keyStore: 'basic_text' }, true).storage).toMatch(/file permissions/);
  expect(keyStoreName({ ...info, platform: 'darwin' })).toBe('the macOS Keychain');
});
