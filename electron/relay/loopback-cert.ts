/**
 * The relay's TLS certificate, for programs that insist on STARTTLS or implicit TLS: made on
 * first use by `selfsigned` (a well-kept library, never hand-written ASN.1) for 127.0.0.1, ::1
 * and localhost; the certificate is public (the person may save it for a program to trust),
 * its private key is sealed with the data key like every other secret at rest.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../shared/atomic-file';
import type { DataKey } from '../vault/data-key';

const DAY_MS = 24 * 60 * 60 * 1000;
/** 825 days: the longest a certificate the person trusts by hand may live on macOS and iOS. */
const VALID_DAYS = 825;
/** A certificate this close to its end is replaced at start-up. */
const RENEW_BEFORE_DAYS = 30;

export type LoopbackCertificate = {
  /** PEM certificate (public). */
  cert: string;
  /** PEM private key, in memory only; on disk it is sealed. */
  key: string;
  /** SHA-256 fingerprint as colon-separated hex, as browsers and `openssl x509 -fingerprint -sha256` show it. */
  fingerprint256: string;
  validTo: string;
};

const CERT_FILE = 'relay-certificate.pem';
const KEY_FILE = 'relay-certificate-key.sealed';

function describe(cert: string, key: string): LoopbackCertificate {
  const x509 = new X509Certificate(cert);
  return { cert, key, fingerprint256: x509.fingerprint256, validTo: new Date(x509.validTo).toISOString() };
}

/** Makes a new certificate valid from `now` (EC P-256, SHA-256, server auth, loopback names). */
export async function createLoopbackCertificate(now: number): Promise<{ cert: string; key: string }> {
  // Loaded here, when a certificate is made: most starts never make one.
  const { generate } = await import('selfsigned');
  const made = await generate(
    [
      { name: 'commonName', value: 'Quicksend local relay' },
      { name: 'organizationName', value: 'Quicksend' },
    ],
    {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      notBeforeDate: new Date(now - 60_000),
      notAfterDate: new Date(now + VALID_DAYS * DAY_MS),
      extensions: [
        { name: 'basicConstraints', cA: false, critical: true },
        { name: 'keyUsage', digitalSignature: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: [
            { type: 7, ip: '127.0.0.1' },
            { type: 7, ip: '::1' },
            { type: 2, value: 'localhost' },
          ],
        },
      ],
    },
  );
  return { cert: made.cert, key: made.private };
}

/**
 * Loads the certificate from `dir`, or makes and saves one when there is none, it does not
 * open, or it ends within 30 days of `now`.
 */
export async function loadLoopbackCertificate(options: {
  dir: string;
  dataKey: DataKey;
  now: number;
  create?: typeof createLoopbackCertificate;
}): Promise<LoopbackCertificate> {
  const certFile = path.join(options.dir, CERT_FILE);
  const keyFile = path.join(options.dir, KEY_FILE);
  try {
    const cert = await readFile(certFile, 'utf8');
    const key = options.dataKey.open(await readFile(keyFile)).toString('utf8');
    const described = describe(cert, key);
    const matches = new X509Certificate(cert).checkPrivateKey(createPrivateKey(key));
    if (matches && Date.parse(described.validTo) - options.now > RENEW_BEFORE_DAYS * DAY_MS) return described;
  } catch {
    // Missing, damaged or sealed by another key: a new one below.
  }
  const made = await (options.create ?? createLoopbackCertificate)(options.now);
  await writeFileAtomic(keyFile, options.dataKey.seal(made.key));
  await writeFileAtomic(certFile, made.cert, 0o644);
  return describe(made.cert, made.key);
}
