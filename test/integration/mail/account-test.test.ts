// accounts:test against the sandbox: which layer fails, in plain words, through the real transport.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSandboxTokenSource, type SandboxTokenSource } from '../../fakes/sandbox-token-source';
import { startLiveMail, type LiveMail } from '../../fakes/live-mail-service';
import { SANDBOX_SMTP_CA_NAME, startSandbox, type Sandbox } from '../../support/sandbox';
import { EXTRA_CA_FIELD } from '../../../electron/mail/certificate-problem';

const USER = 'demo@quicksend.test';
let sandbox: Sandbox;
let tokens: SandboxTokenSource;
let mail: LiveMail;

beforeAll(async () => {
  sandbox = await startSandbox();
  tokens = await createSandboxTokenSource(sandbox);
  await tokens.signIn('acc-1', USER);
  mail = await startLiveMail(sandbox, tokens, 'acc-1', USER);
}, 20_000);

afterEach(() => {
  sandbox.smtp.clearFaults();
  sandbox.smtp.setMode('accept');
  mail.account.smtp.extraCa = sandbox.smtp.ca;
});

afterAll(async () => {
  await mail?.service.stop();
  await sandbox?.stop();
}, 10_000);

const check = async () => {
  const answer = await mail.service.testAccount('acc-1');
  return { ok: answer.ok, layers: answer.layers.map((l) => `${l.layer}:${l.ok}`), last: answer.layers.at(-1) };
};

describe('accounts:test with the sandbox', () => {
  it('passes every layer without sending anything', async () => {
    const accepted = sandbox.smtp.stats().accepted;
    const result = await check();
    expect(result).toMatchObject({
      ok: true,
      layers: ['network:true', 'tls:true', 'authentication:true', 'policy:true'],
    });
    expect(sandbox.smtp.stats().accepted).toBe(accepted);
    expect(sandbox.smtp.stats().authAccepted).toBeGreaterThan(0);
  }, 10_000);

  it('names the network when the server drops the connection', async () => {
    sandbox.smtp.setMode('drop');
    const result = await check();
    expect(result.layers).toEqual(['network:false']);
    expect(result.last?.message).toMatch(/connection to the mail server/i);
  }, 10_000);

  it('names TLS, the issuer and where to add its CA when the certificate cannot be verified', async () => {
    mail.account.smtp.extraCa = undefined;
    const auths = sandbox.smtp.stats().authAttempts;
    const result = await check();
    expect(result.layers).toEqual(['network:true', 'tls:false']);
    expect(result.last?.message).toContain(
      `certificate issued by "${SANDBOX_SMTP_CA_NAME}", which this computer does not trust`,
    );
    expect(result.last?.hint).toContain(`under "${EXTRA_CA_FIELD}"`);
    expect(sandbox.smtp.stats().authAttempts).toBe(auths); // neither the test nor its probe signed in
  }, 10_000);

  it('names TLS and says "for another name" when the certificate is for another host', async () => {
    sandbox.smtp.setCertificate('wrong-host');
    try {
      const result = await check();
      expect(result.layers).toEqual(['network:true', 'tls:false']);
      expect(result.last?.message).toContain('certificate is for another name (mail.elsewhere.test), not 127.0.0.1');
      expect(result.last?.hint).not.toMatch(/authority/i);
    } finally {
      sandbox.smtp.setCertificate('sandbox');
    }
  }, 10_000);

  it('names authentication on a refused token, and policy when SMTP AUTH is switched off', async () => {
    sandbox.smtp.fail('auth', { code: 535, message: '5.7.8 Username and Password not accepted' }, 1);
    expect((await check()).layers).toEqual(['network:true', 'tls:true', 'authentication:false']);
    sandbox.smtp.fail(
      'auth',
      {
        code: 535,
        message: '5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.',
      },
      1,
    );
    const policy = await check();
    expect(policy.layers).toEqual(['network:true', 'tls:true', 'policy:false']);
    expect(policy.last?.hint).toContain('aka.ms/smtp_auth_disabled');
  }, 10_000);

  it('refuses an unknown account with a typed error', async () => {
    await expect(mail.service.testAccount('nope')).rejects.toMatchObject({ code: 'mail.unknown_account' });
  });
});
