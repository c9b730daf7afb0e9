// The decoder against every SMTP entry of the shared reference data. The data has six classes;
// the outbox acts on three (retry, reauthenticate, fail), so each entry must get its own class
// except where the data gives one reply two classes: Google's "535 5.7.8 Username and Password
// not accepted" is listed both as `auth` and as `needs-sign-in`, and the two share one action.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import {
  actionFor,
  decodeSendError,
  decodeSmtpReply,
  type SmtpErrorClass,
} from '../../../../electron/mail/smtp-errors';
import { AppError } from '../../../../electron/shared/errors';

type Entry = {
  provider: string;
  phase: string;
  response: string;
  code: string;
  enhanced: string | null;
  class: SmtpErrorClass;
  meaning: string;
};
const data = JSON.parse(
  readFileSync(new URL('../../../fixtures/provider-errors.json', import.meta.url), 'utf8'),
) as Entry[];
const smtp = data.filter((e) => e.phase.startsWith('smtp-'));
// The one reply the data lists under two classes (see above).
const twoClasses = (e: Entry) => e.class === 'needs-sign-in' && e.enhanced === '5.7.8';

describe('decodeSmtpReply over provider-errors.json', () => {
  it('has SMTP entries to check', () => {
    expect(smtp.length).toBeGreaterThanOrEqual(35);
  });

  it.each(smtp.map((e) => [`${e.provider} ${e.phase} ${e.response.slice(0, 60)}`, e] as const))(
    '%s',
    (_name, entry) => {
      const decoded = decodeSmtpReply(entry.response, Number(entry.code) || null);
      expect(decoded.action).toBe(actionFor(entry.class));
      if (!twoClasses(entry)) expect(decoded.class).toBe(entry.class);
      expect(decoded.message.length).toBeGreaterThan(20);
      expect(decoded.hint.length).toBeGreaterThan(10);
      expect(decoded.code).toMatch(/^smtp\.[a-z_]+$/);
    },
  );
});

describe('decodeSmtpReply', () => {
  it('names the tenant-wide SMTP AUTH switch in plain words', () => {
    const decoded = decodeSmtpReply(
      '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.',
    );
    expect(decoded).toMatchObject({ class: 'policy', action: 'fail', layer: 'policy' });
    expect(decoded.hint).toContain('aka.ms/smtp_auth_disabled');
  });

  it('decodes a Gmail XOAUTH2 challenge', () => {
    const blob = Buffer.from('{"status":"401","schemes":"Bearer","scope":"https://mail.google.com/"}').toString(
      'base64',
    );
    expect(decodeSmtpReply(`334 ${blob}`)).toMatchObject({
      class: 'auth',
      action: 'reauthenticate',
      layer: 'authentication',
    });
  });

  it('falls back on the reply code family', () => {
    expect(decodeSmtpReply('451 4.3.0 Local trouble')).toMatchObject({ class: 'transient', action: 'retry' });
    expect(decodeSmtpReply('550 5.1.1 No such user')).toMatchObject({ class: 'permanent', action: 'fail' });
  });
});

describe('decodeSendError', () => {
  it('reads nodemailer errors with a reply', () => {
    const auth = decodeSendError({
      code: 'EAUTH',
      responseCode: 535,
      response: '535 5.7.8 Error: authentication failed',
      command: 'AUTH XOAUTH2',
    });
    expect(auth).toMatchObject({
      action: 'reauthenticate',
      layer: 'authentication',
      replyCode: 535,
      enhanced: '5.7.8',
    });
    const greeting = decodeSendError({
      code: 'EPROTOCOL',
      responseCode: 421,
      response: '421 4.7.0 Try again later',
      command: 'CONN',
    });
    expect(greeting).toMatchObject({ action: 'retry', layer: 'network' });
  });

  it('treats timeouts, dropped connections and TLS failures other than the certificate as transient, by layer', () => {
    expect(decodeSendError({ code: 'ETIMEDOUT', message: 'Greeting never received' })).toMatchObject({
      action: 'retry',
      layer: 'network',
      code: 'smtp.transient',
    });
    expect(decodeSendError({ code: 'ECONNECTION', message: 'Connection closed unexpectedly' })).toMatchObject({
      action: 'retry',
      layer: 'network',
    });
    expect(
      decodeSendError({
        code: 'ESOCKET',
        originalCode: 'ERR_SSL_WRONG_VERSION_NUMBER',
        message: 'SSL routines::wrong version number',
      }),
    ).toMatchObject({ action: 'retry', layer: 'tls' });
    expect(decodeSendError({ code: 'EABORT', message: 'Message sending aborted' })).toMatchObject({ action: 'retry' });
    expect(decodeSendError(new Error('boom'))).toMatchObject({ action: 'retry' });
  });

  // nodemailer's errors for each verification failure, as seen against the sandbox
  // (ESOCKET with the OpenSSL or Node code kept in originalCode).
  it.each([
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate', 'untrusted'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain', 'untrusted'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate', 'untrusted'],
    [
      'ERR_TLS_CERT_ALTNAME_INVALID',
      "Hostname/IP does not match certificate's altnames: IP: 127.0.0.1 is not in the cert's list: ",
      'wrong-name',
    ],
    ['CERT_HAS_EXPIRED', 'certificate has expired', 'expired'],
    ['CERT_NOT_YET_VALID', 'certificate is not yet valid', 'not-yet-valid'],
    ['CERT_REVOKED', 'certificate revoked', 'invalid'],
  ] as const)(
    'a certificate failure (%s) waits for a check instead of being retried',
    (originalCode, message, certificate) => {
      const decoded = decodeSendError({ code: 'ESOCKET', originalCode, message, command: 'CONN' });
      expect(decoded).toMatchObject({ class: 'certificate', action: 'check-certificate', layer: 'tls', certificate });
      expect(actionFor(decoded.class)).toBe('check-certificate');
    },
  );

  // What nodemailer does to an error thrown in a SASL handler or token callback
  // (smtp-connection _formatError): our code becomes originalCode, the code becomes EAUTH,
  // and the last server reply, when there was one, is appended.
  type Internal = { _formatError(error: Error, type: string, response: string | false, command: string): Error };
  const wrapped = (error: Error, response?: string) =>
    (new SMTPConnection({}) as unknown as Internal)._formatError(error, 'EAUTH', response ?? false, 'AUTH XOAUTH2');

  it('reads our needs-sign-in AppError inside nodemailer\'s EAUTH: needs sign-in, not "failed unexpectedly"', () => {
    const decoded = decodeSendError(
      wrapped(new AppError('auth.needs_sign_in', 'Sign in again.', { hint: 'Open Accounts.' })),
    );
    expect(decoded).toMatchObject({
      class: 'needs-sign-in',
      action: 'reauthenticate',
      layer: 'authentication',
      code: 'auth.needs_sign_in',
      hint: 'Open Accounts.',
    });
    expect(decoded.message).not.toMatch(/unexpectedly/);
    // Also with a server reply appended (a token failure after a command went out).
    const afterEhlo = wrapped(
      new AppError('auth.needs_sign_in', 'Sign in again.'),
      '250-smtp.example.org\n250 AUTH OAUTHBEARER',
    );
    expect(decodeSendError(afterEhlo)).toMatchObject({
      class: 'needs-sign-in',
      code: 'auth.needs_sign_in',
      replyCode: null,
    });
    // And as the cause of another error.
    expect(decodeSendError(new Error('outer', { cause: new AppError('auth.needs_sign_in', 'x') }))).toMatchObject({
      class: 'needs-sign-in',
    });
  });

  it('reads a token source that could not be reached as transient, and our other AppErrors as explained failures', () => {
    expect(decodeSendError(wrapped(new AppError('smtp.token_unavailable', 'x')))).toMatchObject({
      class: 'transient',
      action: 'retry',
      code: 'smtp.token_unavailable',
      layer: 'authentication',
    });
    const none = wrapped(
      new AppError(
        'smtp.no_oauth_mechanism',
        'The mail server does not offer a way to sign in with OAuth (it offers: PLAIN).',
        { hint: 'Ask its administrator.' },
      ),
      '250 AUTH PLAIN',
    );
    expect(decodeSendError(none)).toMatchObject({
      action: 'fail',
      code: 'smtp.no_oauth_mechanism',
      message: 'The mail server does not offer a way to sign in with OAuth (it offers: PLAIN).',
      hint: 'Ask its administrator.',
    });
  });
});
