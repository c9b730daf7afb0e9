import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, expect, test } from 'vitest';
import { openWorld, type World } from '../support/e2e/harness';

const SCREENSHOTS = path.resolve('test-results/screenshots');

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** Collects console errors, page errors and CSP violations (reported by the page itself). */
async function watchForProblems(page: Page): Promise<() => Promise<string[]>> {
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  // Init scripts run through the DevTools protocol, outside the page's CSP.
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`),
    );
  });
  // Every CSP violation is a failure (the bridge no longer bundles zod, whose eval probe tripped it).
  const csp = async () => page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);
  return async () => [...problems, ...(await csp())];
}

async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

test('a newcomer sees the empty accounts state in the real renderer, served under the strict CSP', async () => {
  world = await openWorld();
  const { page } = world;
  const problems = await watchForProblems(page);
  await page.reload();
  await page.getByRole('button', { name: 'Accounts' }).click();
  const empty = page.getByTestId('accounts-empty');
  await empty.waitFor({ state: 'visible', timeout: 10_000 });
  expect(await empty.textContent()).toContain('No accounts yet');
  expect(await page.getByRole('heading', { name: 'Accounts' }).isVisible()).toBe(true);
  // The version came from the core through app:info, proving the bridge round trip.
  await page.getByRole('button', { name: 'Settings' }).click();
  // Settings arrives as its own chunk on this first visit: wait for it, then the version.
  await page.getByText('v0.0.0-e2e').waitFor({ state: 'visible', timeout: 10_000 });
  expect(await problems()).toEqual([]);
});

test('every view renders in Chromium at 420x560, light and dark, with no console errors or CSP violations', async () => {
  world = await openWorld();
  const { page } = world;
  const problems = await watchForProblems(page);
  await page.setViewportSize({ width: 420, height: 560 });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.reload();
    // Quick send is the default view, with the cursor in To.
    const to = page.getByRole('textbox', { name: 'To' });
    await to.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await to.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.getByRole('textbox', { name: 'Message' }).waitFor();
    await page.getByRole('button', { name: /Send/ }).waitFor();
    await shoot(page, `compose-${scheme}`);

    await page.getByRole('button', { name: 'Accounts' }).click();
    await page.getByTestId('accounts-empty').waitFor({ state: 'visible' });
    await shoot(page, `accounts-${scheme}`);

    await page.getByRole('button', { name: 'Outbox' }).click();
    await page.getByRole('heading', { name: 'Outbox' }).waitFor({ state: 'visible' });
    await page.getByRole('heading', { name: 'Sent' }).waitFor({ state: 'visible' });
    await shoot(page, `outbox-${scheme}`);

    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByLabel('Undo delay').waitFor({ state: 'visible' });
    await shoot(page, `settings-${scheme}`);
  }
  expect(await problems()).toEqual([]);
});

test('settings and the draft survive a reload through the real core', async () => {
  world = await openWorld();
  const { page } = world;
  const problems = await watchForProblems(page);
  await page.reload();
  await page.getByRole('textbox', { name: 'To' }).waitFor({ state: 'visible', timeout: 10_000 });
  // Keyboard only: type a recipient, Enter makes a chip, then subject and body.
  await page.keyboard.type('ada@example.com');
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Remove ada@example.com' }).waitFor();
  await page.getByRole('textbox', { name: 'Subject' }).fill('Kept for later');
  await page.getByRole('textbox', { name: 'Message' }).fill('Draft body');
  await page.getByText('Draft saved').waitFor({ timeout: 5_000 });

  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Undo delay').selectOption('10');
  await page.getByText('Saved', { exact: true }).waitFor();

  await page.reload();
  await page.getByRole('button', { name: 'Remove ada@example.com' }).waitFor({ timeout: 10_000 });
  expect(await page.getByRole('textbox', { name: 'Subject' }).inputValue()).toBe('Kept for later');
  expect(await page.getByRole('textbox', { name: 'Message' }).inputValue()).toBe('Draft body');
  await page.getByRole('button', { name: 'Settings' }).click();
  expect(await page.getByLabel('Undo delay').inputValue()).toBe('10');
  expect(await problems()).toEqual([]);
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
