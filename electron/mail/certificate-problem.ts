/**
 * A server certificate that failed verification, in plain words with the fix that fits: an
 * issuer this computer does not trust can be added as the account's extra certificate authority;
 * a certificate for another name, an expired or a broken one cannot, and the words never suggest
 * it. Certificate failures are not retried by themselves: the outbox parks the messages and checks
 * again after a network change (captive portals show untrusted certificates for a while).
 */
import type { ErrorCode } from '../shared/error-codes';
import type { PeerCertificateFacts } from './certificate-probe';

/** The label of the field where a person adds a CA (renderer: AccountCard's CA section). */
export const EXTRA_CA_FIELD = 'Extra certificate authority';

export type CertificateProblem = 'untrusted' | 'wrong-name' | 'expired' | 'not-yet-valid' | 'invalid';

const UNTRUSTED = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_UNTRUSTED',
]);
const WRONG_NAME = new Set(['ERR_TLS_CERT_ALTNAME_INVALID', 'HOSTNAME_MISMATCH']);
// Verification failures that no CA the person adds can fix.
const INVALID = new Set([
  'CERT_SIGNATURE_FAILURE',
  'CERT_REVOKED',
  'CERT_REJECTED',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'PATH_LENGTH_EXCEEDED',
  'CERT_CHAIN_TOO_LONG',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
]);

/** Which certificate problem an OpenSSL/Node code (or, lacking one, the message) names; null when none. */
export function certificateProblemOf(codes: string[], message: string): CertificateProblem | null {
  for (const code of codes) {
    if (UNTRUSTED.has(code)) return 'untrusted';
    if (WRONG_NAME.has(code)) return 'wrong-name';
    if (code === 'CERT_HAS_EXPIRED') return 'expired';
    if (code === 'CERT_NOT_YET_VALID') return 'not-yet-valid';
    if (INVALID.has(code)) return 'invalid';
  }
  if (/self[- ]signed certificate|unable to (verify|get) .*(certificate|issuer)/i.test(message)) return 'untrusted';
  if (/does not match certificate's altnames|hostname mismatch/i.test(message)) return 'wrong-name';
  if (/certificate has expired/i.test(message)) return 'expired';
  if (/certificate is not yet valid/i.test(message)) return 'not-yet-valid';
  return null;
}

/**
 * The problem as the probe saw it: a name that does not match wins over everything (adding a CA
 * must never look like a fix for it), then the dates, then what the failed connection reported.
 */
export function refineProblem(
  reported: CertificateProblem,
  facts: PeerCertificateFacts | null,
  now: number,
): CertificateProblem {
  if (!facts) return reported;
  if (!facts.nameMatches) return 'wrong-name';
  if (Date.parse(facts.validTo) < now) return 'expired';
  if (Date.parse(facts.validFrom) > now) return 'not-yet-valid';
  return reported;
}

/** "CN (O)" of a distinguished name as Node prints it (`CN=x\nO=y`), for people. */
export function displayName(dn: string): string {
  const parts = new Map<string, string>();
  for (const line of dn.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0 && !parts.has(line.slice(0, eq))) parts.set(line.slice(0, eq), line.slice(eq + 1));
  }
  const cn = parts.get('CN');
  const o = parts.get('O');
  if (cn && o && !cn.includes(o)) return `${cn} (${o})`;
  return cn ?? o ?? (dn.replaceAll('\n', ', ') || 'an unnamed issuer');
}

const day = (iso: string) => new Date(iso).toISOString().slice(0, 10);
const AGAIN =
  'Quicksend checks again when the network changes; on a hotel, airport or café network, sign in to the network first.';

/** The code each certificate problem is shown with. */
const CERTIFICATE_CODES: Record<CertificateProblem, ErrorCode> = {
  untrusted: 'smtp.certificate_untrusted',
  'wrong-name': 'smtp.certificate_wrong_name',
  expired: 'smtp.certificate_expired',
  'not-yet-valid': 'smtp.certificate_not_yet_valid',
  invalid: 'smtp.certificate_invalid',
};

/** Plain words and a fix for `problem` on `host`; `login` names the account whose card holds the CA field. */
export function explainCertificate(
  problem: CertificateProblem,
  facts: PeerCertificateFacts | null,
  where: { host: string; login: string },
): { code: ErrorCode; message: string; hint: string } {
  const code = CERTIFICATE_CODES[problem];
  const nothingSent = 'Nothing was sent to it.';
  switch (problem) {
    case 'untrusted': {
      const issuer = facts ? `"${displayName(facts.issuer)}"` : 'an authority';
      return {
        code,
        message: `The mail server ${where.host} identified itself with a certificate issued by ${issuer}, which this computer does not trust. ${nothingSent}`,
        hint: `If your organisation runs this server, get the certificate of ${issuer} from its administrator and add it in Accounts, on the card of ${where.login}, under "${EXTRA_CA_FIELD}". ${AGAIN}`,
      };
    }
    case 'wrong-name': {
      const names = facts?.names.length ? facts.names.slice(0, 4).join(', ') : 'another server';
      return {
        code,
        message: `The mail server's certificate is for another name (${names}), not ${where.host}. ${nothingSent}`,
        hint: `Check the server name in the provider's SMTP settings. ${AGAIN}`,
      };
    }
    case 'expired':
      return {
        code,
        message: `The certificate of the mail server ${where.host} expired${facts ? ` on ${day(facts.validTo)}` : ''}. ${nothingSent}`,
        hint: `The server's administrator must renew it; if your computer's date is wrong, correct it. ${AGAIN}`,
      };
    case 'not-yet-valid':
      return {
        code,
        message: `The certificate of the mail server ${where.host} is not valid yet${facts ? ` (from ${day(facts.validFrom)})` : ''}. ${nothingSent}`,
        hint: `Check your computer's date and time. ${AGAIN}`,
      };
    case 'invalid':
      return {
        code,
        message: `The mail server ${where.host} presented a certificate that is not valid. ${nothingSent}`,
        hint: `Tell the server's administrator. ${AGAIN}`,
      };
  }
}
