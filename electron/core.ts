/**
 * `createCore(ports, options)` builds every service and the IPC handler table. The Electron
 * shell, the web host, the demo and the benchmarks all call it, so they run the same wiring.
 * Nothing here touches Electron: capabilities arrive as ports (see shared/ports.ts).
 */
import { accessSync, chmodSync, constants, mkdirSync } from 'node:fs';
import path from 'node:path';
import { createAccountRegistry } from './accounts/account-registry';
import { createAccountService, type AccountService } from './accounts/account-service';
import { createProviderRegistry } from './accounts/provider-registry';
import { sandboxProvider } from './accounts/providers';
import type { SmtpEndpoint } from './accounts/sending-account';
import { createRouter, type Handlers, type Router } from './ipc/router';
import { createHandlers, createPreloadHandlers } from './ipc/handlers';
import type { SenderPolicy } from './ipc/sender-policy';
import { createEventBus, type EventBus } from './ipc/event-bus';
import { createQuarantine } from './diagnostics/quarantine';
import { createLogger, createMemorySink, createRedactor, type Logger, type Redactor } from './shared/logger';
import { createSettingsService, recoverSettingsFile, type SettingsService } from './settings/settings-service';
import { createDraftStore } from './drafts/draft-store';
import { createFileRegistry } from './files/file-registry';
import { createFileService, type FileService } from './files/file-service';
import { createDiagnostics } from './diagnostics/export';
import { createMailService, type MailService, type MailServiceOptions } from './outbox/mail-service';
import { checkCaCertificate } from './mail/ca-certificate';
import { createGrants } from './oauth/grants';
import { createVault } from './vault/vault';
import type { RelayOptions } from './relay/relay-options';
import { createRelayService, type RelayService } from './relay/relay-service';
import type { RelaySink } from './relay/relay-sink';
import { createRelayedSink } from './outbox/relayed-messages';
import type {
  BrowserLauncher,
  Clock,
  Fetch,
  FileDialog,
  KeyValueStore,
  LogSink,
  NetworkMonitor,
  Notifier,
  Paths,
  SecretCipher,
} from './shared/ports';

export type CorePorts = {
  cipher: SecretCipher;
  browser: BrowserLauncher;
  notifier: Notifier;
  network: NetworkMonitor;
  fileDialog: FileDialog;
  paths: Paths;
  clock: Clock;
  store: KeyValueStore;
  fetch: Fetch;
  logSink: LogSink;
};

export type CoreOptions = {
  /** Tests, demo, web host and benchmarks only: enables the sandbox provider and loopback issuers. */
  development: boolean;
  version: string;
  platform: string;
  /** Who may call the router; the Electron shell adds a window check. */
  senderPolicy: SenderPolicy;
  /** Development only: the local sandbox provider (tests, demo, web host, benchmarks). */
  sandbox?: { issuer: string; clientId: string; mailScope: string; smtp: SmtpEndpoint };
  /** How long a browser sign-in may take (default 5 minutes). */
  signInTimeoutMs?: number;
  /** Milliseconds between keep-alive refreshes (default 5 days). */
  keepAliveMs?: number;
  /** Sending tunables (timeouts, backoff, limits); tests and benchmarks shrink them. */
  mail?: Partial<MailServiceOptions>;
  /** Seconds per request to an identity provider (default 30). */
  providerTimeoutSeconds?: number;
  /** Seconds a refresh request may take (default 300): a slow answer may carry a rotated token. */
  refreshTimeoutSeconds?: number;
  /** How long a send waits for a running refresh before the outbox retries it (default 30 s). */
  tokenWaitMs?: number;
  /** How long removal and dispose wait for a running refresh to save its answer (default 10 s). */
  refreshSettleMs?: number;
  /** How long a file id lives with nothing holding it (default 10 minutes; see files/file-registry.ts). */
  files?: { graceMs?: number };
  /**
   * Where the relay for other programs hands accepted messages (electron/relay/relay-sink.ts);
   * by default the outbox (outbox/relayed-messages.ts). Tests may put a stand-in here.
   */
  relaySink?: RelaySink;
  /** Relay tunables (timeouts, limits, listen addresses); tests shrink them. */
  relay?: Partial<RelayOptions>;
};

export type Core = {
  router: Router;
  handlers: Handlers;
  accounts: AccountService;
  mail: MailService;
  events: EventBus;
  logger: Logger;
  redactor: Redactor;
  /** Preferences; the shell reacts to startAtLogin / globalShortcut / mailtoHandler via onChange. */
  settings: SettingsService;
  /** Files from main's own sources (command line, tray drop) and the web host's drop stand-in. */
  files: FileService;
  /** The loopback SMTP relay for other programs (off until the person turns it on). */
  relay: RelayService;
  dispose(): Promise<void>;
};

/** Creates the data directory (owner-only) and reports whether it can be written. */
function prepareDataDirectory(dir: string): 'ready' | 'unwritable' {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // mkdir's mode does not apply to a folder that already existed.
    chmodSync(dir, 0o700);
    accessSync(dir, constants.W_OK);
    return 'ready';
  } catch {
    return 'unwritable';
  }
}

export async function createCore(ports: CorePorts, options: CoreOptions): Promise<Core> {
  const redactor = createRedactor();
  // Tee the (already redacted) records into a bounded memory sink for diagnostics:export.
  const recentLog = createMemorySink({ limit: 2000 });
  const logSink = {
    write: (record: Parameters<typeof recentLog.write>[0]) => (ports.logSink.write(record), recentLog.write(record)),
  };
  const logger = createLogger({ sink: logSink, redactor, scope: 'core' });
  // Payloads are checked against the contract in development (tests, demo, web host, benchmarks).
  const events = createEventBus({ validate: options.development });
  // Damaged files are moved aside and reported here; start-up ones wait in `app:notices`.
  const quarantine = createQuarantine({ clock: ports.clock, events, logger: logger.child('files') });
  const dataDirectory = prepareDataDirectory(ports.paths.dataDir);
  if (dataDirectory === 'unwritable') logger.error('data directory is not writable');
  // Before anything reads the store: conf refuses a damaged settings file on every access.
  await recoverSettingsFile(path.join(ports.paths.dataDir, 'settings.json'), quarantine).catch((error: unknown) =>
    logger.error('could not check the settings file', { error }),
  );
  const settings = createSettingsService({ store: ports.store, logger: logger.child('settings') });
  const appInfo = () => ({
    name: 'Quicksend' as const,
    version: options.version,
    platform: options.platform,
    development: options.development,
    dataDirectory,
    keyStore: ports.cipher.backend(),
  });

  const vault = createVault({ file: path.join(ports.paths.dataDir, 'vault.json'), cipher: ports.cipher, quarantine });
  const providers = createProviderRegistry({
    store: ports.store,
    vault,
    oidc: {
      fetch: ports.fetch,
      development: options.development,
      timeoutSeconds: options.providerTimeoutSeconds,
      refreshTimeoutSeconds: options.refreshTimeoutSeconds,
    },
    sandbox:
      options.development && options.sandbox
        ? { provider: sandboxProvider(options.sandbox), clientId: options.sandbox.clientId }
        : undefined,
    now: () => ports.clock.now(),
    logger: logger.child('providers'),
  });
  // Refresh and revocation, one way for the token manager, sign-in and removal alike.
  const grants = createGrants({ configurations: providers, logger });
  // The accounts held: what the mail service reads (directory, tokens) exists before it.
  const accountRegistry = createAccountRegistry({
    store: ports.store,
    vault,
    cipher: ports.cipher,
    providers,
    grants,
    clock: ports.clock,
    events,
    logger,
    redactor,
    weakStorageConsent: () => settings.get().weakStorageConsent,
    keepAliveMs: options.keepAliveMs,
    tokenWaitMs: options.tokenWaitMs,
    refreshSettleMs: options.refreshSettleMs,
  });
  // Sign-ins that no longer decrypt (the OS key changed) are set aside: those accounts need sign-in.
  await vault.setAsideUnreadable().catch((error: unknown) => logger.error('could not check saved sign-ins', { error }));
  // A broken data directory must not stop the app from starting and saying so.
  await accountRegistry.start().catch((error: unknown) => logger.error('could not load accounts', { error }));

  // Files the person gave, by id: the renderer never names a path (files/file-registry.ts).
  const fileRegistry = createFileRegistry({ clock: ports.clock, graceMs: options.files?.graceMs });
  const files = createFileService({ fileDialog: ports.fileDialog, registry: fileRegistry });

  const mail = createMailService({
    dataDir: ports.paths.dataDir,
    cipher: ports.cipher,
    accounts: accountRegistry.directory,
    tokens: accountRegistry.tokens.source,
    clock: ports.clock,
    network: ports.network,
    events,
    logger,
    redactor,
    development: options.development,
    undoDelayMs: () => settings.get().undoDelaySeconds * 1000,
    options: options.mail,
    quarantine,
    files: fileRegistry,
  });
  const accounts = createAccountService({
    registry: accountRegistry,
    providers,
    grants,
    sending: {
      // A re-signed-in account sends what waited for it; emergency sign-out pauses and may delete.
      accountReady: (accountId) =>
        void mail.resumeAccount(accountId).catch((error: unknown) => logger.error('resume failed', { error })),
      // A new or removed extra CA: what waited for an untrusted server certificate tries again.
      smtpSettingsChanged: (accountId) =>
        void mail
          .resumeServer(accountId)
          .catch((error: unknown) => logger.error('resume after CA change failed', { error })),
      async stopAll(deleteWaiting) {
        await mail.setPaused(true);
        return deleteWaiting ? mail.deleteWaiting() : 0;
      },
    },
    browser: ports.browser,
    clock: ports.clock,
    events,
    logger,
    redactor,
    signInTimeoutMs: options.signInTimeoutMs,
  });
  if (dataDirectory === 'ready')
    await mail.start().catch((error: unknown) => logger.error('could not start sending', { error }));

  // Other programs send through the person's accounts via the loopback relay (off by default).
  const relay = createRelayService({
    dataDir: ports.paths.dataDir,
    cipher: ports.cipher,
    store: ports.store,
    accounts: {
      get(accountId) {
        const account = accounts.directory.get(accountId);
        return (
          account && {
            id: account.id,
            address: account.login,
            fromAddress: account.fromAddress,
            displayName: account.displayName,
            messageLimitBytes: account.attachmentLimitBytes,
          }
        );
      },
    },
    sink:
      options.relaySink ??
      createRelayedSink({
        intake: (message) => mail.acceptRelayed(message),
        needsSignIn: (accountId) => {
          const account = accounts.list().find((a) => a.id === accountId);
          return account?.health === 'needs-sign-in' ? account.address : null;
        },
        notifier: ports.notifier,
        clock: ports.clock,
      }),
    clock: ports.clock,
    notifier: ports.notifier,
    events,
    logger,
    redactor,
    quarantine,
    options: options.relay,
  });
  // Removing an account (or signing out of all) revokes its programs' sign-ins.
  events.on(
    'accounts:changed',
    ({ accounts: list }) =>
      void relay
        .keepOnlyAccounts(list.map((a) => a.id))
        .catch((error: unknown) => logger.error('could not revoke program sign-ins', { error })),
  );
  if (dataDirectory === 'ready') await relay.start();

  // The one place channels meet services (ipc/handlers.ts); the compiler checks it covers them all.
  const handlers = createHandlers({
    app: {
      info: appInfo,
      notices: () => quarantine.notices(),
      log: (level, message) => logger.child('renderer')[level](message),
    },
    accounts,
    mail,
    settings,
    drafts: createDraftStore({
      dataDir: ports.paths.dataDir,
      cipher: ports.cipher,
      clock: ports.clock,
      files: fileRegistry,
      logger: logger.child('drafts'),
      quarantine,
    }),
    files,
    diagnostics: createDiagnostics({
      dataDir: ports.paths.dataDir,
      records: recentLog.records,
      appInfo,
      now: () => ports.clock.now(),
      redactor,
    }),
    relay,
    certificates: { inspect: (pem) => checkCaCertificate(pem, 'pem', ports.clock.now()).summary },
  });

  const router = createRouter({
    handlers,
    preloadHandlers: createPreloadHandlers(files),
    senderPolicy: options.senderPolicy,
    logger,
    validateResponses: options.development,
  });

  return {
    router,
    handlers,
    accounts,
    mail,
    events,
    logger,
    redactor,
    settings,
    files,
    relay,
    async dispose() {
      await relay.stop();
      await accounts.dispose();
      await mail.stop();
    },
  };
}
