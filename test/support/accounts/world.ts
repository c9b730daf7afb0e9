/**
 * An accounts test world: the sandbox identity provider, a core in its own data directory
 * with the sandbox enabled, and a scripted "browser" that the core opens sign-in URLs in.
 * The browser's behaviour is swappable per test (complete the login, tamper, do nothing).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Core, CoreOptions } from '../../../electron/core';
import { createCore } from '../../../electron/core';
import type { Provider, Result } from '../../../electron/ipc/contract';
import { SANDBOX_MAIL_SCOPE, startSandbox, type Sandbox, type SandboxOptions } from '../sandbox';
import { completeLogin } from '../sandbox/browser-login';
import { createNodePorts, type NodePorts } from '../node-ports';

export const SENDER = { frameUrl: 'app://quicksend/index.html', isMainFrame: true };

export type BrowserScript = (url: string) => Promise<void>;

export type AccountsWorld = {
  sandbox: Sandbox;
  core: Core;
  ports: NodePorts;
  /** Every IPC response and event payload seen, for secret scans. */
  seen: unknown[];
  /** Bodies of every request the core sent to the provider, and of every answer. */
  providerRequests: string[];
  providerResponses: string[];
  /** `METHOD path` of every request the core sent to the provider, in order. */
  providerCalls: string[];
  browser: { script: BrowserScript; opened: string[] };
  call<T = unknown>(channel: string, payload?: unknown): Promise<Result<T>>;
  close(): Promise<void>;
};

/** The usual script: sign in as `email` and let the browser follow the redirect home. */
export const signInAs =
  (email: string): BrowserScript =>
  async (url) => {
    await completeLogin(url, email, { visitCallback: true });
  };

export type AccountsWorldOptions = {
  sandbox?: SandboxOptions;
  signInTimeoutMs?: number;
  keepAliveMs?: number;
  dataDir?: string;
  sandboxInstance?: Sandbox;
  cipher?: NodePorts['cipher'];
  clock?: NodePorts['clock'];
  /** Further core options (token waits, refresh timeout). */
  core?: Partial<CoreOptions>;
  /** Runs before each request to the provider; a test holds one back (slow discovery) with it. */
  beforeFetch?: (url: URL) => Promise<void>;
};

export async function openAccountsWorld(options: AccountsWorldOptions = {}): Promise<AccountsWorld> {
  const sandbox =
    options.sandboxInstance ??
    (await startSandbox({
      users: [
        { email: 'demo@quicksend.test', name: 'Demo User' },
        { email: 'other@quicksend.test', name: 'Other' },
      ],
      ...options.sandbox,
    }));
  const seen: unknown[] = [];
  const providerRequests: string[] = [];
  const providerResponses: string[] = [];
  const providerCalls: string[] = [];
  const browser = { script: signInAs('demo@quicksend.test'), opened: [] as string[] };
  const recordingFetch: typeof fetch = async (input, init) => {
    providerCalls.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`);
    await options.beforeFetch?.(new URL(String(input)));
    if (typeof init?.body === 'string') providerRequests.push(init.body);
    else if (init?.body instanceof URLSearchParams) providerRequests.push(init.body.toString());
    const response = await fetch(input, init);
    providerResponses.push(await response.clone().text());
    return response;
  };
  const ports = createNodePorts({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.cipher ? { cipher: options.cipher } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    fetch: recordingFetch,
    browser: {
      open: async (url) => {
        browser.opened.push(url);
        // Like a real browser: runs on its own, the app does not wait for it.
        void browser.script(url).catch(() => {});
      },
    },
  });
  const core = await createCore(ports, {
    development: true,
    version: '0.0.0-test',
    platform: process.platform,
    senderPolicy: { allowedOrigins: ['app://quicksend'] },
    sandbox: {
      issuer: sandbox.issuer,
      clientId: sandbox.clientId,
      mailScope: SANDBOX_MAIL_SCOPE,
      smtp: { host: '127.0.0.1', port: 2525, security: 'starttls' },
    },
    signInTimeoutMs: options.signInTimeoutMs ?? 10_000,
    keepAliveMs: options.keepAliveMs ?? 0,
    ...options.core,
  });
  const stopSeen = core.events.onAny((event, payload) => seen.push({ event, payload }));
  return {
    sandbox,
    core,
    ports,
    seen,
    providerRequests,
    providerResponses,
    providerCalls,
    browser,
    async call<T>(channel: string, payload: unknown = {}) {
      const result = (await core.router.handle(channel, payload, SENDER)) as Result<T>;
      seen.push(result);
      return result;
    },
    async close() {
      stopSeen();
      await core.dispose();
      if (!options.sandboxInstance) await sandbox.stop();
    },
  };
}

/** Names of the entries in the data directory's vault.json (none when it does not exist). */
export function vaultEntryKeys(dataDir: string): string[] {
  try {
    return Object.keys(
      (JSON.parse(readFileSync(path.join(dataDir, 'vault.json'), 'utf8')) as { entries: object }).entries,
    );
  } catch {
    return [];
  }
}

/**
 * Adds the sandbox as an "Other provider" exactly as the form does (`providers:addCustom`), so
 * the account goes through the rules for providers Quicksend did not write.
 */
export async function addSandboxAsCustomProvider(
  world: AccountsWorld,
  scopes = `openid email offline_access ${SANDBOX_MAIL_SCOPE}`,
): Promise<Provider> {
  const result = await world.call<Provider>('providers:addCustom', {
    name: 'Standard OIDC',
    issuer: world.sandbox.issuer,
    clientId: world.sandbox.clientId,
    scopes: scopes.split(' '),
    smtp: { host: '127.0.0.1', port: 2525, security: 'starttls' },
  });
  if (!result.ok) throw new Error(`adding the custom provider failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

/** The refresh token the vault holds for an account (decrypted with the world's cipher). */
export async function storedRefreshToken(world: Pick<AccountsWorld, 'ports'>, accountId: string): Promise<string> {
  const file = JSON.parse(readFileSync(path.join(world.ports.paths.dataDir, 'vault.json'), 'utf8')) as {
    entries: Record<string, string>;
  };
  const sealed = file.entries[`account:${accountId}`];
  if (!sealed) throw new Error(`no vault entry for ${accountId}`);
  const { plain } = await world.ports.cipher.decrypt(Buffer.from(sealed, 'base64'));
  return (JSON.parse(plain) as { refreshToken: string }).refreshToken;
}
