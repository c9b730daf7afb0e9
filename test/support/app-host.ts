/**
 * The whole app without Electron: the sandbox (identity provider + SMTP), a core wired to it
 * in development mode, and the web host serving the built renderer. Shared by the end-to-end
 * tests and `npm run demo`, so both run exactly the same wiring.
 */
import { createCore, type Core, type CoreOptions, type CorePorts } from '../../electron/core';
import type { BrowserLauncher } from '../../electron/shared/ports';
import { createNodePorts, type NodePorts } from './node-ports';
import { SANDBOX_MAIL_SCOPE, startSandbox, type Sandbox } from './sandbox';
import type { SandboxOptions } from './sandbox/identity-provider';
import { startWebHost, type WebHost } from './web-host/server';

export type AppHost = { sandbox: Sandbox; core: Core; ports: NodePorts; host: WebHost; stop(): Promise<void> };

export type AppHostOptions = {
  /** Where sign-in URLs go: a new browser page in tests, the default browser in the demo. */
  browser: BrowserLauncher;
  dataDir?: string;
  sandbox?: SandboxOptions;
  /** Overrides for the core: short delays and backoff in tests. */
  core?: Partial<CoreOptions>;
  version?: string;
  /** Replaces the core's fetch (e.g. to record what goes to the identity provider). */
  fetch?: typeof fetch;
  /** Other ports to replace: main's file dialog, a cipher kept across a restart, a clock. */
  ports?: Partial<CorePorts>;
  /** A running sandbox to use (a restart keeps the provider and mailbox); `stop()` leaves it running. */
  sandboxInstance?: Sandbox;
};

export async function startAppHost(options: AppHostOptions): Promise<AppHost> {
  const sandbox =
    options.sandboxInstance ??
    (await startSandbox({
      users: [
        { email: 'demo@quicksend.test', name: 'Demo User' },
        { email: 'ada@quicksend.test', name: 'Ada Lovelace' },
      ],
      ...options.sandbox,
    }));
  let host: WebHost | undefined;
  let core: Core | undefined;
  try {
    const ports = createNodePorts({
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...options.ports,
      browser: options.browser,
    });
    core = await createCore(ports, {
      development: true,
      version: options.version ?? '0.0.0-sandbox',
      platform: process.platform,
      // The web host's origin is known only once it listens; the policy reads it lazily.
      senderPolicy: {
        get allowedOrigins() {
          return host ? [host.origin] : [];
        },
      },
      sandbox: {
        issuer: sandbox.issuer,
        clientId: sandbox.clientId,
        mailScope: SANDBOX_MAIL_SCOPE,
        smtp: { host: sandbox.smtp.host, port: sandbox.smtp.port, security: 'starttls', extraCa: sandbox.smtp.ca },
      },
      ...options.core,
    });
    host = await startWebHost({ core });
    const started = { sandbox, core, ports, host };
    return {
      ...started,
      async stop() {
        await started.host.stop();
        await started.core.dispose();
        if (!options.sandboxInstance) await sandbox.stop();
      },
    };
  } catch (error) {
    await host?.stop();
    await core?.dispose();
    if (!options.sandboxInstance) await sandbox.stop();
    throw error;
  }
}
