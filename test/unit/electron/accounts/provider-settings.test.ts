/**
 * Client ids and custom providers at rest: entries that cannot be read are left out (a stored
 * client id falls back to none), the others keep working, and writes keep the damaged entries.
 */
import { describe, expect, test } from 'vitest';
import { createProviderSettings } from '../../../../electron/accounts/provider-settings';
import type { ProviderDefinition } from '../../../../electron/oauth/provider-definition';
import { createMemoryStore } from '../../../fakes/memory-store';
import { memoryLogger } from '../../../fakes/logger';

const work: ProviderDefinition = {
  id: 'custom-0a0b0c0d',
  kind: 'custom',
  name: 'Work',
  issuer: 'https://login.example.org',
  scopes: ['openid', 'email', 'mail'],
  requiredScopes: ['mail'],
  extraAuthorizationParams: {},
  smtp: { host: 'smtp.example.org', port: 587, security: 'starttls' },
  attachmentLimitBytes: 1024,
  supportsRevocation: false,
  needsClientSecret: false,
  helpUrl: 'https://login.example.org',
};

describe('provider settings', () => {
  test('a custom provider that cannot be read is left out, the others are listed, and adding one keeps it in the file', () => {
    const damaged = { ...work, id: 'custom-damaged', smtp: { host: 'smtp.example.org' } };
    const store = createMemoryStore({ 'providers.custom': [damaged, work] });
    const { logger, records } = memoryLogger();
    const settings = createProviderSettings(store, logger);
    expect(settings.customProviders()).toEqual([work]);
    const added = { ...work, id: 'custom-1a1b1c1d', name: 'Home' };
    settings.addCustomProvider(added);
    expect(settings.customProviders()).toEqual([work, added]);
    expect(store.get('providers.custom')).toEqual([damaged, work, added]);
    expect(records.filter((r) => r.message === 'left out custom providers that cannot be read')).toHaveLength(1);
  });

  test('client ids: readable ones are used, damaged or missing ones read as none, and a write keeps the others', () => {
    const store = createMemoryStore({
      'providers.clients': { google: { clientId: 'g.apps' }, microsoft: { clientId: 7 }, other: 'x' },
    });
    const settings = createProviderSettings(store);
    expect(settings.clientIdOf('google')).toBe('g.apps');
    expect(settings.clientIdOf('microsoft')).toBeUndefined();
    expect(settings.clientIdOf('other')).toBeUndefined();
    expect(settings.clientIdOf('nobody')).toBeUndefined();
    // Names inherited by every object are not stored entries.
    expect(settings.clientIdOf('constructor')).toBeUndefined();
    settings.setClientId('custom-1', 'c-1');
    expect(store.get('providers.clients')).toEqual({
      google: { clientId: 'g.apps' },
      microsoft: { clientId: 7 },
      other: 'x',
      'custom-1': { clientId: 'c-1' },
    });
  });

  test('a clients value that is not a map reads as none and is replaced by the first write', () => {
    const store = createMemoryStore({ 'providers.clients': ['google'] });
    const settings = createProviderSettings(store);
    expect(settings.clientIdOf('google')).toBeUndefined();
    settings.setClientId('google', 'g.apps');
    expect(settings.clientIdOf('google')).toBe('g.apps');
  });
});
