// The certificate probe against the sandbox SMTP server: it reads the certificate over STARTTLS
// and implicit TLS without trusting it, reports Node's verdict against the same trust as the
// transport, never signs in, and fails cleanly on servers that will not start TLS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SmtpEndpoint } from '../../../electron/accounts/sending-account';
import { probeCertificate } from '../../../electron/mail/certificate-probe';
import { startSandboxSmtp, type SandboxSmtp } from '../../support/sandbox/smtp-server';

const ISSUER = 'O=Quicksend sandbox\nCN=Quicksend sandbox private CA';
const introspect = async () => ({ active: false });
let starttls: SandboxSmtp;
let implicit: SandboxSmtp;

beforeAll(async () => {
  starttls = await startSandboxSmtp({ introspect });
  implicit = await startSandboxSmtp({ introspect, secure: true });
});
afterAll(async () => {
  await starttls?.stop();
  await implicit?.stop();
});

const probe = (server: SandboxSmtp, over: Partial<SmtpEndpoint> = {}, timeoutMs = 2_000) =>
  probeCertificate(
    { host: server.host, port: server.port, security: server === implicit ? 'tls' : 'starttls', ...over },
    { timeoutMs, ehloName: '[127.0.0.1]' },
  );

describe('probeCertificate', () => {
  it.each([
    ['STARTTLS', () => starttls],
    ['implicit TLS', () => implicit],
  ] as const)(
    'reads the certificate over %s, untrusted without the CA and trusted with it',
    async (_name, server) => {
      expect(await probe(server())).toMatchObject({
        subject: 'CN=smtp.sandbox.test',
        issuer: ISSUER,
        names: ['127.0.0.1', '0:0:0:0:0:0:0:1', 'localhost'],
        authorized: false,
        authorizationError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
        nameMatches: true,
      });
      expect(await probe(server(), { extraCa: server().ca })).toMatchObject({
        authorized: true,
        authorizationError: null,
      });
      expect(server().stats().authAttempts).toBe(0);
    },
    10_000,
  );

  it('rejects when the server refuses before TLS, drops, or says nothing in time', async () => {
    try {
      starttls.setMode('refuse');
      await expect(probe(starttls)).rejects.toThrow(/answered 421 before TLS started/);
      starttls.setMode('drop');
      await expect(probe(starttls)).rejects.toThrow();
      starttls.setMode('silent');
      await expect(probe(starttls, {}, 300)).rejects.toThrow(/timed out/);
    } finally {
      starttls.setMode('accept');
    }
  }, 10_000);

  it('refuses an account without TLS: there is no certificate to read', async () => {
    await expect(probe(starttls, { security: 'none' })).rejects.toThrow(/does not use TLS/);
  });
});
