/**
 * A real AES-256-GCM `SecretCipher` for plain Node (tests, web host, demo, benchmarks), where
 * Electron's safeStorage does not exist. The key lives in memory unless the caller keeps it.
 * Format: version byte 1 | 12-byte IV | 16-byte tag | ciphertext.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretCipher } from '../../electron/shared/ports';

const VERSION = 1;

export function createNodeCipher(key: Uint8Array = randomBytes(32), backend = 'node-aes-256-gcm'): SecretCipher {
  if (key.length !== 32) throw new Error('AES-256-GCM needs a 32-byte key');
  return {
    isAvailable: async () => true,
    backend: () => backend,
    async encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return new Uint8Array(Buffer.concat([Buffer.of(VERSION), iv, cipher.getAuthTag(), body]));
    },
    async decrypt(data) {
      const buf = Buffer.from(data);
      if (buf.length < 29 || buf[0] !== VERSION) throw new Error('Not data this cipher wrote');
      const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(1, 13));
      decipher.setAuthTag(buf.subarray(13, 29));
      const plain = Buffer.concat([decipher.update(buf.subarray(29)), decipher.final()]).toString('utf8');
      return { plain, shouldReEncrypt: false };
    },
  };
}
