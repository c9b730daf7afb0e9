import { randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, test } from 'vitest';
import {
  createOpeningStream,
  createSealingStream,
  SEGMENT_SIZE,
  SealedStreamError,
} from '../../../../electron/vault/sealed-stream';

const KEY = randomBytes(32);
const AD = Buffer.from('outbox/abc/att-0');

/** Runs `input` through `transform` in chunks of `chunk` bytes; returns what came out (and the error). */
async function run(
  transform: NodeJS.ReadWriteStream,
  input: Buffer,
  chunk = 10_000,
): Promise<{ out: Buffer; error: unknown }> {
  const parts: Buffer[] = [];
  const chunks = function* () {
    for (let i = 0; i < input.length; i += chunk) yield input.subarray(i, i + chunk);
  };
  const sink = new Writable({
    write(data: Buffer, _e, cb) {
      parts.push(data);
      cb();
    },
  });
  const error = await pipeline(Readable.from(chunks()), transform, sink).then(
    () => undefined,
    (e: unknown) => e,
  );
  return { out: Buffer.concat(parts), error };
}

const seal = async (plain: Buffer, ad = AD, chunk?: number) => {
  const { out, error } = await run(createSealingStream(KEY, ad), plain, chunk);
  expect(error).toBeUndefined();
  return out;
};

describe('sealed streams (Tink AES-GCM-HKDF streaming format)', () => {
  const header = 1 + 32 + 7;
  const sizes = [
    0,
    1,
    SEGMENT_SIZE - 16 - header - 1,
    SEGMENT_SIZE - 16 - header,
    SEGMENT_SIZE - 16 - header + 1,
    3 * (SEGMENT_SIZE - 16) + 5,
    1_048_576 + 3,
  ];

  test.each(sizes)('%i bytes come back exactly, whatever the chunking', async (size) => {
    const plain = randomBytes(size);
    for (const chunk of [1_000, 65_536, 1_000_000]) {
      const sealed = await seal(plain, AD, chunk);
      expect(sealed.includes(plain.subarray(0, Math.min(64, size))) && size >= 16).toBe(false);
      const { out, error } = await run(createOpeningStream(KEY, AD), sealed, chunk === 1_000 ? 777 : chunk);
      expect(error).toBeUndefined();
      expect(out.equals(plain)).toBe(true);
    }
  });

  test('the same plaintext seals differently each time (fresh salt and nonce prefix)', async () => {
    const plain = Buffer.alloc(100, 7);
    expect((await seal(plain)).equals(await seal(plain))).toBe(false);
  });

  test('any flipped byte is refused, and nothing after the damage is released', async () => {
    const plain = randomBytes(3 * SEGMENT_SIZE);
    const sealed = await seal(plain);
    for (const at of [0, 5, 45, SEGMENT_SIZE - 1, SEGMENT_SIZE + 10, sealed.length - 1]) {
      const damaged = Buffer.from(sealed);
      damaged[at]! ^= 0x01;
      const { out, error } = await run(createOpeningStream(KEY, AD), damaged);
      expect(error, `byte ${at}`).toBeInstanceOf(SealedStreamError);
      // What came out before the error is a true prefix of the plaintext, segment by segment.
      expect(out.equals(plain.subarray(0, out.length))).toBe(true);
      expect(out.length).toBeLessThanOrEqual(Math.max(0, at - header));
    }
  });

  test('cut at a segment boundary, cut inside one, extended, or with segments swapped: refused', async () => {
    const plain = randomBytes(3 * SEGMENT_SIZE);
    const sealed = await seal(plain);
    const first = SEGMENT_SIZE; // header + first segment
    const cases = {
      'cut at a boundary': sealed.subarray(0, first + SEGMENT_SIZE),
      'cut inside a segment': sealed.subarray(0, sealed.length - 100),
      'only the header': sealed.subarray(0, header),
      empty: Buffer.alloc(0),
      extended: Buffer.concat([sealed, randomBytes(40)]),
      'segments swapped': Buffer.concat([
        sealed.subarray(0, first),
        sealed.subarray(first + SEGMENT_SIZE, first + 2 * SEGMENT_SIZE),
        sealed.subarray(first, first + SEGMENT_SIZE),
        sealed.subarray(first + 2 * SEGMENT_SIZE),
      ]),
      'a segment repeated': Buffer.concat([
        sealed.subarray(0, first + SEGMENT_SIZE),
        sealed.subarray(first, first + SEGMENT_SIZE),
        sealed.subarray(first + SEGMENT_SIZE),
      ]),
    };
    for (const [name, input] of Object.entries(cases)) {
      const { error } = await run(createOpeningStream(KEY, AD), input);
      expect(error, name).toBeInstanceOf(SealedStreamError);
    }
  });

  test('another key or another place (associated data) cannot open it', async () => {
    const sealed = await seal(Buffer.from('attachment bytes'));
    expect((await run(createOpeningStream(randomBytes(32), AD), sealed)).error).toBeInstanceOf(SealedStreamError);
    expect((await run(createOpeningStream(KEY, Buffer.from('outbox/other/att-0')), sealed)).error).toBeInstanceOf(
      SealedStreamError,
    );
  });

  test('a key of the wrong size is a bug, refused at once', () => {
    expect(() => createSealingStream(randomBytes(16), AD)).toThrow(/256-bit/);
  });
});
