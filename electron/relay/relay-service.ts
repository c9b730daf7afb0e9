/**
 * The relay as a service: its settings (off by default, port 1587), the program credentials,
 * the loopback certificate, and the listeners' life (start with the app when on, restart on a
 * change, stop at quit). A port in use is reported in plain words, naming the program that
 * holds it where the OS lets us read it, and the setting is kept. Emits `relay:changed`.
 */
import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { RelayProgram, RelaySettings, RelayStatus } from '../ipc/contract';
import { relaySettingsSchema } from '../ipc/contract';
import { AppError } from '../shared/errors';
import type { EventBus } from '../ipc/event-bus';
import type { Logger, Redactor } from '../shared/logger';
import type { Clock, KeyValueStore, Notifier, SecretCipher } from '../shared/ports';
import type { Quarantine } from '../diagnostics/quarantine';
import { loadDataKey, type DataKey } from '../vault/data-key';
import { createAuthThrottle } from './auth-throttle';
import { openCredentialStore, type CredentialInfo, type CredentialStore } from './credential-store';
import { loadLoopbackCertificate, type LoopbackCertificate } from './loopback-cert';
import type { RelayAccount, RelayAccounts } from './relay-accounts';
import {
  DEFAULT_RELAY_PORT,
  DEFAULT_SEND_LIMIT_PER_HOUR,
  defaultRelayOptions,
  type RelayOptions,
} from './relay-options';
import { ListenError, startRelayServer, type RelayServer } from './relay-server';
import { createRelaySession } from './relay-session';
import type { RelaySink } from './relay-sink';

export const RELAY_SETTINGS_KEY = 'relay';

export const defaultRelaySettings: Readonly<RelaySettings> = Object.freeze({
  enabled: false,
  port: DEFAULT_RELAY_PORT,
  allowPlainAuth: true,
  implicitTlsPort: null,
});

/** SIZE when no program has an account yet (the common providers' limit). */
const FALLBACK_SIZE = 25 * 1024 * 1024;
const HOUR_MS = 60 * 60 * 1000;

export type RelayServiceDeps = {
  dataDir: string;
  cipher: SecretCipher;
  store: KeyValueStore;
  accounts: RelayAccounts;
  /** Where accepted messages go (the outbox); answers 250 only once it stored them. */
  sink: RelaySink;
  clock: Clock;
  notifier: Notifier;
  events: EventBus;
  logger: Logger;
  redactor: Redactor;
  quarantine?: Quarantine;
  options?: Partial<RelayOptions>;
};

/** A new program sign-in as the person asks for it. */
export type NewProgram = {
  programName: string;
  accountId: string;
  rewriteFrom?: boolean | undefined;
  sendLimitPerHour?: number | undefined;
};

/** What the person may change of a program's sign-in. */
export type ProgramPatch = {
  programName?: string | undefined;
  sendLimitPerHour?: number | undefined;
  rewriteFrom?: boolean | undefined;
};

/** A made program sign-in: the only place its password ever appears, with where to connect. */
export type CreatedProgram = {
  program: RelayProgram;
  username: string;
  password: string;
  host: string;
  port: number;
  implicitTlsPort: number | null;
  allowPlainAuth: boolean;
};

export type RelayService = {
  /** Turns the relay on or off, or changes its ports and security; answers the new status. */
  configure(patch: Partial<RelaySettings>): Promise<RelayStatus>;
  /** The program sign-ins, once they are loaded. */
  listPrograms(): Promise<RelayProgram[]>;
  /** Makes a username and password for one program of one account. */
  createCredential(request: NewProgram): Promise<CreatedProgram>;
  updateCredential(id: string, patch: ProgramPatch): Promise<RelayProgram>;
  revokeCredential(id: string): Promise<{ revoked: boolean }>;
  /** Loads credentials and starts listening when the setting is on. Never throws: problems show in the status. */
  start(): Promise<void>;
  /** Stops listening (quit); sessions get `closeTimeoutMs` to finish. */
  stop(): Promise<void>;
  status(): RelayStatus;
  programs(): RelayProgram[];
  /**
   * Revokes every credential of an account. Call it when an account is removed; core also does
   * so on `accounts:changed` for any account that disappeared.
   */
  revokeForAccount(accountId: string): Promise<number>;
  /** Revokes the credentials of accounts not in `accountIds` (after sign-out of all, at start). */
  keepOnlyAccounts(accountIds: readonly string[]): Promise<number>;
  /** Open connections now (tests, benchmarks). */
  connections(): number;
};

function readSettings(store: KeyValueStore, log: Logger): RelaySettings {
  let raw: unknown;
  try {
    raw = store.get(RELAY_SETTINGS_KEY);
  } catch (error) {
    log.error('could not read relay settings; using defaults', { error });
  }
  const stored = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const result: Record<string, unknown> = { ...defaultRelaySettings };
  for (const key of Object.keys(defaultRelaySettings) as Array<keyof RelaySettings>) {
    if (!(key in stored)) continue;
    const field = relaySettingsSchema.shape[key].safeParse(stored[key]);
    if (field.success) result[key] = field.data;
  }
  return result as RelaySettings;
}

export function createRelayService(deps: RelayServiceDeps): RelayService {
  const options: RelayOptions = {
    ...defaultRelayOptions,
    ...deps.options,
    auth: { ...defaultRelayOptions.auth, ...deps.options?.auth },
  };
  const log = deps.logger.child('relay');
  const relayDir = path.join(deps.dataDir, 'relay');
  let settings = readSettings(deps.store, log);
  let state: RelayStatus['state'] = 'off';
  let problem: RelayStatus['problem'] = null;
  let server: RelayServer | null = null;
  let certificate: LoopbackCertificate | null = null;
  let store: CredentialStore | null = null;
  let dataKey: DataKey | null = null;
  // Start, stop and restart run one at a time, in order.
  let queue: Promise<void> = Promise.resolve();
  const serial = (task: () => Promise<void>) => (queue = queue.then(task, task));
  const limitNotified = new Map<string, number>();
  const throttle = createAuthThrottle(options.auth);

  const ready = async (): Promise<CredentialStore> => {
    if (store) return store;
    await mkdir(relayDir, { recursive: true, mode: 0o700 });
    dataKey ??= await loadDataKey(deps.dataDir, deps.cipher, deps.quarantine);
    store = await openCredentialStore({
      file: path.join(relayDir, 'credentials.json'),
      dataKey,
      now: () => deps.clock.now(),
      onDamaged: async (reason) => {
        const file = path.join(relayDir, 'credentials.json');
        const moved = deps.quarantine ? await deps.quarantine.moveAside(file, reason).catch(() => null) : null;
        log.error('program sign-ins could not be read; starting afresh', { moved: moved !== null });
        deps.quarantine?.report({
          level: 'warning',
          message: 'Quicksend could not read the sign-ins you made for other programs.',
          hint: 'Create them again in Settings, Other programs.',
        });
      },
    });
    return store;
  };

  const accountOf = (credential: CredentialInfo): RelayAccount | undefined => deps.accounts.get(credential.accountId);
  const sizeLimit = () => {
    const limits = (store?.list() ?? []).map((c) => accountOf(c)?.messageLimitBytes ?? 0).filter((n) => n > 0);
    return limits.length > 0 ? Math.max(...limits) : FALLBACK_SIZE;
  };
  const programs = (): RelayProgram[] => {
    const now = deps.clock.now();
    return (store?.list() ?? []).map((c) => ({
      id: c.id,
      programName: c.programName,
      accountId: c.accountId,
      accountAddress: accountOf(c)?.fromAddress ?? null,
      username: c.username,
      createdAt: c.createdAt,
      lastUsedAt: c.lastUsedAt,
      messageCount: c.messageCount,
      sendLimitPerHour: c.sendLimitPerHour,
      sentLastHour: store?.sentInLastHour(c.id, now) ?? 0,
      rewriteFrom: c.rewriteFrom,
    }));
  };
  const status = (): RelayStatus => ({
    settings: { ...settings },
    state,
    listening: server ? server.listening.map((l) => ({ ...l })) : [],
    problem,
    certificate: certificate
      ? { fingerprint256: certificate.fingerprint256, validTo: certificate.validTo, pem: certificate.cert }
      : null,
    maxMessageBytes: sizeLimit(),
    maxRecipients: options.maxRecipients,
    defaultSendLimitPerHour: DEFAULT_SEND_LIMIT_PER_HOUR,
  });
  const changed = () => {
    server?.setSizeLimit(sizeLimit());
    deps.events.emit('relay:changed', { status: status(), programs: programs() });
  };

  const session = createRelaySession({
    credentials() {
      if (!store) throw new Error('relay credentials not loaded');
      return store;
    },
    accounts: deps.accounts,
    sink: deps.sink,
    throttle,
    clock: deps.clock,
    options,
    logger: log,
    onLimitReached(credential, account) {
      const now = deps.clock.now();
      if ((limitNotified.get(credential.id) ?? -Infinity) > now - HOUR_MS) return;
      limitNotified.set(credential.id, now);
      log.warn('a program reached its hourly limit', {
        credentialId: credential.id,
        limit: credential.sendLimitPerHour,
      });
      deps.notifier.notify({
        title: `“${credential.programName}” reached its sending limit`,
        body: `It sent ${credential.sendLimitPerHour} messages through ${account?.fromAddress ?? 'your account'} in the last hour, so Quicksend refuses more for now. If you did not expect this, revoke its access in Settings.`,
        target: 'settings',
      });
    },
    onAccepted: () => changed(),
  });

  async function describeListenError(error: ListenError): Promise<NonNullable<RelayStatus['problem']>> {
    if (error.code === 'EADDRINUSE') {
      const owner = await options.findPortOwner(error.port).catch(() => null);
      const who = owner ? `${owner.name} (process ${owner.pid})` : 'another program';
      return {
        message: `Port ${error.port} is already in use by ${who}, so other programs cannot reach Quicksend there.`,
        hint: owner
          ? `Choose another port here, or stop ${owner.name}. Quicksend keeps the relay turned on and tries again when you change the port or restart it.`
          : 'Choose another port here, or close the program using it. Quicksend keeps the relay turned on and tries again when you change the port or restart it.',
      };
    }
    if (error.code === 'EACCES')
      return {
        message: `Quicksend is not allowed to listen on port ${error.port}.`,
        hint: 'Choose a port between 1024 and 65535.',
      };
    return {
      message: `Quicksend could not listen on ${error.address} port ${error.port} (${error.code}).`,
      hint: 'Choose another port, or restart Quicksend.',
    };
  }

  async function stopServer(): Promise<void> {
    const running = server;
    server = null;
    if (running) {
      await running.close();
      log.info('relay stopped');
    }
  }

  async function applySettings(): Promise<void> {
    await stopServer();
    problem = null;
    if (!settings.enabled) {
      state = 'off';
      changed();
      return;
    }
    state = 'starting';
    changed();
    try {
      await ready();
      certificate ??= await loadLoopbackCertificate({
        dir: relayDir,
        dataKey: dataKey!,
        now: deps.clock.now(),
        create: options.createCertificate,
      });
      server = await startRelayServer(
        {
          port: settings.port,
          implicitTlsPort: settings.implicitTlsPort,
          allowPlainAuth: settings.allowPlainAuth,
          sizeLimitBytes: sizeLimit(),
          certificate,
        },
        session,
        options,
      );
      state = 'listening';
      log.info('relay listening', { listening: server.listening });
    } catch (error) {
      state = 'failed';
      if (error instanceof ListenError) problem = await describeListenError(error);
      else if (error instanceof AppError)
        problem = { message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
      else
        problem = {
          message: 'Quicksend could not start the relay for other programs.',
          hint: 'Restart Quicksend; if it happens again, export diagnostics from Settings.',
        };
      log.error('relay could not start', { error });
    }
    changed();
  }

  const requireProgram = (id: string) => {
    const credential = store?.get(id);
    if (!credential) throw new AppError('relay.unknown_credential', 'That program’s sign-in no longer exists.');
    return credential;
  };
  const programById = (id: string) => programs().find((p) => p.id === id)!;

  return {
    status,
    programs,
    connections: () => server?.connections() ?? 0,
    start: () =>
      serial(async () => {
        try {
          await ready();
        } catch (error) {
          log.error('could not load program sign-ins', { error });
        }
        if (settings.enabled) await applySettings();
      }),
    stop: () => serial(stopServer),
    async revokeForAccount(accountId) {
      const removed = await (await ready()).revokeForAccount(accountId);
      if (removed > 0) {
        log.info('program sign-ins of a removed account revoked', { accountId, removed });
        changed();
      }
      return removed;
    },
    async keepOnlyAccounts(accountIds) {
      const credentials = await ready();
      const gone = [
        ...new Set(
          credentials
            .list()
            .map((c) => c.accountId)
            .filter((id) => !accountIds.includes(id)),
        ),
      ];
      let removed = 0;
      for (const accountId of gone) removed += await credentials.revokeForAccount(accountId);
      if (removed > 0) {
        log.info('program sign-ins of removed accounts revoked', { removed });
        changed();
      }
      return removed;
    },
    configure: async (patch) => {
      const next = { ...settings, ...patch };
      if (next.implicitTlsPort !== null && next.implicitTlsPort === next.port) {
        throw new AppError('relay.same_port', `The implicit TLS port must differ from the main port (${next.port}).`);
      }
      try {
        deps.store.set(RELAY_SETTINGS_KEY, next);
      } catch (error) {
        log.error('could not save relay settings', { error });
        throw new AppError('settings.unwritable', 'Quicksend could not save your settings.', {
          hint: 'Check that your user folder has free space and is writable.',
        });
      }
      const restart =
        next.enabled !== settings.enabled ||
        next.port !== settings.port ||
        next.implicitTlsPort !== settings.implicitTlsPort ||
        next.allowPlainAuth !== settings.allowPlainAuth;
      // A failed start is tried again by any configure call, even an unchanged one.
      settings = next;
      if (restart || state === 'failed') await serial(applySettings);
      return status();
    },
    listPrograms: async () => {
      await ready();
      return programs();
    },
    createCredential: async ({ programName, accountId, rewriteFrom, sendLimitPerHour }) => {
      const credentials = await ready();
      const account = deps.accounts.get(accountId);
      if (!account) throw new AppError('accounts.unknown', 'That account no longer exists.');
      const made = await credentials.create({
        programName: programName.trim(),
        accountId,
        rewriteFrom: rewriteFrom ?? false,
        sendLimitPerHour: sendLimitPerHour ?? DEFAULT_SEND_LIMIT_PER_HOUR,
      });
      // Masked in every log line from now on, should anything ever print it.
      deps.redactor.register(made.password);
      log.info('program sign-in created', { credentialId: made.credential.id, accountId });
      changed();
      return {
        program: programById(made.credential.id),
        username: made.username,
        password: made.password,
        host: '127.0.0.1',
        port: settings.port,
        implicitTlsPort: settings.implicitTlsPort,
        allowPlainAuth: settings.allowPlainAuth,
      };
    },
    updateCredential: async (id, patch) => {
      const credentials = await ready();
      requireProgram(id);
      await credentials.update(id, {
        ...patch,
        ...(patch.programName ? { programName: patch.programName.trim() } : {}),
      });
      changed();
      return programById(id);
    },
    revokeCredential: async (id) => {
      const credentials = await ready();
      const revoked = await credentials.revoke(id);
      if (revoked) {
        log.info('program sign-in revoked', { credentialId: id });
        changed();
      }
      return { revoked };
    },
  };
}
