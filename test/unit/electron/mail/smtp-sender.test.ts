// The real transport against the sandbox: a verified STARTTLS (or implicit TLS) session, XOAUTH2
// with real tokens, what arrives parsed back with mailparser, and each kind of failure decoded.
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser, type AddressObject } from 'mailparser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AccountDirectory, SendingAccount } from '../../../../electron/accounts/sending-account';
import { mailOptions, messageIdFor, validateMessage } from '../../../../electron/mail/message';
import { createSmtpSender, type SmtpSender } from '../../../../electron/mail/smtp-sender';
import { defaultSmtpTimeouts } from '../../../../electron/mail/smtp-transport';
import { createRedactor } from '../../../../electron/shared/logger';
import { systemClock } from '../../../../electron/shared/ports';
import { createSandboxTokenSource, type SandboxTokenSource } from '../../../fakes/sandbox-token-source';
import { memoryLogger } from '../../../fakes/logger';
import { tempDataDir } from '../../../support/node-ports';
import { startSandbox, type Sandbox } from '../../../support/sandbox';
import { SANDBOX_SMTP_CA_NAME, startSandboxSmtp, type SandboxSmtp } from '../../../support/sandbox/smtp-server';
import { EXTRA_CA_FIELD } from '../../../../electron/mail/certificate-problem';

const USER = 'demo@quicksend.test';
// Revoked by tests, one each, so the others keep a live grant.
const LEAVERS = ['leaver-bearer@quicksend.test', 'leaver-xoauth2@quicksend.test'];
const timeouts = {
  ...defaultSmtpTimeouts,
  connectionMs: 2_000,
  greetingMs: 1_000,
  socketMs: 2_000,
  idleMs: 1_000,
  sendMs: 5_000,
};
let idp: Sandbox;
let smtp: SandboxSmtp;
let tokens: SandboxTokenSource;
const senders: SmtpSender[] = [];

function accountFor(
  server: SandboxSmtp,
  over: Partial<SendingAccount['smtp']> = {},
  who = { id: 'acc-1', login: USER },
): SendingAccount {
  return {
    id: who.id,
    providerId: 'sandbox',
    login: who.login,
    fromAddress: who.login,
    displayName: 'Zoë Ünicode',
    smtp: { host: server.host, port: server.port, security: 'starttls', extraCa: server.ca, ...over },
    attachmentLimitBytes: 25_000_000,
  };
}

function senderFor(account: SendingAccount, development = false): SmtpSender {
  const accounts: AccountDirectory = {
    get: (id) => (id === account.id ? account : undefined),
    markNeedsSignIn: async () => {},
    touch: () => {},
  };
  const sender = createSmtpSender({
    accounts,
    tokens,
    redactor: createRedactor(),
    logger: memoryLogger().logger,
    clock: systemClock,
    development,
    timeouts,
    maxConnections: 2,
  });
  senders.push(sender);
  return sender;
}

const simple = (account: SendingAccount) =>
  mailOptions(
    validateMessage({ accountId: 'acc-1', to: ['friend@example.com'], subject: 'Hi', text: 'Body' }, account, {
      maxRecipients: 100,
    }),
    {
      messageId: messageIdFor(`m${Math.random().toString(36).slice(2)}`, { name: '', address: USER }),
      date: new Date(),
      attachments: [],
    },
  );

beforeAll(async () => {
  idp = await startSandbox({ users: [{ email: USER }, ...LEAVERS.map((email) => ({ email }))] });
  smtp = idp.smtp; // started by startSandbox, alongside the identity provider
  tokens = await createSandboxTokenSource(idp);
  await tokens.signIn('acc-1', USER);
  for (const [i, email] of LEAVERS.entries()) await tokens.signIn(`leaver-${i}`, email);
}, 20_000);

afterEach(() => {
  smtp.clearFaults();
  smtp.setMode('accept');
  for (const sender of senders.splice(0)) sender.closeAll();
});

afterAll(async () => {
  await idp?.stop(); // stops its SMTP server too
}, 10_000);

describe('SMTP sender with the sandbox', () => {
  it('delivers subject, body, recipients and attachments byte for byte, without a Bcc header', async () => {
    const dir = tempDataDir('quicksend-send-');
    const files = [
      ['report.pdf', 300_000],
      ['naïve name.txt', 17],
    ] as const;
    const attachments = files.map(([name, size]) => {
      const file = path.join(dir, name);
      writeFileSync(file, Buffer.from(Array.from({ length: size }, (_, i) => (i * 31) % 256)));
      return { filename: name, file };
    });
    const account = accountFor(smtp);
    const message = validateMessage(
      {
        accountId: 'acc-1',
        to: ['Jörg Müller <joerg@example.com>'],
        cc: ['"Smith, John" <john@example.org>'],
        bcc: ['secret@example.net'],
        subject: 'Grüße 👋 from Quicksend',
        text: 'Hello — ünïcödé body\nline two',
      },
      account,
      { maxRecipients: 100 },
    );
    const before = smtp.messages().length;
    const outcome = await senderFor(account).send('acc-1', () =>
      mailOptions(message, {
        messageId: '<fixed-1@quicksend.test>',
        date: new Date(),
        attachments: attachments.map((a) => ({ filename: a.filename, content: createReadStream(a.file) })),
      }),
    );
    expect(outcome).toMatchObject({ ok: true, attempts: 1, messageId: '<fixed-1@quicksend.test>' });

    const [received] = smtp.messages().slice(before);
    expect(received!.to.sort()).toEqual(['joerg@example.com', 'john@example.org', 'secret@example.net']);
    const raw = await smtp.read(received!.id);
    expect(raw.toString('latin1')).not.toMatch(/^bcc:/im);
    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe('Grüße 👋 from Quicksend');
    expect(parsed.text?.trim()).toBe('Hello — ünïcödé body\nline two');
    expect(parsed.from?.value).toEqual([{ address: USER, name: 'Zoë Ünicode' }]);
    expect((parsed.to as AddressObject).value).toEqual([{ address: 'joerg@example.com', name: 'Jörg Müller' }]);
    expect((parsed.cc as AddressObject).value).toEqual([{ address: 'john@example.org', name: 'Smith, John' }]);
    expect(parsed.bcc).toBeUndefined();
    expect(parsed.messageId).toBe('<fixed-1@quicksend.test>');
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(parsed.attachments.map((a) => [a.filename, sha(a.content)])).toEqual(
      attachments.map((a) => [a.filename, sha(readFileSync(a.file))]),
    );
  }, 10_000);

  it('reuses one pooled connection for several messages', async () => {
    const account = accountFor(smtp);
    const sender = senderFor(account);
    const before = smtp.stats().connections;
    for (let i = 0; i < 3; i += 1) expect((await sender.send('acc-1', simple(account))).ok).toBe(true);
    expect(smtp.stats().connections - before).toBe(1);
  }, 10_000);

  it('delivers over implicit TLS too', async () => {
    const tlsServer = await startSandboxSmtp({ introspect: (t) => idp.introspect(t), secure: true });
    try {
      const account = accountFor(tlsServer, { security: 'tls' });
      expect(await senderFor(account).send('acc-1', simple(account))).toMatchObject({ ok: true, attempts: 1 });
    } finally {
      await tlsServer.stop();
    }
  }, 10_000);

  it('an untrusted certificate: never signs in, names the issuer and the field to add its CA, is not retried', async () => {
    const account = accountFor(smtp, { extraCa: undefined });
    const before = smtp.stats();
    const outcome = await senderFor(account).send('acc-1', simple(account));
    expect(outcome).toMatchObject({
      ok: false,
      attempts: 1,
      error: {
        layer: 'tls',
        action: 'check-certificate',
        code: 'smtp.certificate_untrusted',
        certificate: 'untrusted',
      },
    });
    if (outcome.ok) throw new Error('sent');
    expect(outcome.error.message).toContain(`issued by "${SANDBOX_SMTP_CA_NAME}"`);
    expect(outcome.error.hint).toContain(`on the card of ${USER}, under "${EXTRA_CA_FIELD}"`);
    // The failed connection and the probe: two connections, no AUTH on either.
    expect(smtp.stats().connections - before.connections).toBe(2);
    expect(smtp.stats().authAttempts).toBe(before.authAttempts);
  }, 10_000);

  it('a certificate for another name (even from a trusted CA) is refused in plain words, never "add a CA"', async () => {
    const wrong = await startSandboxSmtp({ introspect: (t) => idp.introspect(t), certificate: 'wrong-host' });
    const bundled = await startSandboxSmtp({
      introspect: (t) => idp.introspect(t),
      certificate: 'smtp-server-default',
    });
    try {
      for (const [server, extraCa] of [
        [wrong, wrong.ca],
        [wrong, undefined],
        [bundled, undefined],
      ] as const) {
        const account = accountFor(server, { extraCa });
        const outcome = await senderFor(account).send('acc-1', simple(account));
        expect(outcome).toMatchObject({
          ok: false,
          error: { layer: 'tls', action: 'check-certificate', code: 'smtp.certificate_wrong_name' },
        });
        if (outcome.ok) throw new Error('sent');
        expect(outcome.error.message).toMatch(
          /certificate is for another name \((mail\.elsewhere\.test|localhost)\), not 127\.0\.0\.1/,
        );
        expect(`${outcome.error.message} ${outcome.error.hint}`).not.toMatch(/authority/i);
      }
      expect(wrong.stats().authAttempts + bundled.stats().authAttempts).toBe(0);
    } finally {
      await wrong.stop();
      await bundled.stop();
    }
  }, 10_000);

  it('one send on a new connection asks the token source exactly once; a pooled one does not ask', async () => {
    const account = accountFor(smtp);
    const sender = senderFor(account);
    const before = tokens.counts.get;
    expect(await sender.send('acc-1', simple(account))).toMatchObject({ ok: true, attempts: 1 });
    expect(tokens.counts.get - before).toBe(1);
    expect(await sender.send('acc-1', simple(account))).toMatchObject({ ok: true });
    expect(tokens.counts.get - before).toBe(1);
  }, 10_000);

  it('speaks OAUTHBEARER (RFC 7628) to a server that offers only that, with one token request', async () => {
    const bearerOnly = await startSandboxSmtp({ introspect: (t) => idp.introspect(t), authMethods: ['OAUTHBEARER'] });
    try {
      const account = accountFor(bearerOnly);
      const before = tokens.counts.get;
      expect(await senderFor(account).send('acc-1', simple(account))).toMatchObject({ ok: true, attempts: 1 });
      expect(bearerOnly.stats().authByMethod).toEqual({ XOAUTH2: 0, OAUTHBEARER: 1 });
      expect(bearerOnly.messages()[0]).toMatchObject({ user: USER, from: USER });
      expect(tokens.counts.get - before).toBe(1);
    } finally {
      await bearerOnly.stop();
    }
  }, 10_000);

  it('a provider that prefers OAUTHBEARER gets it where offered, and XOAUTH2 where it is the only one', async () => {
    const xoauth2Only = await startSandboxSmtp({ introspect: (t) => idp.introspect(t), authMethods: ['XOAUTH2'] });
    try {
      const both = accountFor(smtp, { preferOAuthBearer: true });
      const before = smtp.stats().authByMethod;
      expect(await senderFor(both).send('acc-1', simple(both))).toMatchObject({ ok: true });
      expect(smtp.stats().authByMethod).toEqual({ XOAUTH2: before.XOAUTH2, OAUTHBEARER: before.OAUTHBEARER + 1 });
      const only = accountFor(xoauth2Only, { preferOAuthBearer: true });
      expect(await senderFor(only).send('acc-1', simple(only))).toMatchObject({ ok: true });
      expect(xoauth2Only.stats().authByMethod).toEqual({ XOAUTH2: 1, OAUTHBEARER: 0 });
    } finally {
      await xoauth2Only.stop();
    }
  }, 10_000);

  it.each([
    ['OAUTHBEARER, with the RFC 7628 error exchange', ['OAUTHBEARER'] as const, 0],
    ["XOAUTH2, with Gmail's 334 challenge", ['XOAUTH2'] as const, 1],
  ])(
    'a grant revoked while its access token is cached: the first outcome is needs-sign-in (%s)',
    async (_name, authMethods, leaver) => {
      const server = await startSandboxSmtp({ introspect: (t) => idp.introspect(t), authMethods: [...authMethods] });
      try {
        const account = accountFor(server, {}, { id: `leaver-${leaver}`, login: LEAVERS[leaver]! });
        await tokens.getAccessToken(account.id); // cached
        await idp.revokeAllFor(account.login);
        const before = { ...tokens.counts };
        const outcome = await senderFor(account).send(account.id, simple(account));
        expect(outcome).toMatchObject({
          ok: false,
          attempts: 1,
          error: { class: 'needs-sign-in', action: 'reauthenticate', code: 'auth.needs_sign_in' },
        });
        if (outcome.ok) throw new Error('sent');
        expect(outcome.error.message).not.toMatch(/unexpectedly/);
        // The cached token was refused once at AUTH, then the refresh was refused: one connection each.
        expect(server.stats().authAttempts).toBe(1);
        expect(tokens.counts.refresh - before.refresh).toBe(1);
        expect(tokens.counts.get - before.get).toBe(2);
        if (authMethods[0] === 'OAUTHBEARER')
          expect(server.stats().oauthBearerErrorSteps).toEqual({ answeredWithAQ: 1, otherAnswer: 0 });
      } finally {
        await server.stop();
      }
    },
    10_000,
  );

  it('sends without TLS only to loopback under the development flag', async () => {
    const plain = await startSandboxSmtp({ introspect: (t) => idp.introspect(t), allowInsecureAuth: true });
    try {
      const account = accountFor(plain, { security: 'none' });
      expect(await senderFor(account, false).send('acc-1', simple(account))).toMatchObject({
        ok: false,
        attempts: 0,
        error: { code: 'smtp.insecure_refused' },
      });
      expect(await senderFor(account, true).send('acc-1', simple(account))).toMatchObject({ ok: true });
    } finally {
      await plain.stop();
    }
  }, 10_000);

  it('after a 535 drops the token, refreshes and succeeds on the second attempt', async () => {
    const account = accountFor(smtp);
    const before = { ...tokens.counts };
    smtp.fail('auth', { code: 535, message: '5.7.8 Username and Password not accepted' }, 1);
    expect(await senderFor(account).send('acc-1', simple(account))).toMatchObject({ ok: true, attempts: 2 });
    expect(tokens.counts.invalidate - before.invalidate).toBe(1);
    expect(tokens.counts.refresh - before.refresh).toBe(1);
  }, 10_000);

  it('gives up after the second 535 with action reauthenticate', async () => {
    const account = accountFor(smtp);
    smtp.fail('auth', { code: 535, message: '5.7.8 Username and Password not accepted' });
    expect(await senderFor(account).send('acc-1', simple(account))).toMatchObject({
      ok: false,
      attempts: 2,
      error: { action: 'reauthenticate', replyCode: 535 },
    });
  }, 10_000);

  it.each([
    ['421 at the greeting', 'greeting', 421, 'retry'],
    ['454 on AUTH', 'auth', 454, 'retry'],
    ['552 on DATA', 'data', 552, 'fail'],
  ] as const)(
    'decodes %s after one attempt',
    async (_name, phase, code, action) => {
      const account = accountFor(smtp);
      smtp.fail(phase, { code, message: `${code === 552 ? '5.3.4' : '4.7.0'} scripted` }, 1);
      expect(await senderFor(account).send('acc-1', simple(account))).toMatchObject({
        ok: false,
        attempts: 1,
        error: { action, replyCode: code },
      });
    },
    10_000,
  );

  it('treats a connection dropped mid-DATA and a server that never answers as transient', async () => {
    const account = accountFor(smtp);
    smtp.fail('drop-during-data', { code: 0, message: '' }, 1);
    expect(await senderFor(account).send('acc-1', simple(account))).toMatchObject({
      ok: false,
      attempts: 1,
      error: { action: 'retry', layer: 'network' },
    });
    smtp.setMode('silent');
    expect(await senderFor(account).send('acc-1', simple(account))).toMatchObject({
      ok: false,
      attempts: 1,
      error: { action: 'retry', code: 'smtp.transient' },
    });
  }, 10_000);

  it('reports who was taken and who was refused or put off at RCPT TO, with each reply; the envelope option limits RCPT TO', async () => {
    const account = accountFor(smtp);
    smtp.refuseRecipient('bob@example.org');
    smtp.deferRecipient('carol@example.org');
    const before = smtp.messages().length;
    const message = {
      ...simple(account),
      to: ['ada@example.org', 'bob@example.org'],
      cc: ['carol@example.org'],
      bcc: ['dan@example.org'],
    };
    const outcome = await senderFor(account).send('acc-1', {
      ...message,
      envelope: { from: USER, to: ['ada@example.org', 'bob@example.org', 'carol@example.org'] },
    });
    expect(outcome).toMatchObject({
      ok: true,
      attempts: 1,
      recipients: {
        accepted: ['ada@example.org'],
        rejected: [
          {
            address: 'bob@example.org',
            replyCode: 550,
            reply: '550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown in local recipient table',
          },
          {
            address: 'carol@example.org',
            replyCode: 450,
            reply: '450 4.2.0 <carol@example.org>: Recipient address rejected: Greylisted, try again later',
          },
        ],
      },
    });
    expect(
      smtp
        .messages()
        .slice(before)
        .map((m) => m.to),
    ).toEqual([['ada@example.org']]); // dan was not in the envelope
  }, 10_000);

  it('every recipient refused with "Relay access denied": one attempt, no token refresh, each reply reported', async () => {
    const account = accountFor(smtp);
    const before = { ...tokens.counts };
    const auths = smtp.stats().authAttempts;
    smtp.refuseRecipient('friend@example.com', {
      code: 554,
      message: '5.7.1 <friend@example.com>: Relay access denied',
    });
    const outcome = await senderFor(account).send('acc-1', simple(account));
    expect(outcome).toMatchObject({
      ok: false,
      attempts: 1,
      rejected: [
        { address: 'friend@example.com', replyCode: 554, reply: '554 5.7.1 <friend@example.com>: Relay access denied' },
      ],
    });
    expect(tokens.counts.invalidate - before.invalidate).toBe(0);
    expect(smtp.stats().authAttempts - auths).toBe(1);
  }, 10_000);
});
