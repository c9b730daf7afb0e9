/**
 * A relay service on its own, as core builds it but with every port a test can see into: a
 * temp data directory, the Node cipher, an in-memory settings store, recorded notifications,
 * events and log lines, and a stand-in sink. Short timeouts come from `options`.
 */
import net from 'node:net';
import type { Notification } from '../../../electron/shared/ports';
import type { Clock, KeyValueStore } from '../../../electron/shared/ports';
import { systemClock } from '../../../electron/shared/ports';
import { createEventBus } from '../../../electron/ipc/event-bus';
import { createLogger, createMemorySink, createRedactor } from '../../../electron/shared/logger';
import { createNodeCipher } from '../node-cipher';
import type { RelayAccount } from '../../../electron/relay/relay-accounts';
import type { RelayOptions } from '../../../electron/relay/relay-options';
import { createRelayService, type RelayService } from '../../../electron/relay/relay-service';
import type { RelaySink } from '../../../electron/relay/relay-sink';
import type { EventPayloadOf } from '../../../electron/ipc/contract';
import { tempDataDir } from '../node-ports';

export const RELAY_ACCOUNT: RelayAccount = {
  id: 'acc-1',
  address: 'demo@quicksend.test',
  fromAddress: 'demo@quicksend.test',
  displayName: 'Demo User',
  messageLimitBytes: 25 * 1024 * 1024,
};

/** A TCP port nothing listens on right now (bound and released on 127.0.0.1). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export type RelayWorld = {
  relay: RelayService;
  dataDir: string;
  port: number;
  accounts: Map<string, RelayAccount>;
  notifications: Notification[];
  changes: Array<EventPayloadOf<'relay:changed'>>;
  logText(): string;
  /** Turns the relay on at `port` and waits for it to listen (or fail). */
  enable(
    patch?: Partial<EventPayloadOf<'relay:changed'>['status']['settings']>,
  ): Promise<EventPayloadOf<'relay:changed'>['status']>;
  createCredential(input?: {
    programName?: string;
    accountId?: string;
    rewriteFrom?: boolean;
    sendLimitPerHour?: number;
  }): Promise<{ id: string; username: string; password: string }>;
  stop(): Promise<void>;
};

export async function openRelayWorld(options: {
  sink: RelaySink;
  clock?: Clock;
  relay?: Partial<RelayOptions>;
  accounts?: RelayAccount[];
  dataDir?: string;
  port?: number;
}): Promise<RelayWorld> {
  const dataDir = options.dataDir ?? tempDataDir('quicksend-relay-');
  const values = new Map<string, unknown>();
  const store: KeyValueStore = {
    get: (k) => values.get(k),
    set: (k, v) => void values.set(k, v),
    delete: (k) => void values.delete(k),
    has: (k) => values.has(k),
  };
  const sink = createMemorySink();
  const redactor = createRedactor();
  const logger = createLogger({ sink, redactor, scope: 'test', level: 'debug' });
  const events = createEventBus();
  const changes: RelayWorld['changes'] = [];
  events.on('relay:changed', (payload) => changes.push(payload));
  const notifications: Notification[] = [];
  const accounts = new Map((options.accounts ?? [RELAY_ACCOUNT]).map((a) => [a.id, a]));
  const relay = createRelayService({
    dataDir,
    cipher: createNodeCipher(),
    store,
    accounts: { get: (id) => accounts.get(id) },
    sink: options.sink,
    clock: options.clock ?? systemClock,
    notifier: { notify: (n) => void notifications.push(n) },
    events,
    logger,
    redactor,
    options: { hosts: ['127.0.0.1'], closeTimeoutMs: 200, ...options.relay },
  });
  await relay.start();
  const port = options.port ?? (await freePort());
  return {
    relay,
    dataDir,
    port,
    accounts,
    notifications,
    changes,
    logText: () => JSON.stringify(sink.records),
    enable: (patch = {}) => relay.configure({ enabled: true, port, ...patch }),
    async createCredential(input = {}) {
      const made = await relay.createCredential({
        programName: input.programName ?? 'backup script',
        accountId: input.accountId ?? RELAY_ACCOUNT.id,
        ...(input.rewriteFrom !== undefined ? { rewriteFrom: input.rewriteFrom } : {}),
        ...(input.sendLimitPerHour !== undefined ? { sendLimitPerHour: input.sendLimitPerHour } : {}),
      });
      return { id: made.program.id, username: made.username, password: made.password };
    },
    stop: () => relay.stop(),
  };
}
