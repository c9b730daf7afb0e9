// The sandbox SMTP server itself, driven with plain nodemailer: STARTTLS with a certificate the
// client verifies, XOAUTH2 only with tokens checked at the identity provider, .eml files saved
// and listed, connection modes that keep the port, and scripted faults.
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../support/sandbox';
import type { SandboxSmtp } from '../../support/sandbox/smtp-server';
import { createSandboxTokenSource, type SandboxTokenSource } from '../../fakes/sandbox-token-source';

const USER = 'demo@quicksend.test';
let idp: Sandbox;
let smtp: SandboxSmtp;
let tokens: SandboxTokenSource;

beforeAll(async () => {
  idp = await startSandbox({ users: [{ email: USER }, { email: 'other@quicksend.test' }] });
  smtp = idp.smtp; // started by startSandbox, alongside the identity provider
  tokens = await createSandboxTokenSource(idp);
  await tokens.signIn('a1', USER);
  await tokens.signIn('a2', 'other@quicksend.test');
}, 20_000);

afterEach(() => smtp.clearFaults());

afterAll(async () => {
  await idp?.stop(); // stops its SMTP server too
}, 10_000);

function transport(accessToken: string, extra: Record<string, unknown> = {}) {
  return nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: false,
    requireTLS: true,
    tls: { ca: smtp.ca, minVersion: 'TLSv1.2' },
    auth: { type: 'OAuth2', user: USER, accessToken },
    connectionTimeout: 2_000,
    greetingTimeout: 2_000,
    socketTimeout: 2_000,
    ...extra,
  });
}

const mail = { from: USER, to: 'friend@example.com', subject: 'Hello', text: 'Body' };
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => ({ code: 'none', responseCode: 0 }),
    (error: { code?: string; responseCode?: number }) => ({ code: error.code, responseCode: error.responseCode ?? 0 }),
  );

describe('sandbox SMTP server', () => {
  it('accepts a verified STARTTLS + XOAUTH2 session and saves the message as .eml', async () => {
    const before = smtp.messages().length;
    const info = await transport(await tokens.getAccessToken('a1')).sendMail(mail);
    expect(info.response).toMatch(/^250 /);
    const [saved] = smtp.messages().slice(before);
    expect(saved).toMatchObject({ user: USER, from: USER, to: ['friend@example.com'] });
    const parsed = await simpleParser(await smtp.read(saved!.id));
    expect(parsed.subject).toBe('Hello');
    expect(parsed.messageId).toBe(saved!.messageId);
  }, 10_000);

  it('refuses AUTH before STARTTLS', async () => {
    const plain = transport('whatever', { requireTLS: false, ignoreTLS: true });
    expect(await failure(plain.sendMail(mail))).toEqual({ code: 'EAUTH', responseCode: 538 });
  }, 10_000);

  it('answers 535 to a bogus token, to a token of another user, and to a revoked one', async () => {
    expect(await failure(transport('not-a-token').sendMail(mail))).toEqual({ code: 'EAUTH', responseCode: 535 });
    expect(await failure(transport(await tokens.getAccessToken('a2')).sendMail(mail))).toEqual({ code: 'EAUTH', responseCode: 535 });
    await idp.revokeAllFor('other@quicksend.test');
    const other = nodemailer.createTransport({
      host: smtp.host, port: smtp.port, requireTLS: true, tls: { ca: smtp.ca },
      auth: { type: 'OAuth2', user: 'other@quicksend.test', accessToken: await tokens.getAccessToken('a2') },
    });
    expect(await failure(other.sendMail({ ...mail, from: 'other@quicksend.test' }))).toEqual({ code: 'EAUTH', responseCode: 535 });
  }, 10_000);

  it('refuses, drops or ignores connections on the same port, then accepts again', async () => {
    const token = await tokens.getAccessToken('a1');
    smtp.setMode('refuse');
    expect(await failure(transport(token).sendMail(mail))).toEqual({ code: 'EPROTOCOL', responseCode: 421 });
    smtp.setMode('drop');
    expect((await failure(transport(token).sendMail(mail))).code).toBe('ECONNECTION');
    smtp.setMode('silent');
    expect((await failure(transport(token, { greetingTimeout: 300 }).sendMail(mail))).code).toBe('ETIMEDOUT');
    smtp.setMode('accept');
    expect((await transport(token).sendMail(mail)).response).toMatch(/^250 /);
  }, 10_000);

  it('plays scripted faults once each, in order', async () => {
    const token = await tokens.getAccessToken('a1');
    smtp.fail('greeting', { code: 421, message: '4.7.0 Try again later, closing connection.' }, 1);
    smtp.fail('auth', { code: 454, message: '4.7.0 Too many login attempts' }, 1);
    smtp.fail('data', { code: 552, message: '5.3.4 Error: message file too big' }, 1);
    expect(await failure(transport(token).sendMail(mail))).toEqual({ code: 'EPROTOCOL', responseCode: 421 });
    expect(await failure(transport(token).sendMail(mail))).toEqual({ code: 'EAUTH', responseCode: 454 });
    expect(await failure(transport(token).sendMail(mail))).toEqual({ code: 'EMESSAGE', responseCode: 552 });
    smtp.fail('drop-during-data', { code: 0, message: '' }, 1);
    expect((await failure(transport(token).sendMail(mail))).code).toBe('ECONNECTION');
    expect((await transport(token).sendMail(mail)).response).toMatch(/^250 /);
  }, 10_000);

  it('refuses and defers chosen recipients at RCPT TO and takes the rest, as Postfix answers them', async () => {
    const token = await tokens.getAccessToken('a1');
    smtp.refuseRecipient('Bob@Example.org');
    smtp.deferRecipient('carol@example.org', undefined, 1);
    const before = smtp.messages().length;
    const info = (await transport(token).sendMail({ ...mail, to: ['ada@example.org', 'bob@example.org', 'carol@example.org'] })) as {
      accepted: string[];
      rejectedErrors?: Array<{ recipient: string; responseCode: number; response: string }>;
    };
    expect(info.accepted).toEqual(['ada@example.org']);
    expect(info.rejectedErrors?.map((e) => [e.recipient, e.responseCode, e.response])).toEqual([
      ['bob@example.org', 550, '550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown in local recipient table'],
      ['carol@example.org', 450, '450 4.2.0 <carol@example.org>: Recipient address rejected: Greylisted, try again later'],
    ]);
    expect(smtp.messages().slice(before).map((m) => m.to)).toEqual([['ada@example.org']]);
    // The deferral was for one RCPT only; the refusal stays.
    const again = (await transport(token).sendMail({ ...mail, to: ['bob@example.org', 'carol@example.org'] })) as { accepted: string[] };
    expect(again.accepted).toEqual(['carol@example.org']);
    smtp.clearFaults();
    expect(((await transport(token).sendMail({ ...mail, to: 'bob@example.org' })) as { accepted: string[] }).accepted).toEqual(['bob@example.org']);
  }, 10_000);

  it('with every recipient refused or deferred nothing is stored, and nodemailer reports each reply', async () => {
    const token = await tokens.getAccessToken('a1');
    smtp.refuseRecipient('bob@example.org', { code: 554, message: '5.7.1 <bob@example.org>: Relay access denied' });
    smtp.deferRecipient('carol@example.org', { code: 451, message: '4.3.0 Temporary lookup failure' });
    const before = smtp.messages().length;
    const error = await transport(token).sendMail({ ...mail, to: ['bob@example.org', 'carol@example.org'] }).then(
      () => null,
      (e: { code: string; responseCode: number; rejectedErrors: Array<{ recipient: string; responseCode: number }> }) => e,
    );
    expect(error?.code).toBe('EENVELOPE');
    expect(error?.responseCode).toBe(451); // nodemailer reports the deferral, not the refusal
    expect(error?.rejectedErrors.map((e) => [e.recipient, e.responseCode])).toEqual([['bob@example.org', 554], ['carol@example.org', 451]]);
    expect(smtp.messages()).toHaveLength(before);
  }, 10_000);

  it('answers 452 beyond the recipient limit, per transaction', async () => {
    const token = await tokens.getAccessToken('a1');
    smtp.setRecipientLimit(2);
    const info = (await transport(token).sendMail({ ...mail, to: ['r1@example.org', 'r2@example.org', 'r3@example.org'] })) as {
      accepted: string[];
      rejectedErrors?: Array<{ recipient: string; responseCode: number }>;
    };
    expect(info.accepted).toEqual(['r1@example.org', 'r2@example.org']);
    expect(info.rejectedErrors?.map((e) => [e.recipient, e.responseCode])).toEqual([['r3@example.org', 452]]);
    smtp.clearFaults();
    expect(((await transport(token).sendMail({ ...mail, to: ['r1@example.org', 'r2@example.org', 'r3@example.org'] })) as { accepted: string[] }).accepted).toHaveLength(3);
  }, 10_000);
});
