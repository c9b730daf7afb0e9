// The sandbox SMTP server itself, driven with plain nodemailer: STARTTLS with a certificate from
// a private CA that the client verifies, XOAUTH2 and OAUTHBEARER (RFC 7628) with tokens checked
// at the identity provider and each mechanism's error exchange, .eml files saved and listed,
// connection modes that keep the port, and scripted faults.
import { X509Certificate } from 'node:crypto';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import type SMTPConnection from 'nodemailer/lib/smtp-connection';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { probeCertificate } from '../../../electron/mail/certificate-probe';
import { SANDBOX_MAIL_SCOPE, startSandbox, type Sandbox } from '../../support/sandbox';
import { SANDBOX_SMTP_CA, SANDBOX_SMTP_CERT, SANDBOX_SMTP_WRONG_HOST_CERT } from '../../support/sandbox/smtp-cert';
import { startSandboxSmtp, type SandboxSmtp } from '../../support/sandbox/smtp-server';
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
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const bearer = (token: string, authzid = USER) =>
  b64(`n,a=${authzid},\x01host=127.0.0.1\x01port=587\x01auth=Bearer ${token}\x01\x01`);

/**
 * Runs a hand-written SASL exchange over a verified STARTTLS session (nodemailer's customAuth)
 * and returns every reply, so a test sees exactly what the server answered.
 */
async function exchange(server: SandboxSmtp, commands: string[]): Promise<string[]> {
  const replies: string[] = [];
  const transport = nodemailer.createTransport({
    host: server.host,
    port: server.port,
    requireTLS: true,
    tls: { ca: server.ca, minVersion: 'TLSv1.2' },
    auth: { type: 'custom', user: USER, pass: '', method: 'RAW' },
    customAuth: {
      RAW: async (ctx: SMTPConnection.CustomAuthenticationContext) => {
        for (const command of commands) replies.push((await ctx.sendCommand(command)).response);
        if (!replies.at(-1)?.startsWith('235')) throw new Error('not signed in');
      },
    },
    connectionTimeout: 2_000,
    greetingTimeout: 2_000,
    socketTimeout: 2_000,
  } as Parameters<typeof nodemailer.createTransport>[0]);
  await transport.verify().catch(() => undefined);
  transport.close();
  return replies;
}
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
    expect(await failure(transport(await tokens.getAccessToken('a2')).sendMail(mail))).toEqual({
      code: 'EAUTH',
      responseCode: 535,
    });
    await idp.revokeAllFor('other@quicksend.test');
    const other = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      requireTLS: true,
      tls: { ca: smtp.ca },
      auth: { type: 'OAuth2', user: 'other@quicksend.test', accessToken: await tokens.getAccessToken('a2') },
    });
    expect(await failure(other.sendMail({ ...mail, from: 'other@quicksend.test' }))).toEqual({
      code: 'EAUTH',
      responseCode: 535,
    });
  }, 10_000);

  it('presents a server certificate signed by a separate private CA, and on request one for another host', async () => {
    const ca = new X509Certificate(SANDBOX_SMTP_CA);
    const leaf = new X509Certificate(SANDBOX_SMTP_CERT);
    expect([ca.ca, leaf.ca]).toEqual([true, false]);
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.subject).not.toBe(leaf.issuer); // not its own CA
    expect(smtp.ca).toBe(SANDBOX_SMTP_CA);
    const probe = (extraCa?: string, server = smtp) =>
      probeCertificate(
        { host: server.host, port: server.port, security: 'starttls', ...(extraCa ? { extraCa } : {}) },
        { timeoutMs: 2_000, ehloName: '[127.0.0.1]' },
      );
    expect(await probe(smtp.ca)).toMatchObject({
      authorized: true,
      nameMatches: true,
      subject: 'CN=smtp.sandbox.test',
      fingerprint256: leaf.fingerprint256,
    });
    expect(await probe()).toMatchObject({
      authorized: false,
      authorizationError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      issuer: expect.stringContaining('CN=Quicksend sandbox private CA'),
    });
    const wrong = await startSandboxSmtp({ introspect: (t) => idp.introspect(t), certificate: 'wrong-host' });
    try {
      const other = new X509Certificate(SANDBOX_SMTP_WRONG_HOST_CERT);
      expect(other.checkIssued(ca)).toBe(true);
      expect(await probe(smtp.ca, wrong)).toMatchObject({
        authorized: false,
        authorizationError: 'ERR_TLS_CERT_ALTNAME_INVALID',
        nameMatches: false,
        names: ['mail.elsewhere.test'],
      });
    } finally {
      await wrong.stop();
    }
  }, 10_000);

  it('offers only OAUTHBEARER when told, and runs RFC 7628 strictly: 334 error JSON, AQ==, then 535', async () => {
    const server = await startSandboxSmtp({ introspect: (t) => idp.introspect(t), authMethods: ['OAUTHBEARER'] });
    try {
      const token = await tokens.getAccessToken('a1');
      const [ehlo] = await exchange(server, ['EHLO [127.0.0.1]']);
      expect(ehlo).toMatch(/^250[ -]AUTH OAUTHBEARER$/m);
      expect(ehlo).not.toMatch(/XOAUTH2/);
      expect(await exchange(server, [`AUTH XOAUTH2 ${b64(`user=${USER}\x01auth=Bearer ${token}\x01\x01`)}`])).toEqual([
        expect.stringMatching(/^504 /),
      ]);

      const [challenge, final] = await exchange(server, [`AUTH OAUTHBEARER ${bearer('not-a-token')}`, 'AQ==']);
      expect(challenge).toMatch(/^334 /);
      expect(JSON.parse(Buffer.from(challenge!.slice(4), 'base64').toString())).toEqual({
        status: 'invalid_token',
        scope: SANDBOX_MAIL_SCOPE,
      });
      expect(final).toMatch(/^535 5\.7\.8 /);
      // A client that does not end the exchange with %x01 is told so, not signed in.
      expect((await exchange(server, [`AUTH OAUTHBEARER ${bearer('not-a-token')}`, '']))[1]).toMatch(/^501 .*AQ==/);
      expect(server.stats().oauthBearerErrorSteps).toEqual({ answeredWithAQ: 1, otherAnswer: 1 });
      // Malformed messages and channel binding are refused outright.
      expect((await exchange(server, [`AUTH OAUTHBEARER ${b64(`n,a=${USER},\x01host=x\x01\x01`)}`]))[0]).toMatch(
        /^501 /,
      );
      expect(
        (
          await exchange(server, [`AUTH OAUTHBEARER ${b64(`p=tls-unique,a=${USER},\x01auth=Bearer ${token}\x01\x01`)}`])
        )[0],
      ).toMatch(/^501 /);
      // Another user's a= with this token: refused like a bad token.
      expect(
        (await exchange(server, [`AUTH OAUTHBEARER ${bearer(token, 'other@quicksend.test')}`, 'AQ==']))[1],
      ).toMatch(/^535 /);
      // The initial response may also come after an empty challenge (RFC 4954).
      expect(await exchange(server, ['AUTH OAUTHBEARER', bearer(token)])).toEqual([
        expect.stringMatching(/^334/),
        expect.stringMatching(/^235 /),
      ]);
      expect(await exchange(server, [`AUTH OAUTHBEARER ${bearer(token)}`])).toEqual([expect.stringMatching(/^235 /)]);
    } finally {
      await server.stop();
    }
  }, 15_000);

  it("refuses an XOAUTH2 token as Gmail does: a 334 error challenge, then 535 after the client's empty line", async () => {
    const [challenge, final] = await exchange(smtp, [
      `AUTH XOAUTH2 ${b64(`user=${USER}\x01auth=Bearer not-a-token\x01\x01`)}`,
      '',
    ]);
    expect(challenge).toMatch(/^334 /);
    expect(JSON.parse(Buffer.from(challenge!.slice(4), 'base64').toString())).toMatchObject({
      status: '401',
      schemes: 'bearer',
    });
    expect(final).toMatch(/^535 /);
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
    const info = (await transport(token).sendMail({
      ...mail,
      to: ['ada@example.org', 'bob@example.org', 'carol@example.org'],
    })) as {
      accepted: string[];
      rejectedErrors?: Array<{ recipient: string; responseCode: number; response: string }>;
    };
    expect(info.accepted).toEqual(['ada@example.org']);
    expect(info.rejectedErrors?.map((e) => [e.recipient, e.responseCode, e.response])).toEqual([
      [
        'bob@example.org',
        550,
        '550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown in local recipient table',
      ],
      [
        'carol@example.org',
        450,
        '450 4.2.0 <carol@example.org>: Recipient address rejected: Greylisted, try again later',
      ],
    ]);
    expect(
      smtp
        .messages()
        .slice(before)
        .map((m) => m.to),
    ).toEqual([['ada@example.org']]);
    // The deferral was for one RCPT only; the refusal stays.
    const again = (await transport(token).sendMail({ ...mail, to: ['bob@example.org', 'carol@example.org'] })) as {
      accepted: string[];
    };
    expect(again.accepted).toEqual(['carol@example.org']);
    smtp.clearFaults();
    expect(
      ((await transport(token).sendMail({ ...mail, to: 'bob@example.org' })) as { accepted: string[] }).accepted,
    ).toEqual(['bob@example.org']);
  }, 10_000);

  it('with every recipient refused or deferred nothing is stored, and nodemailer reports each reply', async () => {
    const token = await tokens.getAccessToken('a1');
    smtp.refuseRecipient('bob@example.org', { code: 554, message: '5.7.1 <bob@example.org>: Relay access denied' });
    smtp.deferRecipient('carol@example.org', { code: 451, message: '4.3.0 Temporary lookup failure' });
    const before = smtp.messages().length;
    const error = await transport(token)
      .sendMail({ ...mail, to: ['bob@example.org', 'carol@example.org'] })
      .then(
        () => null,
        (e: {
          code: string;
          responseCode: number;
          rejectedErrors: Array<{ recipient: string; responseCode: number }>;
        }) => e,
      );
    expect(error?.code).toBe('EENVELOPE');
    expect(error?.responseCode).toBe(451); // nodemailer reports the deferral, not the refusal
    expect(error?.rejectedErrors.map((e) => [e.recipient, e.responseCode])).toEqual([
      ['bob@example.org', 554],
      ['carol@example.org', 451],
    ]);
    expect(smtp.messages()).toHaveLength(before);
  }, 10_000);

  it('answers 452 beyond the recipient limit, per transaction', async () => {
    const token = await tokens.getAccessToken('a1');
    smtp.setRecipientLimit(2);
    const info = (await transport(token).sendMail({
      ...mail,
      to: ['r1@example.org', 'r2@example.org', 'r3@example.org'],
    })) as {
      accepted: string[];
      rejectedErrors?: Array<{ recipient: string; responseCode: number }>;
    };
    expect(info.accepted).toEqual(['r1@example.org', 'r2@example.org']);
    expect(info.rejectedErrors?.map((e) => [e.recipient, e.responseCode])).toEqual([['r3@example.org', 452]]);
    smtp.clearFaults();
    expect(
      (
        (await transport(token).sendMail({ ...mail, to: ['r1@example.org', 'r2@example.org', 'r3@example.org'] })) as {
          accepted: string[];
        }
      ).accepted,
    ).toHaveLength(3);
  }, 10_000);
});
