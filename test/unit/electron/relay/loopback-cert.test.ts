import { X509Certificate } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { expect, test } from 'vitest';
import { createLoopbackCertificate, loadLoopbackCertificate } from '../../../../electron/relay/loopback-cert';
import { loadDataKey } from '../../../../electron/vault/data-key';
import { createNodeCipher } from '../../../support/node-cipher';
import { tempDataDir } from '../../../support/node-ports';

const DAY = 24 * 60 * 60 * 1000;

test('the certificate names 127.0.0.1, ::1 and localhost, serves TLS, and its key is sealed on disk', async () => {
  const dir = tempDataDir('quicksend-cert-');
  const dataKey = await loadDataKey(dir, createNodeCipher());
  const now = Date.now();
  let made = 0;
  const create = async (t: number) => (made++, createLoopbackCertificate(t));
  const first = await loadLoopbackCertificate({ dir, dataKey, now, create });
  const x509 = new X509Certificate(first.cert);
  expect(x509.checkIP('127.0.0.1')).toBe('127.0.0.1');
  expect(x509.checkIP('::1')).toBeTruthy();
  expect(x509.checkHost('localhost')).toBe('localhost');
  expect(x509.ca).toBe(false);
  expect(x509.fingerprint256).toBe(first.fingerprint256);
  expect(Date.parse(first.validTo) - now).toBeGreaterThan(800 * DAY);
  const files = await readdir(dir);
  expect(files).toContain('relay-certificate.pem');
  const sealed = await readFile(`${dir}/relay-certificate-key.sealed`);
  expect(sealed.toString('latin1')).not.toContain('PRIVATE KEY');
  expect(dataKey.open(sealed).toString('utf8')).toBe(first.key);
  // Loaded again: the same certificate, nothing new made.
  const second = await loadLoopbackCertificate({ dir, dataKey, now: now + DAY, create });
  expect(second.fingerprint256).toBe(first.fingerprint256);
  expect(made).toBe(1);
  // Close to its end: a new one replaces it.
  const renewed = await loadLoopbackCertificate({ dir, dataKey, now: now + 810 * DAY, create });
  expect(renewed.fingerprint256).not.toBe(first.fingerprint256);
  expect(made).toBe(2);
});

test('a key sealed by another data key is replaced, not trusted', async () => {
  const dir = tempDataDir('quicksend-cert-');
  const first = await loadLoopbackCertificate({
    dir,
    dataKey: await loadDataKey(dir, createNodeCipher()),
    now: Date.now(),
  });
  const otherDir = tempDataDir('quicksend-cert-other-');
  const otherKey = await loadDataKey(otherDir, createNodeCipher());
  const replaced = await loadLoopbackCertificate({ dir, dataKey: otherKey, now: Date.now() });
  expect(replaced.fingerprint256).not.toBe(first.fingerprint256);
});
