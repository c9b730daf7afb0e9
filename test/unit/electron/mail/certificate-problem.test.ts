// Plain words for a certificate that did not verify: the issuer and the real field name for an
// untrusted authority; never a CA as the fix for a certificate made for another name.
import { describe, expect, it } from 'vitest';
import type { PeerCertificateFacts } from '../../../../electron/mail/certificate-probe';
import {
  certificateProblemOf,
  displayName,
  explainCertificate,
  EXTRA_CA_FIELD,
  refineProblem,
} from '../../../../electron/mail/certificate-problem';

const facts = (over: Partial<PeerCertificateFacts> = {}): PeerCertificateFacts => ({
  subject: 'CN=mail.corp.example',
  issuer: 'O=Corp\nCN=Corp Internal Root',
  names: ['mail.corp.example'],
  validFrom: '2025-01-01T00:00:00.000Z',
  validTo: '2035-01-01T00:00:00.000Z',
  fingerprint256: 'AA:BB',
  authorized: false,
  authorizationError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  nameMatches: true,
  ...over,
});
const where = { host: 'mail.corp.example', login: 'ada@corp.example' };
const NOW = Date.parse('2030-01-01T00:00:00Z');

describe('explainCertificate', () => {
  it('names the issuer and exactly where to add its certificate', () => {
    const words = explainCertificate('untrusted', facts(), where);
    expect(words.code).toBe('smtp.certificate_untrusted');
    expect(words.message).toContain('issued by "Corp Internal Root"');
    expect(words.message).toContain('mail.corp.example');
    expect(words.hint).toContain(`on the card of ada@corp.example, under "${EXTRA_CA_FIELD}"`);
    expect(words.hint).toMatch(/checks again when the network changes/);
  });

  it('says "for another name" and never suggests a certificate authority for a name mismatch', () => {
    const words = explainCertificate(
      'wrong-name',
      facts({ names: ['portal.hotel.example'], nameMatches: false }),
      where,
    );
    expect(words.message).toContain('certificate is for another name (portal.hotel.example), not mail.corp.example');
    expect(`${words.message} ${words.hint}`).not.toMatch(/authority|Extra certificate/i);
  });

  it('gives expiry and broken certificates their own words, without the CA field', () => {
    const expired = explainCertificate('expired', facts({ validTo: '2024-05-06T00:00:00.000Z' }), where);
    expect(expired.message).toContain('expired on 2024-05-06');
    for (const problem of ['expired', 'not-yet-valid', 'invalid'] as const) {
      const words = explainCertificate(problem, facts(), where);
      expect(words.hint).not.toContain(EXTRA_CA_FIELD);
    }
  });

  it('still explains when the probe could not read the certificate', () => {
    expect(explainCertificate('untrusted', null, where).message).toContain('issued by an authority');
  });
});

describe('refineProblem', () => {
  it('a name mismatch wins over an untrusted issuer, then the dates, then what was reported', () => {
    expect(refineProblem('untrusted', facts({ nameMatches: false }), NOW)).toBe('wrong-name');
    expect(refineProblem('untrusted', facts({ validTo: '2029-01-01T00:00:00.000Z' }), NOW)).toBe('expired');
    expect(refineProblem('untrusted', facts({ validFrom: '2031-01-01T00:00:00.000Z' }), NOW)).toBe('not-yet-valid');
    expect(refineProblem('untrusted', facts(), NOW)).toBe('untrusted');
    expect(refineProblem('expired', null, NOW)).toBe('expired');
  });
});

describe('certificateProblemOf and displayName', () => {
  it('reads codes first, then the message', () => {
    expect(certificateProblemOf(['ESOCKET', 'SELF_SIGNED_CERT_IN_CHAIN'], '')).toBe('untrusted');
    expect(certificateProblemOf([], 'self-signed certificate')).toBe('untrusted');
    expect(certificateProblemOf(['ECONNRESET'], 'socket hang up')).toBeNull();
  });

  it('shows CN with O, or whatever the name has', () => {
    expect(displayName('CN=Root\nO=Corp')).toBe('Root (Corp)');
    expect(displayName('O=Corp Only')).toBe('Corp Only');
    expect(displayName('')).toBe('an unnamed issuer');
  });
});
