/**
 * A recipient refused at RCPT TO next to an accepted one (Postfix's `550 5.1.1 User unknown`):
 * the accepted one gets exactly one copy, history names the refused address with the server's
 * reply, and "Write again" in history puts the original message (subject, text, attachment)
 * back in the composer for just that recipient; fixing the typo and sending delivers it there.
 */
import { simpleParser } from 'mailparser';
import { afterEach, expect, test } from 'vitest';
import {
  addSandboxAccount,
  compose,
  dropFiles,
  go,
  onlyItem,
  openSandboxWorld,
  screenshot,
  seriousViolations,
  type SandboxWorld,
} from '../support/e2e/sandbox-world';

let world: SandboxWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

test('refused recipient: named in history with the reply, written again from history in one step, delivered once fixed', async () => {
  world = await openSandboxWorld({ undoDelaySeconds: 0 });
  const { page, app } = world;
  await addSandboxAccount(world, 'demo@quicksend.test');
  app.sandbox.smtp.refuseRecipient('bob@exmaple.org');
  const reply = '550 5.1.1 <bob@exmaple.org>: Recipient address rejected: User unknown in local recipient table';

  await compose(page, {
    to: ['ada@example.org', 'bob@exmaple.org'],
    subject: 'Minutes',
    text: 'The minutes are attached.',
  });
  await dropFiles(page, [
    { name: 'minutes.txt', type: 'text/plain', base64: Buffer.from('item 1: typos').toString('base64') },
  ]);
  await page.getByRole('button', { name: 'Remove attachment minutes.txt' }).waitFor({ timeout: 10_000 });
  const refused = world.outbox.waitFor((p) => onlyItem(p)?.state === 'failed');
  await page.getByRole('button', { name: /^Send/ }).click();
  const item = onlyItem(await refused)!;
  expect(item).toMatchObject({
    to: ['bob@exmaple.org'],
    deliveredTo: ['ada@example.org'],
    refused: [{ address: 'bob@exmaple.org', reply }],
  });
  expect(app.sandbox.smtp.messages().map((m) => m.to)).toEqual([['ada@example.org']]);
  await page
    .getByTestId('send-status')
    .getByText(/^Sent to 1 of 2 recipients\. Not delivered to bob@exmaple\.org/)
    .waitFor({ timeout: 10_000 });

  await go(page, 'Outbox');
  const sent = page.getByRole('list', { name: 'Sent', exact: true });
  const row = sent.getByRole('listitem').filter({ hasText: 'Minutes' }).first();
  await row.getByText('Sent to 1 of 2 recipients from').waitFor({ timeout: 10_000 });
  await row.getByText(`Not delivered to bob@exmaple.org: the server said “${reply}”.`).waitFor();
  await screenshot(page, 'refused-history');
  expect(await seriousViolations(page, 'outbox with a refused recipient')).toEqual([]);

  // One step: history -> composer with the original message, addressed to bob only.
  const taken = world.outbox.waitFor((p) => p.items.length === 0);
  await row.getByRole('button', { name: 'Write again to bob@exmaple.org: Minutes' }).click();
  await taken;
  await page.getByRole('button', { name: 'Remove bob@exmaple.org' }).waitFor({ timeout: 10_000 });
  expect(await page.getByRole('textbox', { name: 'Subject' }).inputValue()).toBe('Minutes');
  expect(await page.getByRole('textbox', { name: 'Message' }).inputValue()).toBe('The minutes are attached.');
  await page.getByRole('button', { name: 'Remove attachment minutes.txt' }).waitFor();
  expect(await page.getByRole('list', { name: 'To recipients' }).getByRole('listitem').count()).toBe(1);
  await screenshot(page, 'refused-write-again');

  // Fix the typo and send.
  await page.getByRole('button', { name: 'Remove bob@exmaple.org' }).click();
  const to = page.getByRole('textbox', { name: 'To' });
  await to.fill('bob@example.org');
  await to.press('Enter');
  await page.getByRole('button', { name: 'Remove bob@example.org' }).waitFor();
  await page.getByRole('button', { name: /^Send/ }).click();
  const [, second] = await app.sandbox.smtp.waitForMessages(2, 15_000);
  expect(second!.to).toEqual(['bob@example.org']);
  const parsed = await simpleParser(await app.sandbox.smtp.read(second!.id));
  expect(parsed.subject).toBe('Minutes');
  expect(parsed.text?.trim()).toBe('The minutes are attached.');
  expect(parsed.attachments.map((a) => [a.filename, a.content.toString()])).toEqual([['minutes.txt', 'item 1: typos']]);
  // Nobody got anything twice: ada one copy, bob (fixed) one copy.
  expect(
    app.sandbox.smtp
      .messages()
      .flatMap((m) => m.to)
      .sort(),
  ).toEqual(['ada@example.org', 'bob@example.org']);

  await go(page, 'Outbox');
  await page.getByTestId('outbox-empty').waitFor({ timeout: 10_000 });
  expect(await sent.getByRole('listitem').filter({ hasText: 'Minutes' }).count()).toBe(2);
  expect(world.problems).toEqual([]);
}, 90_000);
