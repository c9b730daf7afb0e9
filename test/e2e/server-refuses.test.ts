/**
 * Scenario e: the sandbox SMTP server refuses connections on its usual port. The message waits
 * with its next attempt shown in the Outbox view; once the server accepts again the message is
 * delivered by the retry schedule alone, without any click.
 */
import { simpleParser } from 'mailparser';
import { afterEach, expect, test } from 'vitest';
import {
  FAST_MAIL,
  addSandboxAccount,
  compose,
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

test('a refusing server: the message waits with its next try shown, then goes out by itself when the server recovers', async () => {
  // Retries every ~1.5 s, long enough to read the row between attempts.
  world = await openSandboxWorld({
    core: { mail: { ...FAST_MAIL, backoff: { baseMs: 2_000, capMs: 2_000, factor: 2, random: () => 0.5 } } },
  });
  const { page, app } = world;
  await addSandboxAccount(world, 'demo@quicksend.test');
  app.sandbox.smtp.setMode('refuse');
  const port = app.sandbox.smtp.port;

  const seen = world.outbox.seen; // every version of every item the events carried
  await compose(page, { to: ['eve@example.com'], subject: 'Through the outage', text: 'It waits, then it goes.' });
  const retrying = world.outbox.waitFor((p) => onlyItem(p)?.state === 'retrying' && (onlyItem(p)?.attempts ?? 0) >= 1);
  await page.getByRole('button', { name: /^Send/ }).click();
  const item = onlyItem(await retrying)!;
  expect(item.lastError).toBeTruthy();
  expect(item.nextAttemptAt).toBeTruthy();
  await page
    .getByTestId('send-status')
    .getByText(/^Waiting to send/)
    .waitFor({ timeout: 10_000 });
  await screenshot(page, 'e-compose-waiting');

  await go(page, 'Outbox');
  const row = page
    .getByRole('list', { name: 'Waiting' })
    .getByRole('listitem')
    .filter({ hasText: 'Through the outage' });
  await row
    .filter({ hasText: /Next try (now|in \d+ s) \(\d{1,2}:\d{2}[^)]*\) · \d+ attempts? so far/ })
    .waitFor({ timeout: 10_000 });
  await row.getByText('Will retry', { exact: true }).waitFor();
  await screenshot(page, 'e-outbox-next-try');
  expect(app.sandbox.smtp.stats().accepted).toBe(0);
  const refusedConnections = app.sandbox.smtp.stats().connections;
  expect(refusedConnections).toBeGreaterThanOrEqual(1);

  // The server comes back on the same port; nobody clicks anything.
  app.sandbox.smtp.setMode('accept');
  expect(app.sandbox.smtp.port).toBe(port);
  const [received] = await app.sandbox.smtp.waitForMessages(1, 15_000);
  const parsed = await simpleParser(await app.sandbox.smtp.read(received!.id));
  expect(parsed.subject).toBe('Through the outage');
  expect(parsed.text?.trim()).toBe('It waits, then it goes.');
  expect(Math.max(...seen.map((i) => i.attempts))).toBeGreaterThanOrEqual(1);

  await page.getByTestId('outbox-empty').waitFor({ timeout: 10_000 });
  await page.getByRole('list', { name: 'Sent' }).getByText('Through the outage').waitFor({ timeout: 10_000 });
  await screenshot(page, 'e-outbox-delivered');
  expect(app.sandbox.smtp.messages()).toHaveLength(1);
  expect(world.problems).toEqual([]);
}, 60_000);
