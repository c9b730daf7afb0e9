import { afterEach, expect, test } from 'vitest';
import { openWorld, type World } from '../support/e2e/harness';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

test('a newcomer sees the empty accounts state in the real renderer, served under the strict CSP', async () => {
  world = await openWorld();
  const { page } = world;
  const violations: string[] = [];
  page.on('console', (m) => m.type() === 'error' && violations.push(m.text()));
  const empty = page.getByTestId('accounts-empty');
  await empty.waitFor({ state: 'visible', timeout: 10_000 });
  expect(await empty.textContent()).toContain('No accounts yet');
  expect(await page.getByRole('heading', { name: 'Accounts' }).isVisible()).toBe(true);
  // The version came from the core through app:info, proving the bridge round trip.
  expect(await page.getByText('v0.0.0-e2e').isVisible()).toBe(true);
  expect(violations).toEqual([]);
});

test('the web host refuses a browser without the per-run secret', async () => {
  world = await openWorld();
  const other = await world.browser.newContext();
  const page = await other.newPage();
  const response = await page.goto(world.host.origin + '/');
  expect(response?.status()).toBe(403);
  const ipc = await page.request.post(world.host.origin + '/ipc/app:info', { data: {} });
  expect(ipc.status()).toBe(403);
  await other.close();
});
