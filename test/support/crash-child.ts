// The process the crash test kills: hosts a real mail service (outbox on disk, nodemailer, real
// sandbox tokens) and reports on stdout, one JSON object per line, so the parent can kill it at
// chosen moments. Run with `node --import tsx test/support/crash-child.ts`; settings by env:
//   CRASH_DATA_DIR, CRASH_CIPHER_KEY (hex, same across restarts), CRASH_ISSUER, CRASH_CLIENT_ID,
//   CRASH_SMTP_PORT, CRASH_ENQUEUE (count of messages to queue on this start, 0 on restarts),
//   CRASH_CONCURRENCY (default 2).
import type { AccountDirectory, SendingAccount } from '../../electron/accounts/sending-account';
import { defaultSmtpTimeouts } from '../../electron/mail/smtp-transport';
import { createFileRegistry } from '../../electron/files/file-registry';
import { createMailService } from '../../electron/outbox/mail-service';
import { createOutboxMirror } from '../../electron/outbox/outbox-mirror';
import { createEventBus } from '../../electron/ipc/event-bus';
import { createLogger, createMemorySink, createRedactor } from '../../electron/shared/logger';
import { systemClock } from '../../electron/shared/ports';
import { createNodeCipher } from './node-cipher';
import { createSandboxTokenSource } from '../fakes/sandbox-token-source';
import { SANDBOX_SMTP_CA } from './sandbox/smtp-cert';

// A default sandbox user; CRASH_CONCURRENCY (messages in flight at once) bounds duplicates per kill.
const CRASH_USER = 'demo@quicksend.test';
const CRASH_CONCURRENCY = Number(process.env.CRASH_CONCURRENCY ?? '2');

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`crash child: ${name} is not set`);
  return value;
};
const out = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);

const account: SendingAccount = {
  id: 'acc-1',
  providerId: 'sandbox',
  login: CRASH_USER,
  fromAddress: CRASH_USER,
  displayName: 'Crash Test',
  smtp: { host: '127.0.0.1', port: Number(env('CRASH_SMTP_PORT')), security: 'starttls', extraCa: SANDBOX_SMTP_CA },
  attachmentLimitBytes: 25_000_000,
};
const accounts: AccountDirectory = {
  get: (id) => (id === account.id ? account : undefined),
  markNeedsSignIn: async () => {},
  touch: () => {},
};
const redactor = createRedactor();
const tokens = await createSandboxTokenSource({ issuer: env('CRASH_ISSUER'), clientId: env('CRASH_CLIENT_ID') }, (t) =>
  redactor.register(t),
);
await tokens.signIn(account.id, CRASH_USER);

const events = createEventBus();
const service = createMailService({
  dataDir: env('CRASH_DATA_DIR'),
  cipher: createNodeCipher(Buffer.from(env('CRASH_CIPHER_KEY'), 'hex')),
  accounts,
  tokens,
  clock: systemClock,
  network: { isOnline: () => true, onOnline: () => () => {}, onResume: () => () => {} },
  events,
  logger: createLogger({ sink: createMemorySink({ limit: 1000 }), redactor }),
  redactor,
  development: true,
  undoDelayMs: () => 0,
  files: createFileRegistry({ clock: systemClock }),
  options: {
    concurrency: CRASH_CONCURRENCY,
    backoff: { baseMs: 50, capMs: 400, factor: 2, random: Math.random },
    timeouts: { ...defaultSmtpTimeouts, connectionMs: 2_000, greetingMs: 2_000, socketMs: 5_000, sendMs: 10_000 },
  },
});

let enqueueing = Number(process.env.CRASH_ENQUEUE ?? '0') > 0;
let started = false; // waitingCount() is 0 until start() has loaded the outbox
const reportEmpty = () => {
  if (started && !enqueueing && service.waitingCount() === 0) out({ event: 'empty' });
};
// The outbox as a window follows it: the list, then each event's changes. One line per message
// changed (an event carries the changes of one tick together), so the parent can kill the
// process between any two changes, as often as before events were grouped.
const outbox = createOutboxMirror({
  list: () => service.outbox(),
  onUpdate: ({ before, after, first }) => {
    if (first) return;
    const items = outbox.items();
    const sending = items.filter((i) => i.state === 'sending').length;
    const changed = new Set([...before, ...after].map((i) => i.id)).size;
    for (let n = 0; n < changed; n += 1) out({ event: 'changed', items: items.length, sending });
    reportEmpty();
  },
});
events.on('outbox:changed', (event) => outbox.apply(event));
process.on('SIGTERM', () => {
  service.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});

await service.start();
await outbox.resync();
started = true;
out({ event: 'ready', waiting: service.waitingCount() });
reportEmpty();
const count = Number(process.env.CRASH_ENQUEUE ?? '0');
for (let n = 1; n <= count; n += 1) {
  const { id } = await service.send({
    accountId: account.id,
    to: [`friend${n}@example.com`],
    subject: `crash test #${n}`,
    text: `message ${n}`,
  });
  out({ event: 'accepted', n, id });
}
enqueueing = false;
out({ event: 'enqueued' });
reportEmpty();
