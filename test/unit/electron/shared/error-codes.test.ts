// Our error codes are one list (shared/error-codes.ts): the redactor keeps every one readable,
// and the codes built from SMTP reply classes and certificate problems are all in it.
import { describe, expect, test } from 'vitest';
import { explainCertificate, type CertificateProblem } from '../../../../electron/mail/certificate-problem';
import type { SmtpErrorClass } from '../../../../electron/mail/smtp-reply-rules';
import { errorInfoSchema } from '../../../../electron/ipc/contract';
import { ALL_ERROR_CODES, ERROR_DOMAINS } from '../../../../electron/shared/error-codes';
import { isOwnErrorCode, OWN_ERROR_DOMAINS } from '../../../../electron/shared/errors';
import { createRedactor } from '../../../../electron/shared/logger';

// Records over the unions: the compiler refuses these lists if a class or problem is missing.
const SMTP_CLASSES: Record<SmtpErrorClass, true> = {
  transient: true,
  auth: true,
  'needs-sign-in': true,
  policy: true,
  'user-action': true,
  permanent: true,
  certificate: true,
};
const CERTIFICATE_PROBLEMS: Record<CertificateProblem, true> = {
  untrusted: true,
  'wrong-name': true,
  expired: true,
  'not-yet-valid': true,
  invalid: true,
};

describe('error codes', () => {
  test("the redactor's own domains are the codes' domains", () => {
    expect([...OWN_ERROR_DOMAINS]).toEqual(ERROR_DOMAINS);
  });

  test('every code of ours stays readable in logs; an OAuth code in a `code` field does not', () => {
    const redactor = createRedactor();
    for (const code of ALL_ERROR_CODES) {
      expect(isOwnErrorCode(code)).toBe(true);
      expect(redactor.redact({ code })).toEqual({ code });
    }
    expect(redactor.redact({ code: 'SplxlOBeZQQYbYS6WxSbIA' })).not.toEqual({ code: 'SplxlOBeZQQYbYS6WxSbIA' });
  });

  test('the code of every SMTP reply class is in the list', () => {
    for (const cls of Object.keys(SMTP_CLASSES)) expect(ALL_ERROR_CODES).toContain(`smtp.${cls.replaceAll('-', '_')}`);
  });

  test('the code of every server-certificate problem is in the list', () => {
    for (const problem of Object.keys(CERTIFICATE_PROBLEMS) as CertificateProblem[]) {
      expect(ALL_ERROR_CODES).toContain(
        explainCertificate(problem, null, { host: 'smtp.example.com', login: 'ada@example.com' }).code,
      );
    }
  });
});

describe('codes read back from the wire or disk', () => {
  test('one of ours stays as it is; one this version does not know becomes app.unknown_code, its words kept', () => {
    expect(errorInfoSchema.parse({ code: 'smtp.transient', message: 'Later.' })).toEqual({
      code: 'smtp.transient',
      message: 'Later.',
    });
    expect(
      errorInfoSchema.parse({ code: 'smtp.quantum_flux', message: 'A newer version said this.', hint: 'Update.' }),
    ).toEqual({
      code: 'app.unknown_code',
      message: 'A newer version said this.',
      hint: 'Update.',
    });
    expect(ALL_ERROR_CODES.every((code) => errorInfoSchema.parse({ code, message: 'm' }).code === code)).toBe(true);
  });
});
