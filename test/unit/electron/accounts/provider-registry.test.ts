/**
 * The registry's two configurations per provider: ordinary requests keep the provider timeout
 * (30 s), refresh requests get the patient one (minutes), so a slow provider's answer that
 * carries a rotated refresh token is not abandoned. Discovery is answered in-process.
 */
import { expect, test } from 'vitest';
import { createProviderRegistry } from '../../../../electron/accounts/provider-registry';
import { sandboxProvider } from '../../../../electron/accounts/providers';
import type { KeyValueStore } from '../../../../electron/shared/ports';
import type { Vault } from '../../../../electron/vault/vault';

const ISSUER = 'https://id.example.com';

function registry(oidc: { timeoutSeconds?: number; refreshTimeoutSeconds?: number }) {
  const values = new Map<string, unknown>();
  const store: KeyValueStore = {
    get: (k) => values.get(k),
    set: (k, v) => void values.set(k, v),
    delete: (k) => void values.delete(k),
    has: (k) => values.has(k),
  };
  const vault = { get: async () => undefined } as unknown as Vault;
  const fetchImpl = (async () =>
    new Response(
      JSON.stringify({
        issuer: ISSUER,
        authorization_endpoint: `${ISSUER}/auth`,
        token_endpoint: `${ISSUER}/token`,
        code_challenge_methods_supported: ['S256'],
      }),
      {
        headers: { 'content-type': 'application/json' },
      },
    )) as typeof fetch;
  const provider = sandboxProvider({
    issuer: ISSUER,
    smtp: { host: 'smtp.example.com', port: 465, security: 'tls' },
    mailScope: 'mail',
  });
  return {
    provider,
    registry: createProviderRegistry({
      store,
      vault,
      oidc: { fetch: fetchImpl, development: true, ...oidc },
      sandbox: { provider, clientId: 'c' },
    }),
  };
}

test('refresh requests get a patient timeout of their own; other requests keep the provider timeout', async () => {
  const { provider, registry: r } = registry({});
  expect((await r.configuration(provider)).timeout).toBe(30);
  expect((await r.refreshConfiguration(provider)).timeout).toBe(300);
});

test('both timeouts are injectable, independently', async () => {
  const { provider, registry: r } = registry({ timeoutSeconds: 2, refreshTimeoutSeconds: 0.5 });
  expect((await r.configuration(provider)).timeout).toBe(2);
  expect((await r.refreshConfiguration(provider)).timeout).toBe(0.5);
});
