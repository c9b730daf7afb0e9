import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { callAsUnprivileged, sharedTempDir } from '../../../support/unprivileged';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectAttachments } from '../../../../electron/mail/attachments';
import { FieldError } from '../../../../electron/mail/message';
import { encodedMessageSize } from '../../../../electron/mail/message-rules';
import { tempDataDir } from '../../../support/node-ports';

const dir = tempDataDir('quicksend-attach-');
const file = (name: string, bytes: number) => {
  const p = path.join(dir, name);
  writeFileSync(p, Buffer.alloc(bytes, 7));
  return p;
};
const limits = { maxCount: 3, limitBytes: 1_000_000 };
let socketServer: Server;
const socketPath = path.join(dir, 'a.sock');

beforeAll(async () => {
  socketServer = createServer();
  await new Promise<void>((resolve) => socketServer.listen(socketPath, resolve));
});
afterAll(async () => {
  await new Promise<void>((resolve) => socketServer.close(() => resolve()));
});

const text = 'Ten bytes.';

async function refusal(paths: string[], body = text, over = limits): Promise<FieldError> {
  const error: unknown = await inspectAttachments(paths, body, over).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FieldError);
  return error as FieldError;
}

describe('inspectAttachments', () => {
  it('accepts regular files (also through a symlink) and reports name and size', async () => {
    const a = file('report.pdf', 1234);
    const link = path.join(dir, 'link-to-report');
    symlinkSync(a, link);
    expect(await inspectAttachments([a, link], text, limits)).toEqual([
      { path: a, name: 'report.pdf', sizeBytes: 1234 },
      { path: link, name: 'link-to-report', sizeBytes: 1234 },
    ]);
  });

  it('refuses a missing file, a folder, a socket, a FIFO and a device, naming the entry', async () => {
    const ok = file('ok.txt', 1);
    const folder = path.join(dir, 'folder');
    mkdirSync(folder);
    const fifo = path.join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    expect((await refusal([ok, path.join(dir, 'gone.txt')])).field).toBe('attachments[1]');
    expect((await refusal([path.join(dir, 'gone.txt')])).code).toBe('mail.attachment_missing');
    expect((await refusal([folder])).code).toBe('mail.attachment_not_a_file');
    expect((await refusal([socketPath])).code).toBe('mail.attachment_not_a_file'); // ENXIO on open
    expect((await refusal([fifo])).code).toBe('mail.attachment_not_a_file');
    expect((await refusal(['/dev/zero'])).code).toBe('mail.attachment_not_a_file');
  }, 10_000);

  // root reads any file whatever its mode, so the check runs as an unprivileged user.
  it('refuses a file that cannot be read', async () => {
    const secret = path.join(sharedTempDir(), 'secret.txt');
    writeFileSync(secret, 'x'.repeat(10));
    execFileSync('chmod', ['000', secret]);
    const outcome = await callAsUnprivileged('electron/mail/attachments.ts', 'inspectAttachments', [
      [secret],
      text,
      limits,
    ]);
    expect(outcome.error?.code).toBe('mail.attachment_unreadable');
  });

  it('refuses more files than the count limit', async () => {
    const paths = ['a', 'b', 'c', 'd'].map((n) => file(`${n}.txt`, 1));
    expect((await refusal(paths)).code).toBe('mail.too_many_attachments');
  });

  it('checks the encoded size, not the raw size, against the account limit', async () => {
    // 700 kB raw fits 1 MB, but base64 makes it about 960 kB; with a 100 kB text it is over.
    const big = file('big.bin', 700_000);
    const longText = 'x'.repeat(100_000);
    expect(encodedMessageSize('', [700_000])).toBeLessThan(limits.limitBytes);
    expect(encodedMessageSize(longText, [700_000])).toBeGreaterThan(limits.limitBytes);
    await expect(inspectAttachments([big], '', limits)).resolves.toHaveLength(1);
    const error = await refusal([big], longText);
    expect(error.code).toBe('mail.message_too_large');
    // Sizes read as in the composer's meter: binary units, so 1,000,000 bytes are 977 KB.
    expect(error.message).toBe(
      "This message would be about 1 MB once encoded for sending; this account's provider accepts at most 977 KB.",
    );
  });
});
