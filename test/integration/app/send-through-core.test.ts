/**
 * The wired core end to end, without a browser: sign in at the sandbox provider through
 * `accounts:add`, send through `mail:send`, and find the message in the sandbox mailbox.
 */
import { afterEach, expect, test } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import type { Account } from '../../../electron/ipc/contract';
import { startAppHost, type AppHost } from '../../support/app-host';
import { completeLogin } from '../../support/sandbox/browser-login';

let app: AppHost | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

const SENDER = () => ({ frameUrl: `${app!.host.origin}/`, isMainFrame: true });

test('sign in, send, delivered over STARTTLS + XOAUTH2', async () => {
  app = await startAppHost({
    browser: {
      open: async (url) => void completeLogin(url, 'demo@quicksend.test', { visitCallback: true }).catch(() => {}),
    },
  });
  await app.core.router.handle('settings:set', { undoDelaySeconds: 0 }, SENDER());
  const added = await app.core.router.handle('accounts:add', { providerId: 'sandbox' }, SENDER());
  expect(added).toMatchObject({ ok: true, value: { address: 'demo@quicksend.test', health: 'ready' } });
  const accountId = (added as { value: Account }).value.id;

  const sent = await app.core.router.handle(
    'mail:send',
    { accountId, to: ['Ann <ann@example.com>'], subject: 'Grüße aus Quicksend', text: 'Hello from the sandbox.' },
    SENDER(),
  );
  expect(sent).toMatchObject({ ok: true, value: { id: expect.any(String) } });
  const [message] = await app.sandbox.smtp.waitForMessages(1, 10_000);
  const parsed = await simpleParser(await app.sandbox.smtp.read(message!.id));
  expect(parsed.subject).toBe('Grüße aus Quicksend');
  expect(parsed.text?.trim()).toBe('Hello from the sandbox.');
  expect(parsed.from?.text).toContain('demo@quicksend.test');
});

test('no line over 998 octets reaches the server, for the longest values the contract accepts', async () => {
  app = await startAppHost({
    browser: {
      open: async (url) => void completeLogin(url, 'demo@quicksend.test', { visitCallback: true }).catch(() => {}),
    },
  });
  await app.core.router.handle('settings:set', { undoDelaySeconds: 0 }, SENDER());
  const added = await app.core.router.handle('accounts:add', { providerId: 'sandbox' }, SENDER());
  const accountId = (added as { value: Account }).value.id;
  // The longest display name accounts:update takes, without a space to fold at.
  expect(
    await app.core.router.handle('accounts:update', { accountId, displayName: 'D'.repeat(200) }, SENDER()),
  ).toMatchObject({ ok: true });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'quicksend-lines-'));
  const file = path.join(dir, `${'f'.repeat(251)}.txt`); // 255 bytes, the longest file name
  writeFileSync(file, 'attached');
  // 64-character local part and a 255-character domain: the longest address there is.
  const domain = `${['a', 'b', 'c'].map((c) => c.repeat(63)).join('.')}.${'d'.repeat(61)}`;
  const longAddress = `${'l'.repeat(64)}@${domain}`;
  const subject = 's'.repeat(998); // the contract's limit, one word: nothing to fold at
  const [given] = await app.core.files.give([file]);
  const sent = await app.core.router.handle(
    'mail:send',
    {
      accountId,
      to: [longAddress],
      cc: [`${'N'.repeat(300)} <ann@example.org>`],
      subject,
      text: 'x'.repeat(5000),
      attachments: [{ fileId: given!.fileId }],
    },
    SENDER(),
  );
  expect(sent).toMatchObject({ ok: true });
  const [message] = await app.sandbox.smtp.waitForMessages(1, 10_000);
  const raw = await app.sandbox.smtp.read(message!.id);
  const longest = Math.max(
    ...raw
      .toString('latin1')
      .split('\r\n')
      .map((line) => line.length),
  );
  expect(longest).toBeLessThanOrEqual(998);
  // And it still means the same to a reader.
  const parsed = await simpleParser(raw);
  expect(parsed.subject).toBe(subject);
  expect(parsed.attachments[0]?.filename).toBe(path.basename(file));
  expect(parsed.from?.value[0]?.name).toBe('D'.repeat(200));
  rmSync(dir, { recursive: true, force: true });
});
