/**
 * Encryption at rest for message bodies and drafts. A random 256-bit data key encrypts them
 * (AES-256-GCM, fast for megabytes); the data key itself is stored wrapped by the
 * `SecretCipher` (the OS key store), so bodies on disk are unreadable without the OS account.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Transform } from 'node:stream';
import { writeFileAtomic } from '../shared/atomic-file';
import type { SecretCipher } from '../shared/ports';
import { createOpeningStream, createSealingStream } from './sealed-stream';
import { keptAs, type Quarantine } from '../diagnostics/quarantine';

const FORMAT = 1;

export type DataKey = {
  seal(plain: Uint8Array | string): Uint8Array;
  open(sealed: Uint8Array): Buffer;
  /** Encrypts a stream (attachment copies) in authenticated segments bound to `place`. */
  sealStream(place: string): Transform;
  /** Decrypts what `sealStream(place)` wrote, releasing only authenticated bytes. */
  openStream(place: string): Transform;
};

function fromKey(key: Buffer): DataKey {
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([
        cipher.update(typeof plain === 'string' ? Buffer.from(plain, 'utf8') : plain),
        cipher.final(),
      ]);
      return Buffer.concat([Buffer.of(FORMAT), iv, cipher.getAuthTag(), body]);
    },
    open(sealed) {
      const buf = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
      if (buf.length < 29 || buf[0] !== FORMAT) throw new Error('Not sealed by this data key');
      const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(1, 13));
      decipher.setAuthTag(buf.subarray(13, 29));
      return Buffer.concat([decipher.update(buf.subarray(29)), decipher.final()]);
    },
    sealStream: (place) => createSealingStream(key, Buffer.from(place, 'utf8')),
    openStream: (place) => createOpeningStream(key, Buffer.from(place, 'utf8')),
  };
}

// One load per data directory and cipher: the outbox and the draft store both ask at start-up,
// and two concurrent first loads would otherwise create two different keys.
const loads = new WeakMap<SecretCipher, Map<string, Promise<DataKey>>>();

/**
 * Loads the data key from `<dataDir>/data-key.bin`, creating it on first use. Concurrent
 * callers within one process share one load.
 */
export function loadDataKey(dataDir: string, cipher: SecretCipher, quarantine?: Quarantine): Promise<DataKey> {
  const file = path.join(path.resolve(dataDir), 'data-key.bin');
  let byFile = loads.get(cipher);
  if (!byFile) loads.set(cipher, (byFile = new Map()));
  let pending = byFile.get(file);
  if (!pending) {
    pending = loadOrCreate(file, cipher, quarantine);
    byFile.set(file, pending);
    // A failed load (e.g. the OS key is locked) may be retried later.
    pending.catch(() => byFile.delete(file));
  }
  return pending;
}

/** Unwraps a stored data key; throws when the OS key cannot or the result is not a key. */
async function unwrap(
  existing: Buffer,
  cipher: SecretCipher,
): Promise<{ plain: string; key: Buffer; shouldReEncrypt: boolean }> {
  const { plain, shouldReEncrypt } = await cipher.decrypt(existing);
  const key = Buffer.from(plain, 'base64');
  if (key.length !== 32) throw new Error('Not a data key');
  return { plain, key, shouldReEncrypt };
}

async function loadOrCreate(file: string, cipher: SecretCipher, quarantine?: Quarantine): Promise<DataKey> {
  const existing = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (existing) {
    let unwrapped: Awaited<ReturnType<typeof unwrap>> | undefined;
    let failure: unknown;
    try {
      unwrapped = await unwrap(existing, cipher);
    } catch (error) {
      failure = error;
    }
    if (unwrapped) {
      if (unwrapped.shouldReEncrypt) await writeFileAtomic(file, await cipher.encrypt(unwrapped.plain));
      return fromKey(unwrapped.key);
    }
    // A locked key store may work later; a key that does not unwrap with a working one will not.
    if (!quarantine || !(await cipher.isAvailable())) throw failure;
    const moved = await quarantine.moveAside(file, 'data key cannot be unwrapped');
    quarantine.report({
      level: 'warning',
      message:
        'Quicksend could not unlock the key that protects saved messages, drafts and history (the system key store changed). What it protected is set aside and kept; new ones use a new key.',
      hint: keptAs(moved),
    });
  }
  const key = randomBytes(32);
  await writeFileAtomic(file, await cipher.encrypt(key.toString('base64')));
  return fromKey(key);
}
