// The sandbox's SMTP half: a real smtp-server on 127.0.0.1 that speaks STARTTLS (or implicit TLS)
// with a certificate from a private CA, and AUTH XOAUTH2 and/or OAUTHBEARER (RFC 7628) only,
// checks every access token against the sandbox identity provider's introspection endpoint
// (revoked or expired: the mechanism's error exchange, then 535), saves each accepted message as an .eml file
// and lists them, and can be told to refuse, drop or ignore connections while keeping its port,
// or to fail a given phase a given number of times. Chosen recipients can be refused (5xx) or
// put off (4xx) at RCPT TO, and a per-message recipient limit set (452), like Postfix does.
// Tests, the demo and benchmarks share it.
import { EventEmitter, once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import type { Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  SMTPServer,
  type SMTPServerAuthentication,
  type SMTPServerDataStream,
  type SMTPServerSession,
} from 'smtp-server';
import { SANDBOX_MAIL_SCOPE, type IntrospectionResult } from './identity-provider';
import { FaultPlan, replyError, type FaultPhase, type SmtpReply } from './smtp-faults';
import { RecipientRules } from './smtp-recipients';
import {
  SANDBOX_SMTP_CA,
  SANDBOX_SMTP_CERT,
  SANDBOX_SMTP_KEY,
  SANDBOX_SMTP_WRONG_HOST_CERT,
  SANDBOX_SMTP_WRONG_HOST_KEY,
} from './smtp-cert';
import { addOAuthBearer, type SmtpServerConnection } from './smtp-oauthbearer';

export { type FaultPhase, type SmtpReply } from './smtp-faults';
export { SANDBOX_SMTP_CA, SANDBOX_SMTP_CA_NAME } from './smtp-cert';

/**
 * The certificate the server presents. `sandbox`: for 127.0.0.1, ::1 and localhost, signed by the
 * private CA (SANDBOX_SMTP_CA); `wrong-host`: from the same CA but for mail.elsewhere.test only;
 * `smtp-server-default`: smtp-server's bundled self-signed one, expired since 2025.
 */
export type SandboxCertificate = 'sandbox' | 'wrong-host' | 'smtp-server-default';

/** SASL mechanisms the server can offer; it never offers a password mechanism. */
export type SandboxAuthMethod = 'XOAUTH2' | 'OAUTHBEARER';

const CERTIFICATES: Record<Exclude<SandboxCertificate, 'smtp-server-default'>, { key: string; cert: string }> = {
  sandbox: { key: SANDBOX_SMTP_KEY, cert: SANDBOX_SMTP_CERT },
  'wrong-host': { key: SANDBOX_SMTP_WRONG_HOST_KEY, cert: SANDBOX_SMTP_WRONG_HOST_CERT },
};

/** How the listener treats new TCP connections; the port stays bound in every mode. */
export type SmtpConnectionMode = 'accept' | 'refuse' | 'drop' | 'silent';

export type SandboxSmtpOptions = {
  /** Token check, normally `sandbox.introspect` from the identity provider. */
  introspect: (token: string) => Promise<IntrospectionResult>;
  /** Scope a token must carry to send mail. Default: the sandbox mail scope. */
  requiredScope?: string;
  /** Where .eml files go; default a new temp folder. */
  mailDir?: string;
  /** Which certificate to present (see SandboxCertificate). Default `sandbox`. */
  certificate?: SandboxCertificate;
  /** Mechanisms offered in EHLO, in this order. Default both; `['OAUTHBEARER']` is a standards-only server (Dovecot). */
  authMethods?: SandboxAuthMethod[];
  /** Implicit TLS (port-465 style) instead of STARTTLS. */
  secure?: boolean;
  /** Allow AUTH before STARTTLS (for `security: 'none'` development accounts). Default false. */
  allowInsecureAuth?: boolean;
  /** Advertised SIZE; larger messages get 552. Default 25 MiB. */
  sizeLimitBytes?: number;
  /** Delay before the reply to DATA, to make a slow server (crash test). Default 0. */
  dataReplyDelayMs?: number;
  /** Idle timeout per session. Default 30 s. */
  socketTimeoutMs?: number;
};

/** One message the server accepted. */
export type ReceivedMessage = {
  id: string;
  file: string;
  /** The session's user: XOAUTH2 `user=` or OAUTHBEARER `a=`. */
  user: string;
  from: string;
  to: string[];
  sizeBytes: number;
  /** The Message-ID header, or null. */
  messageId: string | null;
  receivedAt: Date;
};

export type SmtpStats = {
  connections: number;
  greetings: number;
  authAttempts: number;
  authAccepted: number;
  /** AUTH attempts per mechanism. */
  authByMethod: Record<SandboxAuthMethod, number>;
  /** RFC 7628 error exchanges the client ended correctly with `AQ==`, and those it did not. */
  oauthBearerErrorSteps: { answeredWithAQ: number; otherAnswer: number };
  dataStarted: number;
  accepted: number;
};

export type SandboxSmtp = {
  host: '127.0.0.1';
  port: number;
  /** PEM of the private CA that signed the server's certificate: the account's extra CA. */
  ca: string;
  /** Presents another certificate to new connections from now on (a captive portal, a renewal). */
  setCertificate(certificate: Exclude<SandboxCertificate, 'smtp-server-default'>): void;
  mailDir: string;
  setMode(mode: SmtpConnectionMode): void;
  /** Scripts a fault: the next `times` hits of `phase` get `reply` (drop phases ignore the reply). */
  fail(phase: FaultPhase, reply: SmtpReply, times?: number): void;
  /** Clears scripted faults, recipient rules and the recipient limit. */
  clearFaults(): void;
  /** Refuses every RCPT TO for `address` (default Postfix's `550 5.1.1 ... User unknown`) until cleared. */
  refuseRecipient(address: string, reply?: SmtpReply): void;
  /** Puts off the next `times` RCPT TOs for `address` (default greylisting's `450 4.2.0`), then accepts it. */
  deferRecipient(address: string, reply?: SmtpReply, times?: number): void;
  /** At most `max` recipients per transaction; the rest get `452 4.5.3 too many recipients`. Null: no limit. */
  setRecipientLimit(max: number | null): void;
  setDataReplyDelay(ms: number): void;
  messages(): ReceivedMessage[];
  read(id: string): Promise<Buffer>;
  /** Resolves once at least `count` messages were accepted (event-driven, no polling). */
  waitForMessages(count: number, timeoutMs: number): Promise<ReceivedMessage[]>;
  stats(): SmtpStats;
  /** Emits `message` (ReceivedMessage), `auth` ({ ok, user, method }), `connection` (mode), `rcpt` ({ address, code }). */
  events: EventEmitter;
  stop(): Promise<void>;
};

type SessionConnection = { session: SMTPServerSession; close(): void; _socket: Socket };

/** Starts the sandbox SMTP server on 127.0.0.1 with an ephemeral port. */
export async function startSandboxSmtp(options: SandboxSmtpOptions): Promise<SandboxSmtp> {
  const mailDir = options.mailDir ?? mkdtempSync(path.join(os.tmpdir(), 'quicksend-smtp-'));
  await mkdir(mailDir, { recursive: true });
  const requiredScope = options.requiredScope ?? SANDBOX_MAIL_SCOPE;
  const faults = new FaultPlan();
  const recipients = new RecipientRules();
  const events = new EventEmitter();
  const received: ReceivedMessage[] = [];
  const stats: SmtpStats = {
    connections: 0,
    greetings: 0,
    authAttempts: 0,
    authAccepted: 0,
    authByMethod: { XOAUTH2: 0, OAUTHBEARER: 0 },
    oauthBearerErrorSteps: { answeredWithAQ: 0, otherAnswer: 0 },
    dataStarted: 0,
    accepted: 0,
  };
  const heldSockets = new Set<Socket>();
  let mode: SmtpConnectionMode = 'accept';
  let dataDelay = options.dataReplyDelayMs ?? 0;
  let counter = 0;
  const certificate = options.certificate ?? 'sandbox';
  const authMethods = options.authMethods ?? ['XOAUTH2', 'OAUTHBEARER'];
  if (authMethods.length === 0) throw new Error('the sandbox SMTP server needs at least one mechanism');

  const server: SMTPServer = new SMTPServer({
    secure: options.secure ?? false,
    ...(certificate === 'smtp-server-default' ? {} : CERTIFICATES[certificate]),
    name: 'smtp.sandbox.test',
    authMethods,
    allowInsecureAuth: options.allowInsecureAuth ?? false,
    size: options.sizeLimitBytes ?? 25 * 1024 * 1024,
    rejectOversized: true,
    disableReverseLookup: true,
    logger: false,
    socketTimeout: options.socketTimeoutMs ?? 30_000,
    closeTimeout: 200,
    onConnect(session, callback) {
      stats.greetings += 1;
      const connection = connectionOf(session);
      if (connection) {
        addOAuthBearer(connection as unknown as SmtpServerConnection, {
          onErrorStep: (aq) =>
            void (aq
              ? (stats.oauthBearerErrorSteps.answeredWithAQ += 1)
              : (stats.oauthBearerErrorSteps.otherAnswer += 1)),
        });
      }
      const fault = faults.take('greeting');
      callback(fault ? replyError(fault) : null);
    },
    onAuth(auth, session, callback) {
      const method = (auth.method as string) === 'OAUTHBEARER' ? 'OAUTHBEARER' : 'XOAUTH2';
      stats.authAttempts += 1;
      stats.authByMethod[method] += 1;
      const fault = faults.take('auth');
      if (fault) {
        events.emit('auth', { ok: false, user: auth.username, method });
        callback(replyError(fault));
        return;
      }
      checkToken(auth, session).then(
        (user) => {
          events.emit('auth', { ok: user !== null, user: user ?? auth.username, method });
          // A refused token gets the mechanism's error exchange, then 535: Gmail's for XOAUTH2
          // (developers.google.com/gmail/imap/xoauth2-protocol), RFC 7628 3.2.2 for OAUTHBEARER.
          if (user === null) {
            const data =
              method === 'XOAUTH2'
                ? { status: '401', schemes: 'bearer', scope: requiredScope }
                : { status: 'invalid_token', scope: requiredScope };
            return callback(null, { data });
          }
          stats.authAccepted += 1;
          callback(null, { user });
        },
        (error: unknown) =>
          callback(replyError({ code: 454, message: `4.7.0 Temporary authentication failure: ${String(error)}` })),
      );
    },
    onRcptTo(address, _session, callback) {
      const reply = recipients.take(address.address);
      events.emit('rcpt', { address: address.address, code: reply?.code ?? 250 });
      callback(reply ? replyError(reply) : null);
    },
    onData(stream, session, callback) {
      stats.dataStarted += 1;
      receive(stream, session).then(
        (outcome) => {
          if (outcome === 'dropped') return;
          const reply = () =>
            outcome instanceof Error ? callback(outcome) : callback(null, `OK queued as ${outcome.id}`);
          if (dataDelay > 0) setTimeout(reply, dataDelay);
          else reply();
        },
        (error: unknown) => callback(replyError({ code: 451, message: `4.3.0 Local error: ${String(error)}` })),
      );
    },
  });

  /** The session's user when the token is good, else null. OAUTHBEARER's `a=` is optional (RFC 7628 3.1). */
  async function checkToken(auth: SMTPServerAuthentication, _session: SMTPServerSession): Promise<string | null> {
    const method = auth.method as string;
    if (!auth.accessToken || (method !== 'XOAUTH2' && method !== 'OAUTHBEARER')) return null;
    if (method === 'XOAUTH2' && !auth.username) return null;
    const result = await options.introspect(auth.accessToken);
    if (!result.active) return null;
    if (typeof result.exp === 'number' && result.exp * 1000 <= Date.now()) return null;
    const email = String(result.email ?? '');
    if (auth.username && email.toLowerCase() !== auth.username.toLowerCase()) return null;
    return String(result.scope ?? '')
      .split(' ')
      .includes(requiredScope)
      ? auth.username || email
      : null;
  }

  function connectionOf(session: SMTPServerSession): SessionConnection | undefined {
    for (const connection of server.connections as Set<unknown> as Set<SessionConnection>) {
      if (connection.session === session) return connection;
    }
    return undefined;
  }

  async function receive(
    stream: SMTPServerDataStream,
    session: SMTPServerSession,
  ): Promise<ReceivedMessage | Error | 'dropped'> {
    if (faults.take('drop-during-data')) {
      // Let a little of the message arrive, then cut the TCP connection without a reply.
      stream.once('data', () => connectionOf(session)?._socket.destroy());
      stream.resume();
      await once(stream, 'close').catch(() => undefined);
      return 'dropped';
    }
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    if (stream.sizeExceeded) return replyError({ code: 552, message: '5.3.4 Error: message file too big' });
    const fault = faults.take('data');
    if (fault) return replyError(fault);
    const data = Buffer.concat(chunks);
    counter += 1;
    const id = `${String(counter).padStart(5, '0')}-${session.id}`;
    const file = path.join(mailDir, `${id}.eml`);
    await writeFile(`${file}.tmp`, data);
    await rename(`${file}.tmp`, file);
    const head = data.subarray(0, Math.max(0, data.indexOf('\r\n\r\n'))).toString('utf8');
    const message: ReceivedMessage = {
      id,
      file,
      user: String(session.user ?? ''),
      from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
      to: session.envelope.rcptTo.map((r) => r.address),
      sizeBytes: data.length,
      messageId: /^message-id:[ \t]*(.+)$/im.exec(head)?.[1]?.trim() ?? null,
      receivedAt: new Date(),
    };
    received.push(message);
    stats.accepted += 1;
    events.emit('message', message);
    return message;
  }

  // Not in @types/smtp-server 3.5; smtp-server 3.21 has it (see handler_RCPT).
  const limits = server.options as { maxRecipients?: number };

  // Take over the listener's connection handler so the modes can act before smtp-server does.
  const original = server.server.listeners('connection') as Array<(socket: Socket) => void>;
  server.server.removeAllListeners('connection');
  server.server.on('connection', (socket: Socket) => {
    stats.connections += 1;
    events.emit('connection', mode);
    socket.on('error', () => {});
    if (mode === 'accept') for (const listener of original) listener.call(server.server, socket);
    else if (mode === 'refuse') socket.end('421 4.3.2 Service not available, closing transmission channel\r\n');
    else if (mode === 'drop') socket.destroy();
    else {
      heldSockets.add(socket); // silent: never a byte, the client's timeout must fire
      socket.once('close', () => heldSockets.delete(socket));
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  server.on('error', () => {}); // client-caused socket errors are part of the tests
  const address = server.server.address();
  if (!address || typeof address !== 'object') throw new Error('sandbox SMTP did not bind');

  return {
    host: '127.0.0.1',
    port: address.port,
    ca: SANDBOX_SMTP_CA,
    setCertificate: (next) => server.updateSecureContext(CERTIFICATES[next]),
    mailDir,
    setMode: (next) => void (mode = next),
    fail: (phase, reply, times) => faults.add(phase, reply, times),
    clearFaults: () => {
      faults.clear();
      recipients.clear();
      limits.maxRecipients = 0;
    },
    refuseRecipient: (address, reply) => recipients.refuse(address, reply),
    deferRecipient: (address, reply, times) => recipients.defer(address, reply, times),
    // smtp-server reads the option at every RCPT TO and answers 452 itself beyond it.
    setRecipientLimit: (max) => void (limits.maxRecipients = max ?? 0),
    setDataReplyDelay: (ms) => void (dataDelay = ms),
    messages: () => [...received],
    read: async (id) => {
      const message = received.find((m) => m.id === id);
      if (!message) throw new Error(`no message ${id}`);
      return readFile(message.file);
    },
    waitForMessages(count, timeoutMs) {
      if (received.length >= count) return Promise.resolve([...received]);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          events.off('message', check);
          reject(new Error(`sandbox SMTP: ${received.length} of ${count} messages after ${timeoutMs} ms`));
        }, timeoutMs);
        function check(): void {
          if (received.length < count) return;
          clearTimeout(timer);
          events.off('message', check);
          resolve([...received]);
        }
        events.on('message', check);
      });
    },
    stats: () => structuredClone(stats),
    events,
    async stop() {
      for (const socket of heldSockets) socket.destroy();
      for (const connection of server.connections as Set<unknown> as Set<SessionConnection>)
        connection._socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
