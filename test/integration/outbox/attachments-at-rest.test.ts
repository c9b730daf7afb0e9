/**
 * Issue 13 item 6: attachment copies wait in the outbox encrypted with the data key, like
 * bodies, and are decrypted as a stream while sending. A megabyte of random content is looked
 * for in every file of the data directory (staging folders included, scanned while the message
 * is being accepted and while it waits); then the message goes out and arrives byte for byte.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startLiveMail } from '../../fakes/live-mail-service';
import { createSandboxTokenSource, type SandboxTokenSource } from '../../fakes/sandbox-token-source';
import { startSandbox, type Sandbox } from '../../support/sandbox';

const USER = 'demo@quicksend.test';
let sandbox: Sandbox;
let tokens: SandboxTokenSource;

beforeAll(async () => {
  sandbox = await startSandbox({ users: [{ email: USER }] });
  tokens = await createSandboxTokenSource(sandbox);
  await tokens.signIn('acc-1', USER);
}, 20_000);
afterAll(async () => sandbox?.stop(), 10_000);

/** Every file under `dir`, dot folders included. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(entry.parentPath, entry.name);
    return entry.isDirectory() ? filesUnder(full) : entry.isFile() ? [full] : [];
  });
}

/** Files of `dir` holding any of `samples` (32-byte pieces of the secret content). */
function leaks(dir: string, samples: Buffer[]): string[] {
  return filesUnder(dir).filter((file) => {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      return false; // renamed away between listing and reading
    }
    return samples.some((sample) => bytes.includes(sample));
  });
}

test('a waiting attachment copy is not in plain text anywhere in the data directory, and arrives intact', async () => {
  const mail = await startLiveMail(sandbox, tokens, 'acc-1', USER, {}, 60_000); // waits out a long undo delay
  try {
    const content = randomBytes(1_500_000);
    const samples = Array.from({ length: 40 }, (_, i) => content.subarray(i * 37_000, i * 37_000 + 32));
    const source = path.join(mkdtempSync(path.join(os.tmpdir(), 'qs-at-rest-')), 'secret.bin');
    writeFileSync(source, content);
    const fileId = mail.files.register(source);

    // Watch the data directory while the message is being accepted (the staging folder).
    let accepting = true;
    const seen = new Set<string>();
    const watching = (async () => {
      while (accepting) {
        for (const leak of leaks(mail.storage.dataDir, samples)) seen.add(leak);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    })();
    const accepted = await mail.service.send({
      accountId: 'acc-1',
      to: ['friend@example.com'],
      subject: 'At rest',
      text: 'See attached.',
      attachments: [{ fileId }],
    });
    accepting = false;
    await watching;

    expect([...seen]).toEqual([]);
    expect(leaks(mail.storage.dataDir, samples)).toEqual([]);
    const copies = filesUnder(mail.storage.dataDir).filter((f) => /att-\d+$/.test(f));
    expect(copies).toHaveLength(1);
    expect(statSync(copies[0]!).mode & 0o777).toBe(0o600);

    await mail.service.retryNow(accepted.id);
    const [message] = await sandbox.smtp.waitForMessages(1, 10_000);
    const parsed = await simpleParser(await sandbox.smtp.read(message!.id));
    expect(parsed.attachments).toHaveLength(1);
    expect(createHash('sha256').update(parsed.attachments[0]!.content).digest('hex')).toBe(
      createHash('sha256').update(content).digest('hex'),
    );
  } finally {
    await mail.service.stop();
  }
});
