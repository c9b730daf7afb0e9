/**
 * Scenario c: send, then Undo. Nothing is delivered, even once the undo delay has passed, and
 * the draft (recipients, subject, text, attachment) is back in the composer.
 */
import { afterEach, expect, test } from 'vitest';
import {
  addSandboxAccount,
  compose,
  dropFiles,
  go,
  onlyItem,
  openSandboxWorld,
  screenshot,
  type SandboxWorld,
} from '../support/e2e/sandbox-world';

let world: SandboxWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

test('Undo takes the message back: nothing is delivered and the draft returns to the composer', async () => {
  world = await openSandboxWorld({ undoDelaySeconds: 3 });
  const { page, app } = world;
  await addSandboxAccount(world, 'demo@quicksend.test');

  await compose(page, { to: ['carol@example.com'], subject: 'Second thoughts', text: 'On reflection, maybe not.' });
  await dropFiles(page, [{ name: 'notes.txt', type: 'text/plain', base64: Buffer.from('keep me').toString('base64') }]);
  await page.getByRole('button', { name: 'Remove attachment notes.txt' }).waitFor({ timeout: 10_000 });

  const queued = world.outbox.waitFor((p) => onlyItem(p)?.subject === 'Second thoughts');
  await page.getByRole('button', { name: /^Send/ }).click();
  const item = onlyItem(await queued)!;
  expect(item.state).toBe('waiting');
  await page.getByText(/Sending in \d+ s/).waitFor();

  const emptied = world.outbox.waitFor((p) => p.items.length === 0);
  await page.getByRole('button', { name: 'Undo' }).click();
  await emptied;

  // The draft is back, nothing retyped.
  await page.getByRole('button', { name: 'Remove carol@example.com' }).waitFor();
  expect(await page.getByRole('textbox', { name: 'Subject' }).inputValue()).toBe('Second thoughts');
  expect(await page.getByRole('textbox', { name: 'Message' }).inputValue()).toBe('On reflection, maybe not.');
  await page.getByRole('button', { name: 'Remove attachment notes.txt' }).waitFor();
  expect(await page.getByTestId('send-status').count()).toBe(0);
  await screenshot(page, 'c-draft-restored');

  // Proof that the undo delay has passed without a sleep: a later message, queued with the same
  // delay after the cancelled one was due, is delivered; it must be the only one.
  const accountId = ((await world.call('accounts:list', {})) as Array<{ id: string }>)[0]!.id;
  const later = (await world.call('mail:send', {
    accountId,
    to: ['carol@example.com'],
    subject: 'Canary',
    text: 'x',
  })) as { sendAt: string };
  expect(Date.parse(later.sendAt)).toBeGreaterThan(Date.parse(item.nextAttemptAt!));
  await app.sandbox.smtp.waitForMessages(1, 15_000);
  const delivered = app.sandbox.smtp.messages();
  expect(delivered).toHaveLength(1);
  expect(app.sandbox.smtp.stats().dataStarted).toBe(1);
  const raw = (await app.sandbox.smtp.read(delivered[0]!.id)).toString('utf8');
  expect(raw).toMatch(/^Subject: Canary\r?$/m);
  expect(raw).not.toContain('Second thoughts');

  await go(page, 'Outbox');
  await page.getByRole('list', { name: 'Sent' }).getByText('Canary').waitFor({ timeout: 10_000 });
  // History records the taken-back message as cancelled, never as sent.
  const cancelled = page
    .getByRole('list', { name: 'Sent' })
    .getByRole('listitem')
    .filter({ hasText: 'Second thoughts' });
  expect(await cancelled.textContent()).toContain('Cancelled to carol@example.com');
  await screenshot(page, 'c-outbox-history');
  expect(world.problems).toEqual([]);
}, 60_000);
