// The extra CA check: the sandbox's private CA passes with its subject and the fingerprint
// OpenSSL prints for it; everything else is refused with a field-level error in plain words.
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { caErrors, checkCaCertificate, MAX_CA_PEM_CHARS, summaryOf } from '../../../../electron/mail/ca-certificate';
import { FieldError } from '../../../../electron/mail/message';
import { SANDBOX_SMTP_CA, SANDBOX_SMTP_CERT, SANDBOX_SMTP_KEY } from '../../../support/sandbox/smtp-cert';

const NOW = Date.parse('2030-01-01T00:00:00Z');
// `openssl x509 -in ca.pem -noout -fingerprint -sha256` for SANDBOX_SMTP_CA.
const CA_FINGERPRINT =
  'B8:37:29:97:A4:64:74:DD:76:5E:88:17:08:0E:DD:38:56:4D:26:F7:7E:76:61:D2:0F:08:86:AA:FF:0D:72:DD';

function refusal(text: string, now = NOW): { code: string; field: string; message: string } {
  try {
    checkCaCertificate(text, 'extraCa', now);
  } catch (error) {
    expect(error).toBeInstanceOf(FieldError);
    const { code, field, message } = error as FieldError;
    return { code, field, message };
  }
  throw new Error('accepted');
}

describe('checkCaCertificate', () => {
  it('accepts a CA certificate and describes it by subject and SHA-256 fingerprint', () => {
    const { pem, summary } = checkCaCertificate(`\n  ${SANDBOX_SMTP_CA}  \n`, 'extraCa', NOW);
    expect(summary).toEqual({
      subject: 'Quicksend sandbox private CA',
      fingerprint256: CA_FINGERPRINT,
      validTo: '2126-11-09T14:15:18.000Z',
    });
    expect(pem).toBe(SANDBOX_SMTP_CA);
    expect(new X509Certificate(pem).ca).toBe(true);
    expect(summaryOf(pem)).toEqual(summary);
  });

  it('accepts Windows line endings', () => {
    expect(checkCaCertificate(SANDBOX_SMTP_CA.replaceAll('\n', '\r\n'), 'extraCa', NOW).pem).toBe(SANDBOX_SMTP_CA);
  });

  it('refuses a server certificate, naming the authority to ask for instead', () => {
    const refused = refusal(SANDBOX_SMTP_CERT);
    expect(refused).toMatchObject({ code: caErrors.notCa, field: 'extraCa' });
    expect(refused.message).toContain('"smtp.sandbox.test" is not a certificate authority');
  });

  it('refuses a CA that expired or is not valid yet (by the injected clock)', () => {
    expect(refusal(SANDBOX_SMTP_CA, Date.parse('2200-01-01T00:00:00Z'))).toMatchObject({
      code: caErrors.expired,
      message: expect.stringContaining('expired on 2126-11-09'),
    });
    expect(refusal(SANDBOX_SMTP_CA, Date.parse('2001-01-01T00:00:00Z'))).toMatchObject({ code: caErrors.notYetValid });
  });

  it('refuses empty, oversized, non-PEM, damaged, several certificates and private keys', () => {
    expect(refusal('   ').code).toBe(caErrors.empty);
    expect(refusal('x'.repeat(MAX_CA_PEM_CHARS + 1)).code).toBe(caErrors.tooLarge);
    expect(refusal('hello, I am not a certificate').code).toBe(caErrors.notPem);
    const truncated = SANDBOX_SMTP_CA.split('\n')
      .filter((_line, i, all) => i < 4 || i >= all.length - 3)
      .join('\n');
    expect(refusal(truncated).code).toBe(caErrors.unreadable);
    expect(refusal(`${SANDBOX_SMTP_CA}${SANDBOX_SMTP_CA}`)).toMatchObject({
      code: caErrors.several,
      message: expect.stringContaining('2 certificates'),
    });
    expect(refusal(`${SANDBOX_SMTP_KEY}${SANDBOX_SMTP_CA}`).code).toBe(caErrors.privateKey);
  });
});

describe('summaryOf', () => {
  it('is undefined for nothing or something unreadable', () => {
    expect(summaryOf(undefined)).toBeUndefined();
    expect(summaryOf('garbage')).toBeUndefined();
  });
});
