/**
 * The relay's SMTP conversation, as smtp-server callbacks: AUTH PLAIN/LOGIN against the
 * credential store (failures delayed, then locked out), MAIL FROM checked against the
 * credential's account (sender, SIZE, hourly limit), RCPT TO counted, and DATA streamed
 * through the header editor into the sink; 250 only once the sink stored the message.
 */
import { randomBytes } from 'node:crypto';
import { finished } from 'node:stream/promises';
import { domainToASCII } from 'node:url';
import type {
  SMTPServerAddress,
  SMTPServerAuthentication,
  SMTPServerAuthenticationResponse,
  SMTPServerDataStream,
  SMTPServerSession,
} from 'smtp-server';
import type { Logger } from '../shared/logger';
import type { Clock } from '../shared/ports';
import { bucketOf, type AuthThrottle } from './auth-throttle';
import type { CredentialInfo, CredentialStore } from './credential-store';
import { createMessageStream } from './message-stream';
import { allowedSenders, type RelayAccount, type RelayAccounts } from './relay-accounts';
import type { RelayOptions } from './relay-options';
import { megabytes, RelayReply } from './relay-reply';
import { sinkReply, type RelaySink } from './relay-sink';

export type RelaySessionDeps = {
  /** The loaded credential store (loaded before any listener starts). */
  credentials(): CredentialStore;
  accounts: RelayAccounts;
  sink: RelaySink;
  throttle: AuthThrottle;
  clock: Clock;
  options: Pick<RelayOptions, 'maxRecipients' | 'maxHeaderBytes' | 'auth'>;
  logger: Logger;
  /** A credential reached its hourly limit (the person is told, at most once an hour per credential). */
  onLimitReached(credential: CredentialInfo, account: RelayAccount | undefined): void;
  /** A message was stored (counts and last-used times changed). */
  onAccepted(credential: CredentialInfo, id: string): void;
};

type Callback = (error?: Error | null) => void;

/** What one session holds between commands: a send reserved against the hourly limit. */
type SessionState = { reserved: string | null };

const addressList = (addresses: string[]) => addresses.map((a) => `<${a}>`).join(' or ');

/** The address with its domain in ASCII (smtp-server hands IDN domains over decoded); null for a non-ASCII local part. */
function asciiAddress(address: string): string | null {
  const at = address.lastIndexOf('@');
  const local = at < 0 ? address : address.slice(0, at);
  if ([...local].some((c) => c.charCodeAt(0) > 0x7f)) return null;
  if (at < 0) return address;
  const domain = domainToASCII(address.slice(at + 1));
  return domain ? `${local}@${domain}` : null;
}

export function createRelaySession(deps: RelaySessionDeps) {
  const { accounts, throttle, clock } = deps;
  const credentials = () => deps.credentials();
  const log = deps.logger;
  const states = new Map<string, SessionState>();
  // Sends reserved by sessions between MAIL FROM and the end of DATA, per credential.
  const inFlight = new Map<string, number>();
  const stateOf = (session: SMTPServerSession) => {
    let state = states.get(session.id);
    if (!state) states.set(session.id, (state = { reserved: null }));
    return state;
  };
  const release = (state: SessionState) => {
    if (!state.reserved) return;
    const left = (inFlight.get(state.reserved) ?? 1) - 1;
    if (left > 0) inFlight.set(state.reserved, left);
    else inFlight.delete(state.reserved);
    state.reserved = null;
  };

  /** The signed-in credential and its account, or the reply that ends the transaction. */
  function signedIn(session: SMTPServerSession): { credential: CredentialInfo; account: RelayAccount } | RelayReply {
    const credential = typeof session.user === 'string' ? credentials().get(session.user) : undefined;
    if (!credential)
      return new RelayReply(
        530,
        '5.7.0 This program’s access to Quicksend was revoked; sign in with a current username and password',
      );
    const account = accounts.get(credential.accountId);
    if (!account) return new RelayReply(550, '5.7.1 The Quicksend account this program sent from was removed');
    return { credential, account };
  }

  return {
    onAuth(
      auth: SMTPServerAuthentication,
      session: SMTPServerSession,
      callback: (error: Error | null | undefined, response?: SMTPServerAuthenticationResponse) => void,
    ): void {
      const username = auth.username ?? '';
      const bucket = bucketOf(username, credentials().knows(username));
      const locked = throttle.lockedFor(bucket, clock.now());
      if (locked > 0) {
        callback(
          new RelayReply(
            454,
            `4.7.0 Too many failed sign-ins; Quicksend refuses this username for ${Math.ceil(locked / 60_000)} more minute(s)`,
          ),
        );
        return;
      }
      const credential =
        auth.method === 'PLAIN' || auth.method === 'LOGIN' ? credentials().verify(username, auth.password ?? '') : null;
      if (credential && accounts.get(credential.accountId)) {
        credentials().recordSignIn(credential.id, clock.now());
        log.info('program signed in', { credentialId: credential.id, session: session.id });
        callback(null, { user: credential.id });
        return;
      }
      // Nothing the client typed is logged: not the username, never the password.
      const lockedNow = throttle.fail(bucket, clock.now());
      log.warn(lockedNow ? 'relay sign-in failed; too many failures, refusing for a while' : 'relay sign-in failed', {
        session: session.id,
      });
      clock.setTimeout(
        () => callback(new RelayReply(535, '5.7.8 Username and password not accepted')),
        deps.options.auth.failureDelayMs,
      );
    },

    onMailFrom(address: SMTPServerAddress, session: SMTPServerSession, callback: Callback): void {
      const state = stateOf(session);
      release(state);
      const who = signedIn(session);
      if (who instanceof RelayReply) return callback(who);
      const { credential, account } = who;
      const declared = Number((address.args as Record<string, unknown>).SIZE ?? 0);
      if (declared > account.messageLimitBytes) {
        return callback(
          new RelayReply(
            552,
            `5.3.4 Message too big: ${account.address} takes messages up to ${megabytes(account.messageLimitBytes)}`,
          ),
        );
      }
      const allowed = allowedSenders(account);
      if (!credential.rewriteFrom && !allowed.includes(address.address.toLowerCase())) {
        return callback(
          new RelayReply(
            553,
            `5.7.1 This program may send only as ${addressList(allowed)}; the envelope sender <${address.address}> is not allowed`,
          ),
        );
      }
      const now = clock.now();
      const used = credentials().sentInLastHour(credential.id, now) + (inFlight.get(credential.id) ?? 0);
      if (used >= credential.sendLimitPerHour) {
        deps.onLimitReached(credential, account);
        return callback(
          new RelayReply(
            451,
            `4.7.1 This program reached its limit of ${credential.sendLimitPerHour} messages an hour in Quicksend; try again later`,
          ),
        );
      }
      inFlight.set(credential.id, (inFlight.get(credential.id) ?? 0) + 1);
      state.reserved = credential.id;
      callback();
    },

    onRcptTo(address: SMTPServerAddress, session: SMTPServerSession, callback: Callback): void {
      if (session.envelope.rcptTo.length >= deps.options.maxRecipients) {
        return callback(
          new RelayReply(
            452,
            `4.5.3 Too many recipients: Quicksend sends a message to at most ${deps.options.maxRecipients}`,
          ),
        );
      }
      if (asciiAddress(address.address) === null) {
        return callback(
          new RelayReply(
            553,
            '5.6.7 Quicksend cannot relay addresses with non-ASCII characters before the @ (SMTPUTF8)',
          ),
        );
      }
      callback();
    },

    onData(
      stream: SMTPServerDataStream,
      session: SMTPServerSession,
      callback: (error?: Error | null, message?: string) => void,
    ): void {
      const state = stateOf(session);
      const who = signedIn(session);
      if (who instanceof RelayReply) {
        release(state);
        return callback(who);
      }
      const { credential, account } = who;
      const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
      const allowed = allowedSenders(account);
      const domain = account.fromAddress.slice(account.fromAddress.lastIndexOf('@') + 1) || 'quicksend.localhost';
      const message = createMessageStream({
        limitBytes: account.messageLimitBytes,
        maxHeaderBytes: deps.options.maxHeaderBytes,
        edit: {
          now: new Date(clock.now()),
          messageIdDomain: domainToASCII(domain) || 'quicksend.localhost',
          messageIdLocal: `${clock.now().toString(36)}.${randomBytes(9).toString('hex')}`,
          defaultFrom: { address: account.fromAddress, displayName: account.displayName },
          ...(credential.rewriteFrom
            ? { rewriteFrom: { address: account.fromAddress, displayName: account.displayName } }
            : {}),
        },
        checkFrom: (from) =>
          from.every((address) => allowed.includes(address.toLowerCase()))
            ? null
            : new RelayReply(
                550,
                `5.7.1 This program may send only From: ${addressList(allowed)}; the message is From: ${from.map((a) => `<${a}>`).join(', ') || 'nobody'}`,
              ),
      });
      // Whatever happens, the rest of the client's DATA is read and dropped so it gets its reply.
      let refusal: Error | null = null;
      const drain = () => {
        stream.unpipe(message);
        stream.resume();
      };
      message.on('error', (error: Error) => {
        refusal ??= error;
        drain();
      });
      stream.on('error', (error: Error) => message.destroy(error));
      stream.pipe(message);

      const envelope = {
        from: credential.rewriteFrom ? account.fromAddress : mailFrom,
        to: session.envelope.rcptTo.map((rcpt) => asciiAddress(rcpt.address) ?? rcpt.address),
      };
      const declared = Number(
        (session.envelope.mailFrom ? (session.envelope.mailFrom.args as Record<string, unknown>).SIZE : 0) ?? 0,
      );
      const accepted = deps.sink.accept({
        credentialId: credential.id,
        accountId: account.id,
        programName: credential.programName,
        envelope,
        message,
        declaredSizeBytes: declared > 0 ? declared : null,
      });
      // 250 only when the sink stored it and it was the whole message (the stream ended well);
      // any refusal is answered only once the sink settled, so nothing half-stored remains.
      accepted
        .then(async (stored) => {
          await finished(message, { writable: false }).catch((error: unknown) => {
            throw refusal ?? error;
          });
          release(state);
          credentials().recordSend(credential.id, clock.now());
          log.info('message from a program queued', {
            credentialId: credential.id,
            id: stored.id,
            bytes: message.bytesIn,
          });
          deps.onAccepted(credentials().get(credential.id) ?? credential, stored.id);
          callback(null, `2.0.0 Queued by Quicksend as ${stored.id}`);
        })
        .catch((error: unknown) => {
          release(state);
          const reply = refusal instanceof RelayReply ? refusal : error instanceof RelayReply ? error : null;
          if (!message.destroyed) message.destroy(reply ?? new Error('not stored'));
          drain();
          if (reply) {
            log.info('message from a program refused', { credentialId: credential.id, code: reply.responseCode });
            return callback(reply);
          }
          const mapped = sinkReply(refusal ?? error);
          log.warn('message from a program not stored', {
            credentialId: credential.id,
            code: mapped.code,
            error: refusal ?? error,
          });
          callback(new RelayReply(mapped.code, mapped.message));
        });
    },

    onClose(session: SMTPServerSession): void {
      const state = states.get(session.id);
      if (state) release(state);
      states.delete(session.id);
    },
  };
}

export type RelaySession = ReturnType<typeof createRelaySession>;
