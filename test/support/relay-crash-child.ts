// The process the relay crash test kills: a real mail service (outbox on disk) behind a real
// relay on 127.0.0.1, with one program credential, and the network reported offline so the
// outbox keeps what it accepts instead of sending it. It reports on stdout, one JSON object
// per line: `{ event: 'ready', port, username, password }` once the relay listens. The parent
// submits a message, kills this process with SIGKILL right after the 250, and starts a fresh
// mail service over the same data directory. Run with `node --import tsx`; settings by env:
//   RELAY_CRASH_DATA_DIR, RELAY_CRASH_CIPHER_KEY (hex, the same for the fresh service).
import net from 'node:net';
import type { AccountDirectory, SendingAccount } from '../../electron/accounts/sending-account';
import { createFileRegistry } from '../../electron/files/file-registry';
import { createMailService } from '../../electron/outbox/mail-service';
import { createRelayedSink } from '../../electron/outbox/relayed-messages';
import { createRelayService } from '../../electron/relay/relay-service';
import { createEventBus } from '../../electron/ipc/event-bus';
import { createLogger, createMemorySink, createRedactor } from '../../electron/shared/logger';
import { systemClock, type KeyValueStore } from '../../electron/shared/ports';
import { createNodeCipher } from './node-cipher';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`relay crash child: ${name} is not set`);
  return value;
};
const out = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);

const USER = 'demo@quicksend.test';
const dataDir = env('RELAY_CRASH_DATA_DIR');
const cipher = createNodeCipher(Buffer.from(env('RELAY_CRASH_CIPHER_KEY'), 'hex'));
const account: SendingAccount = {
  id: 'acc-1',
  providerId: 'sandbox',
  login: USER,
  fromAddress: USER,
  displayName: 'Demo User',
  // Never contacted: the network is offline for this process.
  smtp: { host: '127.0.0.1', port: 9, security: 'starttls' },
  attachmentLimitBytes: 25_000_000,
};
const accounts: AccountDirectory = {
  get: (id) => (id === account.id ? account : undefined),
  markNeedsSignIn: async () => {},
  touch: () => {},
};
const redactor = createRedactor();
const logger = createLogger({ sink: createMemorySink({ limit: 1000 }), redactor });
const events = createEventBus();
const mail = createMailService({
  dataDir,
  cipher,
  accounts,
  tokens: { getAccessToken: async () => Promise.reject(new Error('offline')), invalidate: () => {} },
  clock: systemClock,
  network: { isOnline: () => false, onOnline: () => () => {}, onResume: () => () => {} },
  events,
  logger,
  redactor,
  development: true,
  undoDelayMs: () => 0,
  files: createFileRegistry({ clock: systemClock }),
});
await mail.start();

const values = new Map<string, unknown>();
const store: KeyValueStore = {
  get: (k) => values.get(k),
  set: (k, v) => void values.set(k, v),
  delete: (k) => void values.delete(k),
  has: (k) => values.has(k),
};
const relay = createRelayService({
  dataDir,
  cipher,
  store,
  accounts: {
    get: (id) =>
      id === account.id
        ? {
            id,
            address: USER,
            fromAddress: USER,
            displayName: 'Demo User',
            messageLimitBytes: account.attachmentLimitBytes,
          }
        : undefined,
  },
  sink: createRelayedSink({
    intake: (message) => mail.acceptRelayed(message),
    needsSignIn: () => null,
    notifier: { notify: () => {} },
    clock: systemClock,
  }),
  clock: systemClock,
  notifier: { notify: () => {} },
  events,
  logger,
  redactor,
  options: { hosts: ['127.0.0.1'], closeTimeoutMs: 200 },
});
await relay.start();

const probe = net.createServer();
await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
const port = (probe.address() as net.AddressInfo).port;
await new Promise<void>((resolve) => probe.close(() => resolve()));

const status = await relay.configure({ enabled: true, port });
if (status.state !== 'listening') throw new Error(`relay crash child: the relay did not start (${status.state})`);
const made = await relay.createCredential({ programName: 'crash script', accountId: account.id });
out({ event: 'ready', port, username: made.username, password: made.password });
