/**
 * One pooled nodemailer transport per account, fed with access tokens from the token source.
 * Each new connection asks the token source exactly once, from its SASL handler (smtp-oauth.ts);
 * there is no separate pre-ask. A send that the server refuses at AUTH (535 and friends) drops
 * the cached token, refreshes and tries once more on a new connection (ARCHITECTURE.md section
 * 5); a certificate that does not verify is explained with the issuer a probe reads (never
 * retried by itself). The caller gets the decoded outcome and the number of SMTP attempts made.
 * Recipients the server did not take at RCPT TO come back with the server's reply each, both
 * when others were taken and when none were: the outbox decides per recipient.
 */
import { Readable } from 'node:stream';
import type Mail from 'nodemailer/lib/mailer';
import type { AccessTokenSource, AccountDirectory, SendingAccount } from '../accounts/sending-account';
import { AppError } from '../shared/errors';
import type { Logger, Redactor } from '../shared/logger';
import type { Clock } from '../shared/ports';
import { rejectedRecipients, type RecipientReplies, type RecipientReply } from './envelope';
import { checkServerTrust, explainCertificateFailure, type TrustCheckOptions, type TrustVerdict } from './server-trust';
import { decodeSendError, type DecodedSmtpError } from './smtp-errors';
import { nodemailer } from './nodemailer-parts';
import { ehloName, transportOptions, type SmtpTimeouts } from './smtp-transport';

export type SendOutcome =
  /** `recipients`: who was taken at RCPT TO and who not (absent: every envelope recipient was taken). */
  | { ok: true; attempts: number; messageId: string; response: string; recipients?: RecipientReplies }
  /** `rejected`: nobody was taken at RCPT TO, with the reply for each recipient. */
  | { ok: false; attempts: number; error: DecodedSmtpError; rejected?: RecipientReply[] };

export type VerifyOutcome = { ok: true } | { ok: false; error: DecodedSmtpError };

/** What the outbox and `accounts:test` need from SMTP. */
export interface SmtpSender {
  /**
   * Sends `message`; a function is called for every attempt, for messages whose attachments
   * stream from disk (a stream is read once, and a retry needs its bytes again).
   */
  send(accountId: string, message: Mail.Options | (() => Mail.Options)): Promise<SendOutcome>;
  /** Connects, upgrades to TLS and authenticates without sending, on a fresh connection. */
  verify(accountId: string): Promise<VerifyOutcome>;
  /** Whether the account's server certificate can be trusted now; never signs in. */
  checkServer(accountId: string): Promise<TrustVerdict>;
  /** Closes the account's pool (after sign-out or changed settings). */
  close(accountId: string): void;
  closeAll(): void;
}

export type SmtpSenderDeps = {
  accounts: AccountDirectory;
  tokens: AccessTokenSource;
  redactor: Redactor;
  logger: Logger;
  clock: Clock;
  development: boolean;
  timeouts: SmtpTimeouts;
  /** Parallel connections per account. */
  maxConnections: number;
};

type Pooled = { key: string; transport: Mail };

/** The token source said no (decoded from inside nodemailer's error): no AUTH was sent. */
const isTokenFailure = (error: DecodedSmtpError) =>
  error.code === 'auth.needs_sign_in' || error.code === 'smtp.token_unavailable';

const unknownAccount: DecodedSmtpError = {
  class: 'permanent',
  action: 'fail',
  layer: 'authentication',
  code: 'mail.unknown_account',
  message: 'This account no longer exists in Quicksend.',
  hint: 'Add the account again, or send from another one.',
  replyCode: null,
  enhanced: null,
};

/** A transport that could not be made for the account (its settings refused, e.g. no TLS to a remote host). */
const transportProblem = (error: AppError): DecodedSmtpError => ({
  ...unknownAccount,
  code: error.code,
  layer: 'tls',
  message: error.message,
  hint: error.hint ?? '',
});

/** Creates the sender; transports are made on first use and reused while settings stay the same. */
export function createSmtpSender(deps: SmtpSenderDeps): SmtpSender {
  const pools = new Map<string, Pooled>();
  const log = deps.logger.child('smtp');

  const trust: TrustCheckOptions = {
    timeoutMs: deps.timeouts.connectionMs + deps.timeouts.greetingMs,
    ehloName: ehloName(),
    now: () => deps.clock.now(),
    log,
  };

  /**
   * The token for one new connection. Failures are re-thrown as fresh AppErrors: nodemailer
   * rewrites the code of what a SASL handler throws (to EAUTH, keeping ours as originalCode),
   * and the token source's own error object may be shared with other callers.
   */
  async function accessToken(accountId: string): Promise<string> {
    let value: string;
    try {
      value = await deps.tokens.getAccessToken(accountId);
    } catch (error) {
      if (error instanceof AppError && error.code === 'auth.needs_sign_in')
        throw new AppError(error.code, error.message, { hint: error.hint, cause: error });
      throw new AppError('smtp.token_unavailable', 'Quicksend could not refresh the sign-in for this account.', {
        cause: error,
      });
    }
    deps.redactor.register(value); // before nodemailer or any log line can see it
    return value;
  }

  function transportFor(account: SendingAccount): Mail {
    const key = JSON.stringify([account.login, account.smtp]);
    const existing = pools.get(account.id);
    if (existing?.key === key) return existing.transport;
    existing?.transport.close();
    const options = transportOptions(account, {
      development: deps.development,
      timeouts: deps.timeouts,
      accessToken: () => accessToken(account.id),
      onMechanism: (mechanism) => log.info('signing in', { accountId: account.id, mechanism }),
      maxConnections: deps.maxConnections,
    });
    const transport = nodemailer().createTransport(options);
    transport.on('error', (error) => log.warn('transport error', { accountId: account.id, error }));
    pools.set(account.id, { key, transport });
    return transport;
  }

  async function sendOnce(
    transport: Mail,
    message: Mail.Options,
  ): Promise<{ messageId: string; response: string; recipients: RecipientReplies }> {
    const controller = new AbortController();
    const timer = deps.clock.setTimeout(() => controller.abort(new Error('send timeout')), deps.timeouts.sendMs);
    try {
      const info = (await transport.sendMail({ ...message, signal: controller.signal })) as {
        messageId: string;
        response: string;
        accepted?: unknown;
      };
      const accepted = Array.isArray(info.accepted)
        ? info.accepted.filter((a): a is string => typeof a === 'string')
        : [];
      return {
        messageId: info.messageId,
        response: info.response,
        recipients: { accepted, rejected: rejectedRecipients(info) },
      };
    } finally {
      deps.clock.clearTimeout(timer);
    }
  }

  /** A certificate failure gets the probe's facts: issuer, names, dates. */
  async function explained(account: SendingAccount, decoded: DecodedSmtpError): Promise<DecodedSmtpError> {
    if (decoded.action !== 'check-certificate') return decoded;
    return explainCertificateFailure(account, decoded.certificate ?? 'untrusted', trust);
  }

  return {
    async send(accountId, message) {
      const account = deps.accounts.get(accountId);
      if (!account) return { ok: false, attempts: 0, error: unknownAccount };
      let attempts = 0;
      for (let round = 0; round < 2; round += 1) {
        let transport: Mail;
        try {
          transport = transportFor(account);
        } catch (error) {
          if (error instanceof AppError)
            return {
              ok: false,
              attempts,
              error: transportProblem(error),
            };
          throw error;
        }
        attempts += 1;
        const options = typeof message === 'function' ? message() : message;
        try {
          const info = await sendOnce(transport, options);
          return { ok: true, attempts, ...info };
        } catch (error) {
          // An attempt that failed before reading its attachment streams must not leave them open.
          for (const attachment of options.attachments ?? [])
            if (attachment.content instanceof Readable) attachment.content.destroy();
          const decoded = decodeSendError(error);
          const rejected = rejectedRecipients(error);
          // "Cannot get a token" is not an attempt the server saw: no AUTH went out.
          if (isTokenFailure(decoded)) attempts -= 1;
          log.info('send attempt failed', {
            accountId,
            attempt: attempts,
            code: decoded.code,
            replyCode: decoded.replyCode,
            layer: decoded.layer,
          });
          // Refusals at RCPT TO come after a successful AUTH: they are about the recipients
          // (Postfix's "Relay access denied" for a domain it will not relay to), not the token.
          if (decoded.action === 'reauthenticate' && round === 0 && !isTokenFailure(decoded) && rejected.length === 0) {
            deps.tokens.invalidate(accountId);
            continue;
          }
          const explainedError = await explained(account, decoded);
          return rejected.length > 0
            ? { ok: false, attempts, error: explainedError, rejected }
            : { ok: false, attempts, error: explainedError };
        }
      }
      throw new Error('unreachable');
    },

    async verify(accountId) {
      const account = deps.accounts.get(accountId);
      if (!account) return { ok: false, error: unknownAccount };
      let transport: Mail;
      try {
        transport = transportFor(account);
      } catch (error) {
        if (error instanceof AppError)
          return {
            ok: false,
            error: transportProblem(error),
          };
        throw error;
      }
      try {
        await transport.verify();
        return { ok: true };
      } catch (error) {
        return { ok: false, error: await explained(account, decodeSendError(error)) };
      }
    },

    async checkServer(accountId) {
      const account = deps.accounts.get(accountId);
      if (!account) return { verdict: 'unknown', error: unknownAccount };
      return checkServerTrust(account, trust);
    },

    close(accountId) {
      pools.get(accountId)?.transport.close();
      pools.delete(accountId);
    },

    closeAll() {
      for (const { transport } of pools.values()) transport.close();
      pools.clear();
    },
  };
}
