import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { createMessageStream, type MessageStreamOptions } from '../../../../electron/relay/message-stream';
import { RelayReply } from '../../../../electron/relay/relay-reply';

const base: MessageStreamOptions = {
  limitBytes: 10 * 1024 * 1024,
  edit: {
    now: new Date(Date.UTC(2026, 0, 1)),
    messageIdDomain: 'example.com',
    messageIdLocal: 'id1',
    defaultFrom: { address: 'ada@example.com', displayName: '' },
  },
  checkFrom: (from) =>
    from.every((a) => a.toLowerCase() === 'ada@example.com') ? null : new RelayReply(550, '5.7.1 not allowed'),
};

/** Runs `chunks` through a message stream; answers what came out (hash and head) or the error. */
async function run(chunks: Buffer[], options: Partial<MessageStreamOptions> = {}) {
  const stream = createMessageStream({ ...base, ...options });
  const hash = createHash('sha256');
  const out: Buffer[] = [];
  let kept = 0;
  const sink = new Writable({
    write(chunk: Buffer, _e, done) {
      hash.update(chunk);
      if (kept < 4096) out.push(chunk.subarray(0, 4096 - kept));
      kept += chunk.length;
      done();
    },
  });
  try {
    await pipeline(Readable.from(chunks), stream, sink);
    return {
      ok: true as const,
      sha256: hash.digest('hex'),
      start: Buffer.concat(out).toString('latin1'),
      bytes: kept,
      bytesIn: stream.bytesIn,
    };
  } catch (error) {
    return { ok: false as const, error: error as RelayReply, bytesIn: stream.bytesIn };
  }
}

describe('message stream', () => {
  test('the body passes untouched, chunk boundaries anywhere, while the header is edited', async () => {
    const head = 'From: ada@example.com\r\nBcc: hidden@example.org\r\nSubject: x\r\n\r\n';
    const body = Buffer.alloc(3 * 1024 * 1024 + 7);
    for (let i = 0; i < body.length; i++) body[i] = (i * 31 + (i >> 8)) & 0xff;
    const whole = Buffer.concat([Buffer.from(head), body]);
    for (const size of [1, 5, 64 * 1024]) {
      const chunks: Buffer[] = [];
      // One-byte chunks only over the header: the body in big pieces keeps the test quick.
      for (let i = 0; i < whole.length; i += i < 200 ? size : 256 * 1024)
        chunks.push(whole.subarray(i, Math.min(whole.length, i + (i < 200 ? size : 256 * 1024))));
      const result = await run(chunks);
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(
        result.start.startsWith(
          'From: ada@example.com\r\nSubject: x\r\nDate: Thu, 01 Jan 2026 00:00:00 +0000\r\nMessage-ID: <id1@example.com>\r\n\r\n',
        ),
      ).toBe(true);
      const editedHeadLength = result.start.indexOf('\r\n\r\n') + 4;
      const expected = createHash('sha256')
        .update(result.start.slice(0, editedHeadLength), 'latin1')
        .update(body)
        .digest('hex');
      expect(result.sha256).toBe(expected);
      expect(result.bytesIn).toBe(whole.length);
    }
  });

  test('a message over the account limit fails with 552 as soon as the limit is passed', async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const chunks = [Buffer.from('From: ada@example.com\r\n\r\n'), ...Array.from({ length: 40 }, () => chunk)];
    const result = await run(chunks, { limitBytes: 1024 * 1024 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.responseCode).toBe(552);
    expect(result.error.message).toContain('1 MB');
    // It stopped at the chunk that crossed the limit, not at the end of the message.
    expect(result.bytesIn).toBeLessThanOrEqual(1024 * 1024 + chunk.length + 64);
  });

  test('a From the credential may not use fails with 550 before the body is read', async () => {
    const chunks = [Buffer.from('From: mallory@example.net\r\nSubject: x\r\n\r\n'), Buffer.alloc(1024 * 1024, 0x62)];
    const result = await run(chunks);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.responseCode).toBe(550);
  });

  test('a header block longer than the limit without a blank line fails with 552 and holds no more', async () => {
    const line = Buffer.from(`X-Filler: ${'z'.repeat(990)}\r\n`);
    const result = await run(
      Array.from({ length: 200 }, () => line),
      { maxHeaderBytes: 64 * 1024 },
    );
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.responseCode).toBe(552);
      expect(result.bytesIn).toBeLessThan(64 * 1024 + 2 * line.length);
    }
  });

  test('a message that is all header is edited at its end', async () => {
    const result = await run([Buffer.from('From: ada@example.com\r\nSubject: only header\r\n')]);
    expect(result.ok && result.start).toBe(
      'From: ada@example.com\r\nSubject: only header\r\nDate: Thu, 01 Jan 2026 00:00:00 +0000\r\nMessage-ID: <id1@example.com>\r\n',
    );
  });
});
