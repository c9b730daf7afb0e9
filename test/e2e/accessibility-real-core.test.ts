/**
 * Scenario g against the real core: axe-core reports no serious or critical violations on
 * each view and state a person meets with a sandbox account, in light and dark. (The fake-
 * bridge pass in accessibility.test.ts covers states the sandbox cannot easily produce.)
 */
import { afterEach, expect, test } from 'vitest';
import {
  addSandboxAccount,
  compose,
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

test('axe-core: no serious or critical violations on any view of the real app, light and dark', async () => {
  world = await openSandboxWorld({ undoDelaySeconds: 10 });
  const { page, app } = world;
  const found: string[] = [];
  const check = async (where: string) => {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      found.push(...(await seriousViolations(page, `${where} (${scheme})`)));
      await screenshot(page, `g-${where.replaceAll(' ', '-')}-${scheme}`);
    }
    await page.emulateMedia({ colorScheme: 'light' });
  };

  await check('compose no account');
  await go(page, 'Accounts');
  await page.getByTestId('accounts-empty').waitFor();
  await check('accounts empty');
  await page.getByRole('button', { name: 'Add account' }).click();
  await page.getByRole('radio', { name: /Sandbox/ }).check();
  await check('add account pick');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { name: /^Sign in to Sandbox/ }).waitFor();
  await check('add account consent');
  // The rest of the newcomer's path, checked once the account is there.
  await page.getByRole('button', { name: 'Back' }).click();
  await page.getByRole('button', { name: 'Close' }).click();
  await addSandboxAccount(world, 'demo@quicksend.test');
  await check('accounts ready');

  await compose(page, { to: ['not-an-address'], subject: 'Checks', text: 'Body' });
  await page.getByRole('button', { name: /^Send/ }).click();
  await page.getByText('“not-an-address” is not an email address.').waitFor();
  await check('compose with errors');
  await page.getByRole('button', { name: 'Remove not-an-address' }).click();
  const to = page.getByRole('textbox', { name: 'To' });
  await to.fill('gina@example.com');
  await to.press('Enter');

  // A server outage: the undo toast, then a waiting message with its next try.
  app.sandbox.smtp.setMode('refuse');
  const retrying = world.outbox.waitFor((p) => onlyItem(p)?.state === 'retrying');
  await page.getByRole('button', { name: /^Send/ }).click();
  await page.getByRole('button', { name: 'Undo' }).waitFor();
  await check('compose undo toast');
  await go(page, 'Outbox');
  await page.getByRole('button', { name: 'Send now: Checks' }).click();
  await retrying;
  await page.getByRole('list', { name: 'Waiting' }).getByText('Will retry').waitFor();
  await check('outbox waiting');
  app.sandbox.smtp.setMode('accept');
  await app.sandbox.smtp.waitForMessages(1, 15_000);
  await page.getByRole('list', { name: 'Sent' }).getByText('Checks').waitFor({ timeout: 10_000 });
  await check('outbox history');

  await go(page, 'Settings');
  await page.getByLabel('Undo delay').waitFor();
  await check('settings');

  expect(found).toEqual([]);
  expect(world.problems).toEqual([]);
}, 90_000);
