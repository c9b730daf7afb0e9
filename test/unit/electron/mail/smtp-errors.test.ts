// The decoder against every SMTP entry of the shared reference data. The data has six classes;
// the outbox acts on three (retry, reauthenticate, fail), so each entry must get its own class
// except where the data gives one reply two classes: Google's "535 5.7.8 Username and Password
// not accepted" is listed both as `auth` and as `needs-sign-in`, and the two share one action.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { actionFor, decodeSendError, decodeSmtpReply, type SmtpErrorClass } from '../../../../electron/mail/smtp-errors';

type Entry = { provider: string; phase: string; response: string; code: string; enhanced: string | null; class: SmtpErrorClass; meaning: string };
const data = JSON.parse(readFileSync(new URL('../../../fixtures/provider-errors.json', import.meta.url), 'utf8')) as Entry[];
const smtp = data.filter((e) => e.phase.startsWith('smtp-'));
// The one reply the data lists under two classes (see above).
const twoClasses = (e: Entry) => e.class === 'needs-sign-in' && e.enhanced === '5.7.8';

describe('decodeSmtpReply over provider-errors.json', () => {
  it('has SMTP entries to check', () => {
    expect(smtp.length).toBeGreaterThanOrEqual(35);
  });

  it.each(smtp.map((e) => [`${e.provider} ${e.phase} ${e.response.slice(0, 60)}`, e] as const))('%s', (_name, entry) => {
    const decoded = decodeSmtpReply(entry.response, Number(entry.code) || null);
    expect(decoded.action).toBe(actionFor(entry.class));
    if (!twoClasses(entry)) expect(decoded.class).toBe(entry.class);
    expect(decoded.message.length).toBeGreaterThan(20);
    expect(decoded.hint.length).toBeGreaterThan(10);
    expect(decoded.code).toMatch(/^smtp\.[a-z_]+$/);
  });
});

describe('decodeSmtpReply', () => {
  it('names the tenant-wide SMTP AUTH switch in plain words', () => {
    const decoded = decodeSmtpReply('535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.');
    expect(decoded).toMatchObject({ class: 'policy', action: 'fail', layer: 'policy' });
    expect(decoded.hint).toContain('aka.ms/smtp_auth_disabled');
  });

  it('decodes a Gmail XOAUTH2 challenge', () => {
    const blob = Buffer.from('{"status":"401","schemes":"Bearer","scope":"https://mail.google.com/"}').toString('base64');
    expect(decodeSmtpReply(`334 ${blob}`)).toMatchObject({ class: 'auth', action: 'reauthenticate', layer: 'authentication' });
  });

  it('falls back on the reply code family', () => {
    expect(decodeSmtpReply('451 4.3.0 Local trouble')).toMatchObject({ class: 'transient', action: 'retry' });
    expect(decodeSmtpReply('550 5.1.1 No such user')).toMatchObject({ class: 'permanent', action: 'fail' });
  });
});

describe('decodeSendError', () => {
  it('reads nodemailer errors with a reply', () => {
    const auth = decodeSendError({ code: 'EAUTH', responseCode: 535, response: '535 5.7.8 Error: authentication failed', command: 'AUTH XOAUTH2' });
    expect(auth).toMatchObject({ action: 'reauthenticate', layer: 'authentication', replyCode: 535, enhanced: '5.7.8' });
    const greeting = decodeSendError({ code: 'EPROTOCOL', responseCode: 421, response: '421 4.7.0 Try again later', command: 'CONN' });
    expect(greeting).toMatchObject({ action: 'retry', layer: 'network' });
  });

  it('treats timeouts, dropped connections and TLS failures as transient, by layer', () => {
    expect(decodeSendError({ code: 'ETIMEDOUT', message: 'Greeting never received' })).toMatchObject({ action: 'retry', layer: 'network', code: 'smtp.transient' });
    expect(decodeSendError({ code: 'ECONNECTION', message: 'Connection closed unexpectedly' })).toMatchObject({ action: 'retry', layer: 'network' });
    expect(decodeSendError({ code: 'ESOCKET', message: 'self-signed certificate' })).toMatchObject({ action: 'retry', layer: 'tls' });
    expect(decodeSendError({ code: 'EABORT', message: 'Message sending aborted' })).toMatchObject({ action: 'retry' });
    expect(decodeSendError(new Error('boom'))).toMatchObject({ action: 'retry' });
  });
});
