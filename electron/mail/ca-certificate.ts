/**
 * The extra certificate authority a person adds for a company or self-hosted mail server:
 * checked in main before anything is saved (node:crypto X509Certificate): exactly one PEM
 * certificate, a CA (`basicConstraints CA:TRUE`), valid now, of a sensible size, never a
 * private key. It adds to the system roots when connecting; it never replaces them.
 */
import { X509Certificate } from 'node:crypto';
import { displayName } from './certificate-problem';
import { FieldError } from './message';

/** Longest PEM accepted; a CA certificate is one to three kilobytes. */
export const MAX_CA_PEM_CHARS = 16 * 1024;

/** What the person sees about a CA: who it is and its SHA-256 fingerprint. */
export type CaSummary = { subject: string; fingerprint256: string; validTo: string };

/** Stable codes of the CA check. */
export const caErrors = {
  empty: 'certificate.empty',
  tooLarge: 'certificate.too_large',
  privateKey: 'certificate.private_key',
  notPem: 'certificate.not_pem',
  several: 'certificate.several',
  unreadable: 'certificate.unreadable',
  notCa: 'certificate.not_ca',
  expired: 'certificate.expired',
  notYetValid: 'certificate.not_yet_valid',
} as const;

const BLOCK = /-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+?-----END CERTIFICATE-----/g;
const day = (date: Date) => date.toISOString().slice(0, 10);

/** Checks `text` as one CA certificate; returns it normalised with its summary, or throws a FieldError on `field`. */
export function checkCaCertificate(text: string, field: string, now: number): { pem: string; summary: CaSummary } {
  const trimmed = text.trim();
  if (!trimmed) throw new FieldError(caErrors.empty, field, 'Choose or paste a certificate first.');
  if (trimmed.length > MAX_CA_PEM_CHARS) {
    throw new FieldError(
      caErrors.tooLarge,
      field,
      `That is too large to be one certificate (${Math.ceil(trimmed.length / 1024)} kB; at most ${MAX_CA_PEM_CHARS / 1024} kB).`,
      "Choose the certificate authority's own certificate, not a bundle or archive.",
    );
  }
  if (/PRIVATE KEY-----/.test(trimmed)) {
    throw new FieldError(
      caErrors.privateKey,
      field,
      'That contains a private key, which Quicksend never needs or stores.',
      "Choose the certificate authority's certificate (a .pem or .crt file starting with -----BEGIN CERTIFICATE-----).",
    );
  }
  const blocks = trimmed.match(BLOCK) ?? [];
  if (blocks.length === 0) {
    throw new FieldError(
      caErrors.notPem,
      field,
      'That is not a certificate in PEM form (text starting with -----BEGIN CERTIFICATE-----).',
      'Ask your administrator for the certificate authority as a .pem or .crt file.',
    );
  }
  if (blocks.length > 1) {
    throw new FieldError(
      caErrors.several,
      field,
      `That holds ${blocks.length} certificates; Quicksend takes one certificate authority.`,
      'Choose the file with only the certificate authority (the root) your administrator gave you.',
    );
  }
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(blocks[0]!);
  } catch {
    throw new FieldError(
      caErrors.unreadable,
      field,
      'That certificate cannot be read; the file may be damaged.',
      'Get the certificate again from your administrator.',
    );
  }
  const subject = displayName(certificate.subject);
  if (!certificate.ca) {
    throw new FieldError(
      caErrors.notCa,
      field,
      `"${subject}" is not a certificate authority (it cannot vouch for other certificates).`,
      `Choose the certificate authority that issued it${certificate.issuer !== certificate.subject ? ` ("${displayName(certificate.issuer)}")` : ''}.`,
    );
  }
  const validTo = new Date(certificate.validTo);
  const validFrom = new Date(certificate.validFrom);
  if (validTo.getTime() < now) {
    throw new FieldError(
      caErrors.expired,
      field,
      `The certificate authority "${subject}" expired on ${day(validTo)}.`,
      'Ask your administrator for its current certificate.',
    );
  }
  if (validFrom.getTime() > now) {
    throw new FieldError(
      caErrors.notYetValid,
      field,
      `The certificate authority "${subject}" is not valid until ${day(validFrom)}.`,
      "Check your computer's date, or ask your administrator.",
    );
  }
  return {
    pem: `${blocks[0]!.replaceAll('\r\n', '\n')}\n`,
    summary: { subject, fingerprint256: certificate.fingerprint256, validTo: validTo.toISOString() },
  };
}

/** The summary of a CA saved earlier (already checked then), or undefined when there is none. */
export function summaryOf(pem: string | undefined): CaSummary | undefined {
  if (!pem) return undefined;
  try {
    const certificate = new X509Certificate(pem);
    return {
      subject: displayName(certificate.subject),
      fingerprint256: certificate.fingerprint256,
      validTo: new Date(certificate.validTo).toISOString(),
    };
  } catch {
    return undefined;
  }
}
