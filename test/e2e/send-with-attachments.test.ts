/**
 * Scenario b: compose, drop two browser files (one over 5 MB), send; after the undo delay the
 * sandbox mailbox holds the message with both attachments byte-identical, and the Outbox
 * view's history shows it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { simpleParser } from 'mailparser';
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

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

test('two dropped files, one over 5 MB, arrive byte-identical after the undo delay and show in history', async () => {
  world = await openSandboxWorld({ undoDelaySeconds: 2 });
  const { page, app } = world;
  await addSandboxAccount(world, 'demo@quicksend.test');

  const big = randomBytes(6 * 1024 * 1024 + 123);
  const small = Buffer.from('Quarterly figures, plain text.\nZeile zwei: Grüße.\n', 'utf8');
  await compose(page, {
    to: ['ann@example.com', 'bob@example.org'],
    subject: 'Figures and photo',
    text: 'Both files attached.',
  });
  await dropFiles(page, [
    { name: 'photo.bin', type: 'application/octet-stream', base64: big.toString('base64') },
    { name: 'figures.txt', type: 'text/plain', base64: small.toString('base64') },
  ]);
  await page.getByRole('button', { name: 'Remove attachment photo.bin' }).waitFor({ timeout: 15_000 });
  await page.getByRole('button', { name: 'Remove attachment figures.txt' }).waitFor();
  await screenshot(page, 'b-compose-with-attachments');

  await page.getByRole('button', { name: /^Send/ }).click();
  await page.getByText(/Sending in \d+ s/).waitFor();
  await screenshot(page, 'b-undo-toast');
  // Still inside the undo window: nothing has reached the server.
  expect(app.sandbox.smtp.stats().dataStarted).toBe(0);

  const [received] = await app.sandbox.smtp.waitForMessages(1, 15_000);
  expect(received!.to.sort()).toEqual(['ann@example.com', 'bob@example.org']);
  expect(received!.user).toBe('demo@quicksend.test');
  const parsed = await simpleParser(await app.sandbox.smtp.read(received!.id));
  expect(parsed.subject).toBe('Figures and photo');
  expect(parsed.text?.trim()).toBe('Both files attached.');
  const attachments = Object.fromEntries(parsed.attachments.map((a) => [a.filename, sha256(a.content)]));
  expect(attachments).toEqual({ 'photo.bin': sha256(big), 'figures.txt': sha256(small) });

  await page.getByTestId('send-status').getByText('Sent.', { exact: true }).waitFor({ timeout: 10_000 });
  await go(page, 'Outbox');
  const sent = page.getByRole('list', { name: 'Sent' }).getByRole('listitem').filter({ hasText: 'Figures and photo' });
  await sent.waitFor({ timeout: 10_000 });
  expect(await sent.textContent()).toMatch(/Sent to ann@example\.com, bob@example\.org from .*demo@quicksend\.test/);
  await page.getByTestId('outbox-empty').waitFor();
  await screenshot(page, 'b-outbox-history');
  expect(app.sandbox.smtp.messages()).toHaveLength(1);
  expect(world.problems).toEqual([]);
}, 60_000);
