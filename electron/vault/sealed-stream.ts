/**
 * Streaming authenticated encryption for attachment copies at rest, in the format of Tink's
 * AES-GCM-HKDF streaming AEAD (developers.google.com/tink/streaming-aead/aes_gcm_hkdf_streaming),
 * an instance of the STREAM construction (Hoang, Reyhanitabar, Rogaway, Vizár: "Online
 * Authenticated-Encryption and its Nonce-Reuse Misuse-Resistance", CRYPTO 2015):
 *
 *   header   = headerLength (1 byte) || salt (32) || noncePrefix (7)
 *   key      = HKDF-SHA256(ikm = data key, salt, info = associated data, 32 bytes)
 *   segment  = AES-256-GCM(key, nonce = noncePrefix || segmentNumber (4, big-endian) || last (1))
 *
 * Each segment carries its own tag and position, and the last one says it is last, so a
 * reader releases only authenticated bytes, notices reordered, dropped, repeated or truncated
 * segments, and never holds more than two segments in memory whatever the file's size. The
 * associated data binds a copy to its place (message and attachment), so copies cannot be
 * swapped between messages unnoticed.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

const KEY_SIZE = 32;
const NONCE_PREFIX_SIZE = 7;
const TAG_SIZE = 16;
const HEADER_SIZE = 1 + KEY_SIZE + NONCE_PREFIX_SIZE;
/** Ciphertext bytes per segment, tag included; the first segment also holds the header. */
export const SEGMENT_SIZE = 64 * 1024;

/** A segment failed authentication, or the stream was cut, extended or not ours. */
export class SealedStreamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealedStreamError';
  }
}

function segmentKey(dataKey: Uint8Array, salt: Uint8Array, associatedData: Uint8Array): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, salt, associatedData, KEY_SIZE));
}

function nonce(prefix: Buffer, segment: number, last: boolean): Buffer {
  const out = Buffer.alloc(12);
  prefix.copy(out, 0);
  out.writeUInt32BE(segment, NONCE_PREFIX_SIZE);
  out[11] = last ? 1 : 0;
  return out;
}

function checkKey(dataKey: Uint8Array): void {
  if (dataKey.length !== KEY_SIZE) throw new Error('A sealed stream needs a 256-bit key');
}

/** Plaintext bytes in segment `index` (the first one makes room for the header). */
const plainSize = (index: number) => SEGMENT_SIZE - TAG_SIZE - (index === 0 ? HEADER_SIZE : 0);
/** Ciphertext bytes of segment `index` in the stream after the header. */
const cipherSize = (index: number) => SEGMENT_SIZE - (index === 0 ? HEADER_SIZE : 0);

/** Encrypts what is written to it; `associatedData` must be given again to open it. */
export function createSealingStream(dataKey: Uint8Array, associatedData: Uint8Array): Transform {
  checkKey(dataKey);
  const salt = randomBytes(KEY_SIZE);
  const prefix = randomBytes(NONCE_PREFIX_SIZE);
  const key = segmentKey(dataKey, salt, associatedData);
  let pending = Buffer.alloc(0);
  let index = 0;
  let headerSent = false;

  const seal = (plain: Buffer, last: boolean): Buffer => {
    if (index > 0xffffffff) throw new SealedStreamError('Too many segments');
    const cipher = createCipheriv('aes-256-gcm', key, nonce(prefix, index, last));
    const body = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    index += 1;
    return body;
  };

  const sendHeader = (stream: Transform) => {
    if (headerSent) return;
    headerSent = true;
    stream.push(Buffer.concat([Buffer.of(HEADER_SIZE), salt, prefix]));
  };

  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      try {
        sendHeader(this);
        const all = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
        let offset = 0;
        // Strictly more than a segment left: only then is this segment known not to be last.
        while (all.length - offset > plainSize(index)) {
          const size = plainSize(index);
          this.push(seal(all.subarray(offset, offset + size), false));
          offset += size;
        }
        pending = Buffer.from(all.subarray(offset)); // a copy: never pin the caller's large chunk
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback: TransformCallback) {
      try {
        sendHeader(this);
        this.push(seal(pending, true));
        pending = Buffer.alloc(0);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
}

/** Decrypts a sealed stream, releasing each segment only once it is authenticated. */
export function createOpeningStream(dataKey: Uint8Array, associatedData: Uint8Array): Transform {
  checkKey(dataKey);
  let header: { key: Buffer; prefix: Buffer } | undefined;
  let pending = Buffer.alloc(0);
  let index = 0;

  const open = (body: Buffer, last: boolean): Buffer => {
    if (!header) throw new SealedStreamError('The sealed stream was cut short');
    if (body.length < TAG_SIZE) throw new SealedStreamError('The sealed stream was cut short');
    const decipher = createDecipheriv('aes-256-gcm', header.key, nonce(header.prefix, index, last));
    decipher.setAuthTag(body.subarray(body.length - TAG_SIZE));
    try {
      const plain = Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_SIZE)), decipher.final()]);
      index += 1;
      return plain;
    } catch {
      throw new SealedStreamError(
        'An attachment copy failed its integrity check (changed, cut short or not sealed for this message)',
      );
    }
  };

  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      try {
        const all = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
        let offset = 0;
        if (!header && all.length >= HEADER_SIZE) {
          if (all[0] !== HEADER_SIZE) throw new SealedStreamError('Not a sealed stream');
          header = {
            key: segmentKey(dataKey, all.subarray(1, 1 + KEY_SIZE), associatedData),
            prefix: Buffer.from(all.subarray(1 + KEY_SIZE, HEADER_SIZE)),
          };
          offset = HEADER_SIZE;
        }
        while (header && all.length - offset > cipherSize(index)) {
          const size = cipherSize(index);
          this.push(open(all.subarray(offset, offset + size), false));
          offset += size;
        }
        pending = Buffer.from(all.subarray(offset));
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback: TransformCallback) {
      try {
        this.push(open(pending, true));
        pending = Buffer.alloc(0);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
}
