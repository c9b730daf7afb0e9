/**
 * Every view and step, populated, in real Chromium under the real CSP: axe-core must report
 * no serious or critical violations, in light and dark. The renderer runs over the in-memory
 * fake bridge (test/fakes/fake-api.ts) so the accounts, outbox and errors have content before
 * the main-side services behind them exist; the smoke test covers the real core.
 */
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { contentTypeFor } from '../../electron/platform/app-url';
import { contentSecurityPolicy } from '../../electron/platform/csp';
import { launchBrowser } from '../support/browser';

const rendererDir = path.resolve('dist/renderer');

// Runs in the page: a populated fake bridge as window.quicksend.
const FAKE_BRIDGE = `
import { account, createFakeApi, historyEntry, outboxItem, provider } from './fake-api';
const now = Date.now();
window.quicksend = createFakeApi({
  providers: [provider(), provider({ id: 'microsoft', kind: 'microsoft', name: 'Microsoft', configured: false, clientIdSource: 'none', needsClientSecret: false, hasClientSecret: false }), provider({ id: 'sandbox', kind: 'sandbox', name: 'Sandbox' })],
  accounts: [
    account({ lastUsedAt: new Date(now - 3600000).toISOString() }),
    account({ id: 'acc-2', address: 'grace@example.org', providerName: 'Microsoft', provider: 'microsoft', health: 'needs-sign-in' }),
    account({ id: 'acc-3', address: 'linus@example.org', health: 'session-only' }),
  ],
  outbox: { paused: true, items: [
    outboxItem({ id: 'o1', subject: 'Slides', state: 'retrying', attempts: 2, nextAttemptAt: new Date(now + 120000).toISOString(), lastError: { code: 'smtp.transient', message: 'No network connection.', hint: 'It goes out when you are back online.' } }),
    outboxItem({ id: 'o2', subject: 'Invoice', state: 'failed', lastError: { code: 'smtp.permanent', message: 'Gmail refused it.', hint: 'Zip the file.' } }),
  ] },
  history: [historyEntry()],
  draft: location.hash === '#empty' ? null : { accountId: 'acc-1', to: ['Bob <bob@example.com>', 'not-an-address'], cc: [], bcc: [], subject: 'Photos', text: 'Hi', attachments: [{ fileId: 'AAAAAAAAAAAAAAAAAAAAAA', name: 'a.jpg', sizeBytes: 30000000 }] },
}).api;
`;

let server: http.Server;
let origin = '';
let browser: Browser;

beforeAll(async () => {
  const bridge = (
    await build({
      stdin: { contents: FAKE_BRIDGE, resolveDir: path.resolve('test/fakes'), loader: 'ts' },
      bundle: true,
      format: 'iife',
      platform: 'browser',
      write: false,
      logLevel: 'silent',
    })
  ).outputFiles[0]!.text;
  const index = (await readFile(path.join(rendererDir, 'index.html'), 'utf8')).replace(
    '<head>',
    '<head><script src="./fake-bridge.js"></script>',
  );
  server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', origin);
    const send = (status: number, body: string | Buffer, type: string) => {
      res.writeHead(status, { 'Content-Type': type, 'Content-Security-Policy': contentSecurityPolicy() });
      res.end(body);
    };
    if (url.pathname === '/') return send(200, index, 'text/html; charset=utf-8');
    if (url.pathname === '/fake-bridge.js') return send(200, bridge, 'text/javascript; charset=utf-8');
    const file = path.resolve(rendererDir, `.${decodeURIComponent(url.pathname)}`);
    const body = file.startsWith(rendererDir + path.sep) ? await readFile(file).catch(() => null) : null;
    return body ? send(200, body, contentTypeFor(file)) : send(404, 'Not found', 'text/plain');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

async function seriousViolations(page: Page, where: string): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${where}: ${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('axe-core finds no serious or critical violations on any view or add-account step, light and dark', async () => {
  // AxeBuilder needs a page from an explicit context.
  const context = await browser.newContext({ viewport: { width: 420, height: 560 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  const found: string[] = [];
  const check = async (where: string) => found.push(...(await seriousViolations(page, where)));
  const nav = (name: RegExp) => page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name }).click();

  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`${origin}/`);
    await page.getByRole('button', { name: 'Remove bob@example.com' }).waitFor({ timeout: 10_000 });
    await check(`${scheme} compose with draft`);
    await page.getByRole('button', { name: /^Send/ }).click();
    await page.getByText('“not-an-address” is not an email address.').waitFor();
    await check(`${scheme} compose with errors`);
    await page.getByRole('button', { name: 'Remove not-an-address' }).click();
    await page.getByRole('button', { name: 'Remove attachment a.jpg' }).click();
    await page.getByRole('button', { name: /^Send/ }).click();
    await page.getByRole('button', { name: 'Undo' }).waitFor();
    await check(`${scheme} undo toast`);

    await nav(/^Accounts/);
    await page.getByRole('button', { name: 'Test ada@example.com' }).click();
    await page.getByText('Everything works.').waitFor();
    await page.getByRole('button', { name: 'Remove linus@example.org' }).click();
    await check(`${scheme} accounts`);
    await page.getByRole('button', { name: 'Keep' }).click();
    await page.getByRole('button', { name: 'Add account' }).click();
    await page.getByRole('heading', { name: 'Add account' }).waitFor();
    await check(`${scheme} add account: provider`);
    await page.getByRole('radio', { name: /Microsoft/ }).check();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Your Microsoft client' }).waitFor();
    await check(`${scheme} add account: client`);
    await page.getByRole('textbox', { name: 'Client ID' }).fill('my-client');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Sign in to Microsoft' }).waitFor();
    await check(`${scheme} add account: consent`);
    await page.keyboard.press('Escape');
    await page.getByRole('radio', { name: /Other provider/ }).check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Add provider' }).waitFor();
    await check(`${scheme} add account: other provider`);
    await page.getByRole('textbox', { name: 'Issuer URL' }).fill('https://login.example.com');
    await page.getByRole('textbox', { name: 'Client ID' }).fill('my-client');
    await page.getByRole('button', { name: 'Check provider' }).click();
    await page.getByRole('region', { name: 'What https://login.example.com offers' }).waitFor();
    await check(`${scheme} add account: other provider checked`);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');

    await nav(/^Outbox/);
    await page.getByText('Gmail refused it.').waitFor();
    await check(`${scheme} outbox`);
    await nav(/^Settings/);
    await page.getByRole('button', { name: 'Export diagnostics' }).click();
    await page.getByText(/Saved 42 log lines/).waitFor();
    await check(`${scheme} settings`);
    // Other programs: on, a sign-in created (shown once), and one setup guide open.
    await page.getByRole('checkbox', { name: 'Let programs on this computer send through Quicksend' }).check();
    await page.getByText('Listening on 127.0.0.1:1587').waitFor();
    await page.getByRole('checkbox', { name: 'Also offer a TLS port (SSL/TLS from the start)' }).check();
    await page.getByRole('textbox', { name: 'Program name' }).fill('backup script');
    await page.getByRole('button', { name: 'Create sign-in' }).click();
    await page.getByRole('textbox', { name: 'Password' }).waitFor();
    await page.getByText('git send-email', { exact: true }).click();
    await check(`${scheme} settings other programs`);
    await page.getByRole('button', { name: 'Done, I copied it' }).click();
    await page.getByRole('button', { name: 'Revoke backup script' }).click();
    await check(`${scheme} settings other programs revoke`);
  }
  expect(found).toEqual([]);
  expect(errors).toEqual([]);
  await context.close();
  // Two colour schemes times a dozen axe passes: slow on a busy 2-core machine.
}, 180_000);

test('keyboard only: compose and send with Ctrl+Enter, undo with Ctrl+Z, then add an account', async () => {
  const context = await browser.newContext({ viewport: { width: 420, height: 560 } });
  const page = await context.newPage();
  const focused = () =>
    page.evaluate(
      () =>
        document.activeElement?.getAttribute('aria-label') ??
        document.activeElement?.textContent ??
        document.activeElement?.id,
    );
  await page.goto(`${origin}/#empty`);
  const to = page.getByRole('textbox', { name: 'To' });
  await to.waitFor({ timeout: 10_000 });
  await page.waitForFunction(() => document.activeElement?.classList.contains('chip-input'));
  await page.keyboard.type('bob@example.com, carol@example.com');
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Remove carol@example.com' }).waitFor();
  await page.keyboard.press('Tab'); // Cc/Bcc
  await page.keyboard.press('Tab');
  await page.keyboard.type('Keyboard only');
  await page.keyboard.press('Tab');
  await page.keyboard.type('No mouse was harmed.');
  await page.keyboard.press('Control+Enter');
  await page.getByText(/Sending in \d+ s/).waitFor();
  expect(await to.evaluate((el) => el === document.activeElement)).toBe(true);
  await page.keyboard.press('Control+z');
  await page.getByRole('button', { name: 'Remove carol@example.com' }).waitFor();
  expect(await page.getByRole('textbox', { name: 'Message' }).inputValue()).toBe('No mouse was harmed.');

  // Add account: Ctrl+2, Tab to "Add account", arrows pick a provider, Enter through the steps.
  await page.keyboard.press('Control+2');
  await page.getByRole('heading', { name: 'Accounts' }).waitFor();
  await page.keyboard.press('Tab');
  expect(await focused()).toContain('Add account');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Add account' }).waitFor();
  // Focus is on the step's heading, so Tab enters the provider radio group (Google first).
  await page.keyboard.press('Tab');
  await page.keyboard.press('ArrowDown'); // Microsoft
  expect(await page.getByRole('radio', { name: /Microsoft/ }).isChecked()).toBe(true);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Your Microsoft client' }).waitFor();
  await page.getByRole('textbox', { name: 'Client ID' }).focus();
  await page.keyboard.type('my-client-id');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Sign in to Microsoft' }).waitFor();
  await page.keyboard.press('Tab'); // from the heading to the (optional) address
  await page.keyboard.type('grace@contoso.com');
  await page.keyboard.press('Enter');
  await page.getByText('Added grace@contoso.com. You can send from it now.').waitFor();
  await context.close();
}, 60_000);

test('keyboard only: turn on the relay for other programs, create a program sign-in, revoke it', async () => {
  const context = await browser.newContext({ viewport: { width: 420, height: 700 } });
  const page = await context.newPage();
  await page.goto(`${origin}/#empty`);
  await page.getByRole('textbox', { name: 'To' }).waitFor({ timeout: 10_000 });
  await page.keyboard.press('Control+4');
  await page.getByRole('heading', { name: 'Settings' }).waitFor();
  // Tab from the Settings heading to a control named `name`; bounded, so a trap fails the test.
  const tabTo = async (name: string) => {
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab');
      const label = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el) return '';
        const labelled = (el as HTMLInputElement).labels?.[0]?.textContent ?? '';
        return (el.getAttribute('aria-label') ?? (labelled || el.textContent) ?? '').trim();
      });
      if (label === name) return;
    }
    throw new Error(`Tab never reached ${name}`);
  };
  await tabTo('Let programs on this computer send through Quicksend');
  await page.keyboard.press('Space');
  await page.getByText('Listening on 127.0.0.1:1587').waitFor();
  await tabTo('Program name');
  await page.keyboard.type('cron job');
  await page.keyboard.press('Enter');
  await page.getByRole('textbox', { name: 'Password' }).waitFor();
  await tabTo('Done, I copied it');
  await page.keyboard.press('Enter');
  await page.getByRole('list', { name: 'Programs that may send' }).getByText('cron job').waitFor();
  await page.keyboard.press('Shift+Tab');
  await tabTo('Revoke cron job');
  await page.keyboard.press('Enter');
  await tabTo('Revoke');
  await page.keyboard.press('Enter');
  await page.getByText('No program can send through Quicksend yet.').waitFor();
  await context.close();
}, 60_000);
