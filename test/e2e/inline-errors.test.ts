/**
 * Scenario f: an invalid address, and then a dropped attachment over the provider's limit
 * (the sandbox allows 25 MB once encoded, like Gmail), each show an inline error at the field
 * and nothing is queued or sent. Removing the cause lets the same message go out.
 */
import { mkdtempSync } from 'node:fs';
import { truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import {
  addSandboxAccount,
  compose,
  dropFiles,
  go,
  openSandboxWorld,
  screenshot,
  type SandboxWorld,
} from '../support/e2e/sandbox-world';

let world: SandboxWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

test('an invalid address and an attachment over the provider limit show inline errors and queue nothing', async () => {
  world = await openSandboxWorld();
  const { page, app } = world;
  await addSandboxAccount(world, 'demo@quicksend.test');
  const outboxEvents: unknown[] = [];
  app.core.events.on('outbox:changed', (p) => void outboxEvents.push(p));
  const nothingQueued = async () => {
    expect(await world!.call('outbox:list', {})).toEqual({ items: [], paused: false, revision: 0 });
    expect(outboxEvents).toEqual([]);
    expect(app.sandbox.smtp.stats().connections).toBe(0);
  };
  const send = page.getByRole('button', { name: /^Send/ });
  const to = page.getByRole('textbox', { name: 'To' });

  // 1. An address that is not one.
  await compose(page, { to: ['frank@example.com', 'not-an-address'], subject: 'Limits', text: 'Checking the rules.' });
  await send.click();
  const toError = page.getByText('“not-an-address” is not an email address.');
  await toError.waitFor();
  expect(await to.getAttribute('aria-invalid')).toBe('true');
  expect(await to.getAttribute('aria-describedby')).toBe(await toError.getAttribute('id'));
  await screenshot(page, 'f-invalid-address');
  await nothingQueued();

  // 2. A real 26 MB browser file dropped on the composer: over the limit once encoded.
  await page.getByRole('button', { name: 'Remove not-an-address' }).click();
  await dropFiles(page, [{ name: 'video.mov', type: 'video/quicktime', zeroBytes: 26 * 1024 * 1024 }]);
  await page.getByRole('button', { name: 'Remove attachment video.mov' }).waitFor({ timeout: 20_000 });
  const sizeError = page
    .getByRole('alert')
    .filter({ hasText: /^Too large to send: about .* once encoded, and this account allows 25 MB\./ });
  await sizeError.waitFor();
  await send.click();
  await sizeError.waitFor();
  expect(await toError.count()).toBe(0);
  await screenshot(page, 'f-attachment-too-large');
  await go(page, 'Outbox');
  await page.getByTestId('outbox-empty').waitFor();
  await nothingQueued();

  // The core does not trust the renderer: the same send through the router is refused too.
  const sparse = path.join(mkdtempSync(path.join(os.tmpdir(), 'quicksend-e2e-big-')), 'video.mov');
  await writeFile(sparse, '');
  await truncate(sparse, 26 * 1024 * 1024); // sparse: no 26 MB written to disk
  const accountId = ((await world.call('accounts:list', {})) as Array<{ id: string }>)[0]!.id;
  const [given] = await app.core.files.give([sparse]);
  const direct = await app.core.router.handle(
    'mail:send',
    { accountId, to: ['frank@example.com'], subject: 'Limits', text: 'x', attachments: [{ fileId: given!.fileId }] },
    { frameUrl: `${app.host.origin}/`, isMainFrame: true },
  );
  expect(direct).toMatchObject({ ok: false, error: { code: 'mail.message_too_large' } });
  await nothingQueued();

  // Control: without the oversized file the very same message is accepted and delivered.
  await go(page, 'Quick send');
  await page.getByRole('button', { name: 'Remove attachment video.mov' }).click();
  await send.click();
  const [received] = await app.sandbox.smtp.waitForMessages(1, 15_000);
  expect(received!.to).toEqual(['frank@example.com']);
  expect(world.problems).toEqual([]);
}, 60_000);
