/**
 * One pooled nodemailer transport per account, fed with access tokens from the token source.
 * A send that the server refuses at AUTH (535 and friends) drops the cached token, refreshes
 * and tries once more on a new connection (ARCHITECTURE.md section 5); the caller gets the
 * decoded outcome and the number of SMTP attempts made, and decides what happens next.
 * Recipients the server did not take at RCPT TO come back with the server's reply each, both
 * when others were taken and when none were: the outbox decides per recipient.
 */
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import type { XOAuth2ProvisionCallback } from 'nodemailer/lib/xoauth2';
import type { AccessTokenSource, AccountDirectory, SendingAccount } from '../accounts/sending-account';
import { AppError } from '../shared/errors';
import type { Logger, Redactor } from '../shared/logger';
import type { Clock } from '../shared/ports';
import { rejectedRecipients, type RecipientReplies, type RecipientReply } from './envelope';
import { decodeSendError, type DecodedSmtpError } from './smtp-errors';
import { transportOptions, type SmtpTimeouts } from './smtp-transport';

export type SendOutcome =
  /** `recipients`: who was taken at RCPT TO and who not (absent: every envelope recipient was taken). */
  | { ok: true; attempts: number; messageId: string; response: string; recipients?: RecipientReplies }
  /** `rejected`: nobody was taken at RCPT TO, with the reply for each recipient. */
  | { ok: false; attempts: number; error: DecodedSmtpError; rejected?: RecipientReply[] };

export type VerifyOutcome = { ok: true } | { ok: false; error: DecodedSmtpError };

/** What the outbox and `accounts:test` need from SMTP. */
export interface SmtpSender {
  send(accountId: string, message: Mail.Options): Promise<SendOutcome>;
  /** Connects, upgrades to TLS and authenticates without sending, on a fresh connection. */
  verify(accountId: string): Promise<VerifyOutcome>;
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

/** A failure before any SMTP byte: the token source said no. */
function tokenFailure(error: unknown): DecodedSmtpError {
  if (error instanceof AppError && error.code === 'auth.needs_sign_in') {
    return {
      class: 'needs-sign-in',
      action: 'reauthenticate',
      layer: 'authentication',
      code: 'auth.needs_sign_in',
      message: 'The account needs you to sign in again before it can send.',
      hint: error.hint ?? 'Open Accounts and choose "Sign in again".',
      replyCode: null,
      enhanced: null,
    };
  }
  const decoded = decodeSendError(error);
  return { ...decoded, message: 'Quicksend could not refresh the sign-in for this account.', hint: 'Quicksend tries again by itself when the provider can be reached.' };
}

const unknownAccount: DecodedSmtpError = {
  class: 'permanent', action: 'fail', layer: 'authentication', code: 'mail.unknown_account',
  message: 'This account no longer exists in Quicksend.', hint: 'Add the account again, or send from another one.', replyCode: null, enhanced: null,
};

/** Creates the sender; transports are made on first use and reused while settings stay the same. */
export function createSmtpSender(deps: SmtpSenderDeps): SmtpSender {
  const pools = new Map<string, Pooled>();
  const log = deps.logger.child('smtp');

  async function token(accountId: string, renew: boolean): Promise<string> {
    if (renew) deps.tokens.invalidate(accountId);
    const value = await deps.tokens.getAccessToken(accountId);
    deps.redactor.register(value); // before nodemailer or any log line can see it
    return value;
  }

  function transportFor(account: SendingAccount): Mail {
    const key = JSON.stringify([account.login, account.smtp]);
    const existing = pools.get(account.id);
    if (existing?.key === key) return existing.transport;
    existing?.transport.close();
    const provision: XOAuth2ProvisionCallback = (_user, renew, callback) => {
      token(account.id, renew).then(
        (value) => callback(null, value),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    };
    const options = transportOptions(account, { development: deps.development, timeouts: deps.timeouts, provision, maxConnections: deps.maxConnections });
    const transport = nodemailer.createTransport(options);
    transport.on('error', (error) => log.warn('transport error', { accountId: account.id, error }));
    pools.set(account.id, { key, transport });
    return transport;
  }

  async function sendOnce(transport: Mail, message: Mail.Options): Promise<{ messageId: string; response: string; recipients: RecipientReplies }> {
    const controller = new AbortController();
    const timer = deps.clock.setTimeout(() => controller.abort(new Error('send timeout')), deps.timeouts.sendMs);
    try {
      const info = (await transport.sendMail({ ...message, signal: controller.signal })) as { messageId: string; response: string; accepted?: unknown };
      const accepted = Array.isArray(info.accepted) ? info.accepted.filter((a): a is string => typeof a === 'string') : [];
      return { messageId: info.messageId, response: info.response, recipients: { accepted, rejected: rejectedRecipients(info) } };
    } finally {
      deps.clock.clearTimeout(timer);
    }
  }

  return {
    async send(accountId, message) {
      const account = deps.accounts.get(accountId);
      if (!account) return { ok: false, attempts: 0, error: unknownAccount };
      let attempts = 0;
      for (let round = 0; round < 2; round += 1) {
        try {
          // Asking first separates "cannot get a token" from "the server refused the token".
          await token(accountId, false);
        } catch (error) {
          return { ok: false, attempts, error: tokenFailure(error) };
        }
        let transport: Mail;
        try {
          transport = transportFor(account);
        } catch (error) {
          if (error instanceof AppError) return { ok: false, attempts, error: { ...unknownAccount, code: error.code, layer: 'tls', message: error.message, hint: error.hint ?? '' } };
          throw error;
        }
        attempts += 1;
        try {
          const info = await sendOnce(transport, message);
          return { ok: true, attempts, ...info };
        } catch (error) {
          const decoded = decodeSendError(error);
          const rejected = rejectedRecipients(error);
          log.info('send attempt failed', { accountId, attempt: attempts, code: decoded.code, replyCode: decoded.replyCode, layer: decoded.layer });
          // Refusals at RCPT TO come after a successful AUTH: they are about the recipients
          // (Postfix's "Relay access denied" for a domain it will not relay to), not the token.
          if (decoded.action === 'reauthenticate' && round === 0 && rejected.length === 0) {
            deps.tokens.invalidate(accountId);
            continue;
          }
          return rejected.length > 0 ? { ok: false, attempts, error: decoded, rejected } : { ok: false, attempts, error: decoded };
        }
      }
      throw new Error('unreachable');
    },

    async verify(accountId) {
      const account = deps.accounts.get(accountId);
      if (!account) return { ok: false, error: unknownAccount };
      try {
        await token(accountId, false);
      } catch (error) {
        return { ok: false, error: tokenFailure(error) };
      }
      try {
        await transportFor(account).verify();
        return { ok: true };
      } catch (error) {
        if (error instanceof AppError) return { ok: false, error: { ...unknownAccount, code: error.code, layer: 'tls', message: error.message, hint: error.hint ?? '' } };
        return { ok: false, error: decodeSendError(error) };
      }
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
