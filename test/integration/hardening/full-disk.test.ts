/**
 * A full disk while queueing: the send is refused in plain words, nothing half-written stays
 * in the outbox, and once space returns sending works. The data directory is a 4 MB tmpfs in
 * a private mount namespace (`unshare`), so nothing else on the machine fills up.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';

test('a full disk refuses the send cleanly, sending works when space returns, a read-only folder is explained', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'qs-tmpfs-'));
  const script = `mount -t tmpfs -o size=4m,mode=0700 tmpfs "$1" && exec "$2" --import tsx test/support/hardening/full-disk-child.ts "$1"`;
  const run = spawnSync('unshare', ['-rm', 'sh', '-c', script, 'sh', dataDir, process.execPath], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  const line = /RESULT (.*)/.exec(run.stdout ?? '')?.[1];
  if (!line) throw new Error(`the full-disk child did not finish (status ${run.status}): ${run.stderr?.slice(-2000)}`);
  const result = JSON.parse(line) as Record<string, unknown>;
  expect(result.full).toMatchObject({
    ok: false,
    error: {
      code: 'mail.disk_full',
      message: expect.stringMatching(/disk is full/),
      hint: expect.stringMatching(/Free some space/),
    },
  });
  // No staging folder, no half-copied attachment.
  expect(result.outboxAfterFull).toEqual([]);
  expect(result.listAfterFull).toMatchObject({ ok: true, value: { items: [] } });
  expect(result.afterSpace).toMatchObject({ ok: true });
  expect(result.delivered).toBe(1);
  expect(result.remount).toBe(0);
  expect(result.readOnly).toMatchObject({
    ok: false,
    error: { code: 'mail.storage_unwritable', hint: expect.stringMatching(/writable/) },
  });
}, 90_000);
