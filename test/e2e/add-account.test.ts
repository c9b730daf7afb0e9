/**
 * Scenario a: a newcomer adds a sandbox account in the real UI, completes the provider's own
 * login page in the browser page the core opened, and sees the account ready.
 */
import { afterEach, expect, test } from 'vitest';
import { addSandboxAccount, go, screenshot, openSandboxWorld, type SandboxWorld } from '../support/e2e/sandbox-world';

let world: SandboxWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

test('a newcomer picks the sandbox provider, signs in on its login page and sees the account ready', async () => {
  world = await openSandboxWorld();
  const { page, app } = world;
  await go(page, 'Accounts');
  await page.getByTestId('accounts-empty').waitFor();
  await screenshot(page, 'a-accounts-empty');

  await addSandboxAccount(world, 'ada@quicksend.test', 'a');

  const card = page.getByRole('listitem').filter({ hasText: 'ada@quicksend.test' });
  await card.getByText('Ready', { exact: true }).waitFor();
  expect(await card.textContent()).toContain('Sandbox (local test provider)');
  await screenshot(page, 'a-accounts-ready');

  // One authorization-code exchange at the provider; the account is stored by the core.
  expect(app.sandbox.tokenRequests().authorizationCode).toBe(1);
  const accounts = (await world.call('accounts:list', {})) as Array<{ address: string; health: string }>;
  expect(accounts).toEqual([expect.objectContaining({ address: 'ada@quicksend.test', health: 'ready' })]);

  // The composer now sends from it.
  await go(page, 'Quick send');
  expect(await page.getByLabel('From').locator('option:checked').textContent()).toContain('ada@quicksend.test');
  expect(world.problems).toEqual([]);
}, 45_000);
