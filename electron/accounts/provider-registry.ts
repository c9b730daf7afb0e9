/**
 * Which providers exist for this run (built-in, custom ones the person added, the sandbox in
 * development), which client id each uses (person's settings first, then the build), and a
 * cache of their discovered OpenID configurations.
 */
import { randomBytes } from 'node:crypto';
import type * as client from 'openid-client';
import type { Provider, ProviderDiscovery } from '../ipc/contract';
import { checkCaCertificate } from '../mail/ca-certificate';
import {
  discoverProvider,
  checkIssuerUrl,
  summarizeDiscovery,
  type ClientCredentials,
  type OidcEnvironment,
} from '../oauth/oidc-config';
import { AppError } from '../shared/errors';
import type { ProviderDefinition } from '../oauth/provider-definition';
import type { Logger } from '../shared/logger';
import type { KeyValueStore } from '../shared/ports';
import type { Vault } from '../vault/vault';
import { buildClientIds } from './client-ids';
import { createProviderSettings } from './provider-settings';
import { builtInProviders, REGISTERED_REDIRECT_URI } from './providers';

const secretKey = (providerId: string) => `client-secret:${providerId}`;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

export type ProviderRegistryDeps = {
  store: KeyValueStore;
  vault: Vault;
  oidc: OidcEnvironment;
  /** Development only: the sandbox provider and its client id. */
  sandbox?: { provider: ProviderDefinition; clientId: string } | undefined;
  /** Wall clock for certificate validity checks (default Date.now). */
  now?: () => number;
  /** Where unreadable stored entries are reported. */
  logger?: Logger;
};

export type CustomProviderInput = {
  name: string;
  issuer: string;
  clientId: string;
  clientSecret?: string | undefined;
  scopes: string[];
  extraAuthorizationParams?: Record<string, string> | undefined;
  smtp: ProviderDefinition['smtp'];
};

export function createProviderRegistry(deps: ProviderRegistryDeps) {
  const configs = new Map<string, Promise<client.Configuration>>();
  const settings = createProviderSettings(deps.store, deps.logger);

  function all(): ProviderDefinition[] {
    const list = [...builtInProviders, ...settings.customProviders()];
    if (deps.oidc.development && deps.sandbox) list.push(deps.sandbox.provider);
    return list;
  }

  const find = (providerId: string): ProviderDefinition | undefined => all().find((p) => p.id === providerId);

  function get(providerId: string): ProviderDefinition {
    const provider = find(providerId);
    if (!provider) throw new AppError('provider.unknown', 'Quicksend does not know that provider.');
    return provider;
  }

  function clientIdOf(provider: ProviderDefinition): { clientId: string; source: 'settings' | 'build' } | undefined {
    const fromSettings = settings.clientIdOf(provider.id);
    if (fromSettings) return { clientId: fromSettings, source: 'settings' };
    if (provider.id === 'sandbox' && deps.sandbox) return { clientId: deps.sandbox.clientId, source: 'build' };
    const fromBuild = buildClientIds()[provider.id]?.clientId;
    return fromBuild ? { clientId: fromBuild, source: 'build' } : undefined;
  }

  async function credentials(provider: ProviderDefinition): Promise<ClientCredentials> {
    const id = clientIdOf(provider);
    if (!id) {
      throw new AppError('provider.not_configured', `Quicksend has no client id for ${provider.name} yet.`, {
        hint: `Register a desktop OAuth client with redirect URI ${REGISTERED_REDIRECT_URI} and enter its client id.`,
      });
    }
    const secret =
      (await deps.vault.get(secretKey(provider.id))) ??
      (id.source === 'build' ? buildClientIds()[provider.id]?.clientSecret : undefined);
    return { clientId: id.clientId, clientSecret: secret };
  }

  async function configurationFor(
    provider: ProviderDefinition,
    purpose: 'default' | 'refresh',
  ): Promise<client.Configuration> {
    const creds = await credentials(provider);
    const key = `${provider.id}\n${creds.clientId}\n${purpose}`;
    let pending = configs.get(key);
    if (!pending) {
      const timeout =
        purpose === 'refresh' ? (deps.oidc.refreshTimeoutSeconds ?? 300) : (deps.oidc.timeoutSeconds ?? 30);
      pending = discoverProvider(provider, creds, deps.oidc, timeout);
      configs.set(key, pending);
      // A failed discovery is retried next time rather than cached.
      pending.catch(() => configs.delete(key));
    }
    return pending;
  }

  return {
    all,
    /** The provider with this id, if this run knows it (an account's provider may be gone). */
    find,
    /** The provider with this id; `provider.unknown` when this run does not know it. */
    get,
    credentials,
    /** The discovered configuration, fetched once per provider and client. */
    configuration: (provider: ProviderDefinition) => configurationFor(provider, 'default'),
    /** The same provider with the patient timeout refresh requests get (see oidc-config.ts). */
    refreshConfiguration: (provider: ProviderDefinition) => configurationFor(provider, 'refresh'),
    async describe(provider: ProviderDefinition): Promise<Provider> {
      const id = clientIdOf(provider);
      const hasSecret = (await deps.vault.get(secretKey(provider.id)).catch(() => undefined)) !== undefined;
      return {
        id: provider.id,
        kind: provider.kind,
        name: provider.name,
        configured: id !== undefined,
        clientIdSource: id?.source ?? 'none',
        needsClientSecret: provider.needsClientSecret,
        hasClientSecret: hasSecret || (id?.source === 'build' && !!buildClientIds()[provider.id]?.clientSecret),
        redirectUri: REGISTERED_REDIRECT_URI,
        scopes: provider.scopes,
        smtp: { host: provider.smtp.host, port: provider.smtp.port, security: provider.smtp.security },
        attachmentLimitBytes: provider.attachmentLimitBytes,
        supportsRevocation: provider.supportsRevocation,
        helpUrl: provider.helpUrl,
      };
    },
    async setClient(
      providerId: string,
      clientId: string,
      clientSecret: string | undefined,
      secretStorage: 'vault' | 'session-only',
    ): Promise<ProviderDefinition> {
      const provider = get(providerId);
      settings.setClientId(provider.id, clientId.trim());
      if (clientSecret) await deps.vault.set(secretKey(provider.id), clientSecret, secretStorage);
      for (const key of configs.keys()) if (key.startsWith(`${provider.id}\n`)) configs.delete(key);
      return provider;
    },
    /** Discovery for an issuer not saved yet: what it offers, or why it cannot be used. */
    async discover(input: {
      issuer: string;
      clientId: string;
      clientSecret?: string | undefined;
    }): Promise<ProviderDiscovery> {
      const issuer = input.issuer.trim();
      const url = checkIssuerUrl(issuer, deps.oidc.development);
      const probe: ProviderDefinition = {
        id: 'probe',
        kind: 'custom',
        name: url.host,
        issuer,
        scopes: [],
        requiredScopes: [],
        extraAuthorizationParams: {},
        smtp: { host: url.hostname, port: 465, security: 'tls' },
        attachmentLimitBytes: 0,
        supportsRevocation: false,
        needsClientSecret: false,
        helpUrl: issuer,
      };
      return summarizeDiscovery(
        await discoverProvider(probe, { clientId: input.clientId.trim(), clientSecret: input.clientSecret }, deps.oidc),
      );
    },
    async addCustom(input: CustomProviderInput, secretStorage: 'vault' | 'session-only'): Promise<ProviderDefinition> {
      checkIssuerUrl(input.issuer, deps.oidc.development);
      if (input.smtp.security === 'none' && !(deps.oidc.development && LOOPBACK_HOSTS.has(input.smtp.host))) {
        throw new AppError('provider.insecure_smtp', 'Sending without TLS would expose your access token.', {
          hint: 'Choose TLS (465) or STARTTLS (587).',
        });
      }
      // Checked before discovery and before anything is saved: a bad certificate changes nothing.
      const extraCa =
        input.smtp.extraCa === undefined
          ? undefined
          : checkCaCertificate(input.smtp.extraCa, 'smtp.extraCa', (deps.now ?? Date.now)()).pem;
      const scopes = [...new Set(['openid', 'email', ...input.scopes.map((s) => s.trim()).filter(Boolean)])];
      const provider: ProviderDefinition = {
        id: `custom-${randomBytes(4).toString('hex')}`,
        kind: 'custom',
        name: input.name.trim(),
        issuer: input.issuer.trim(),
        scopes,
        requiredScopes: input.scopes.filter((s) => !['openid', 'email', 'profile', 'offline_access'].includes(s)),
        extraAuthorizationParams: input.extraAuthorizationParams ?? {},
        smtp: {
          host: input.smtp.host,
          port: input.smtp.port,
          security: input.smtp.security,
          ...(extraCa ? { extraCa } : {}),
          ...(input.smtp.preferOAuthBearer ? { preferOAuthBearer: true } : {}),
        },
        attachmentLimitBytes: 25 * 1024 * 1024,
        supportsRevocation: false,
        needsClientSecret: !!input.clientSecret,
        helpUrl: input.issuer.trim(),
      };
      // Discover before saving, so a wrong issuer is explained now rather than at sign-in.
      const config = await discoverProvider(
        provider,
        { clientId: input.clientId, clientSecret: input.clientSecret },
        deps.oidc,
      );
      provider.supportsRevocation = !!config.serverMetadata().revocation_endpoint;
      settings.addCustomProvider(provider);
      settings.setClientId(provider.id, input.clientId.trim());
      if (input.clientSecret) await deps.vault.set(secretKey(provider.id), input.clientSecret, secretStorage);
      return provider;
    },
  };
}

export type ProviderRegistry = ReturnType<typeof createProviderRegistry>;
