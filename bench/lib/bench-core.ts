/**
 * A Quicksend core for benchmarks: `createCore` with real Node ports, wired to the bench
 * servers (sandbox provider + SMTP, another process), signed in through `accounts:add` with the
 * browser leg played by `completeLogin`, so every benchmark measures the app's own wiring.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createCore, type Core, type CoreOptions } from '../../electron/core';
import type { Account } from '../../electron/ipc/contract';
import type { SenderFacts } from '../../electron/ipc/sender-policy';
import type { Clock, NetworkMonitor } from '../../electron/shared/ports';
import { systemClock } from '../../electron/shared/ports';
import { createNodeCipher } from '../../test/support/node-cipher';
import { completeLogin } from '../../test/support/sandbox/browser-login';
import { createNodePorts, tempDataDir, type NodePorts } from '../../test/support/node-ports';
import type { ServersInfo } from './servers-protocol';

export const SENDER: SenderFacts = { frameUrl: 'app://quicksend/', isMainFrame: true };

export type BenchCore = {
  core: Core;
  ports: NodePorts;
  dataDir: string;
  cipherKey: Buffer;
  /** Disposes the core and deletes the data directory if this function created it. */
  dispose(): Promise<void>;
};

export type BenchCoreOptions = {
  dataDir?: string;
  /** Same key across restarts of one data directory. */
  cipherKey?: Buffer;
  clock?: Clock;
  network?: NetworkMonitor;
  mail?: CoreOptions['mail'];
  /** More trusted origins, read lazily (the web host's origin is known only once it listens). */
  extraOrigins?: () => string[];
};

export async function startBenchCore(servers: ServersInfo, options: BenchCoreOptions = {}): Promise<BenchCore> {
  const dataDir = options.dataDir ?? tempDataDir('quicksend-bench-');
  const cipherKey = options.cipherKey ?? randomBytes(32);
  const ports = createNodePorts({
    dataDir,
    cipher: createNodeCipher(cipherKey),
    clock: options.clock ?? systemClock,
    // The browser leg of sign-in: the sandbox login page, then the app's loopback callback.
    browser: { open: async (url) => void completeLogin(url, servers.email, { visitCallback: true }).catch(() => {}) },
    ...(options.network ? { network: options.network } : {}),
  });
  const core = await createCore(ports, {
    development: true,
    version: '0.0.0-bench',
    platform: process.platform,
    senderPolicy: {
      get allowedOrigins() {
        return ['app://quicksend', ...(options.extraOrigins?.() ?? [])];
      },
    },
    sandbox: {
      issuer: servers.issuer,
      clientId: servers.clientId,
      mailScope: servers.mailScope,
      smtp: { host: servers.smtpHost, port: servers.smtpPort, security: 'starttls', extraCa: servers.ca },
    },
    ...(options.mail ? { mail: options.mail } : {}),
  });
  return {
    core,
    ports,
    dataDir,
    cipherKey,
    async dispose() {
      await core.dispose();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Handles a channel through the router (schema, sender check) and unwraps the Result. */
export async function call<T>(core: Core, channel: string, payload: unknown): Promise<T> {
  const result = (await core.router.handle(channel, payload, SENDER)) as
    { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
  if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

/** Undo delay 0 and one signed-in sandbox account; returns its id. */
export async function signIn(core: Core): Promise<string> {
  await call(core, 'settings:set', { undoDelaySeconds: 0 });
  const existing = await call<Account[]>(core, 'accounts:list', {});
  if (existing[0]) return existing[0].id;
  const account = await call<Account>(core, 'accounts:add', { providerId: 'sandbox' });
  if (account.health !== 'ready') throw new Error(`account is ${account.health} after sign-in`);
  return account.id;
}

/** Resolves when nothing is waiting in the outbox any more (sent, or failed for good). */
export function drained(core: Core): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (core.mail.waitingCount() !== 0) return;
      off();
      resolve();
    };
    const off = core.events.on('outbox:changed', check);
    check();
  });
}

export function message(accountId: string, n: number, extra: Record<string, unknown> = {}) {
  return {
    accountId,
    to: [`friend${n}@example.com`],
    subject: `Bench message ${n}`,
    text: `Hello ${n}, this is a benchmark message from Quicksend.\n`,
    ...extra,
  };
}
