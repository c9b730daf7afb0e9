/**
 * Runs inside its own mount namespace with the data directory on a tiny tmpfs (see
 * test/integration/hardening/full-disk.test.ts). Fills the disk, tries to queue a message,
 * frees the space, queues again and waits for delivery; prints one JSON line of outcomes.
 */
import { closeSync, openSync, readdirSync, rmSync, writeSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import type { Account } from '../../../electron/ipc/contract';
import { startAppHost } from '../app-host';
import { completeLogin } from '../sandbox/browser-login';

const dataDir = process.argv[2]!;
const app = await startAppHost({
  dataDir,
  browser: {
    open: async (url) => void completeLogin(url, 'demo@quicksend.test', { visitCallback: true }).catch(() => {}),
  },
});
const sender = { frameUrl: `${app.host.origin}/`, isMainFrame: true };
const call = (channel: string, payload: unknown) => app.core.router.handle(channel, payload, sender);
const out: Record<string, unknown> = {};
try {
  await call('settings:set', { undoDelaySeconds: 0 });
  const added = (await call('accounts:add', { providerId: 'sandbox' })) as { ok: true; value: Account };
  const attachment = path.join(os.tmpdir(), `qs-full-disk-${process.pid}.bin`);
  writeFileSync(attachment, Buffer.alloc(256 * 1024, 7));
  const [given] = await app.core.files.give([attachment]);
  const message = {
    accountId: added.value.id,
    to: ['ann@example.com'],
    subject: 'Through a full disk',
    text: 'body',
    attachments: [{ fileId: given!.fileId }],
  };

  // Fill every byte the tmpfs has left.
  const filler = path.join(dataDir, 'filler.bin');
  const fd = openSync(filler, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch {
    // ENOSPC: full.
  }
  try {
    for (;;) writeSync(fd, chunk, 0, 1);
  } catch {
    // Every last byte.
  }
  closeSync(fd);

  out.full = await call('mail:send', message);
  out.outboxAfterFull = readdirSync(path.join(dataDir, 'outbox'));
  out.listAfterFull = await call('outbox:list', {});
  rmSync(filler);
  out.afterSpace = await call('mail:send', message);
  await app.sandbox.smtp.waitForMessages(1, 15_000);
  out.delivered = app.sandbox.smtp.messages().length;
  // Then a read-only data folder (remounted in our own mount namespace).
  out.remount = spawnSync('mount', ['-o', 'remount,ro', dataDir]).status;
  out.readOnly = await call('mail:send', message);
  rmSync(attachment);
} finally {
  await app.stop();
}
process.stdout.write(`RESULT ${JSON.stringify(out)}\n`);
