/**
 * Scenario d: the provider revoked Quicksend's grant, and access tokens live so briefly that
 * sending needs a refresh. Sending parks the message and marks the account "Needs sign-in";
 * "Sign in again" on the provider's login page delivers the kept message with no retyping.
 */
import { simpleParser } from 'mailparser';
import { afterEach, expect, test } from 'vitest';
import {
  addSandboxAccount,
  completeProviderLogin,
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

test('a revoked grant parks the message as needs sign-in; signing in again delivers it untouched', async () => {
  world = await openSandboxWorld({ sandbox: { accessTokenTtlSeconds: 2 } });
  const { page, app } = world;
  const email = 'demo@quicksend.test';
  await addSandboxAccount(world, email);
  await app.sandbox.revokeAllFor(email);
  const refreshesBefore = app.sandbox.tokenRequests().refreshToken;

  await compose(page, { to: ['dora@example.com'], subject: 'Kept safe', text: 'Written once, sent once.' });
  const parked = world.outbox.waitFor((p) => onlyItem(p)?.state === 'needs-sign-in');
  await page.getByRole('button', { name: /^Send/ }).click();
  const item = onlyItem(await parked)!;
  expect(item.lastError?.code).toBe('auth.needs_sign_in');
  // The short-lived access token forced a refresh, which the provider refused.
  expect(app.sandbox.tokenRequests().refreshToken).toBeGreaterThan(refreshesBefore);
  expect(app.sandbox.smtp.messages()).toHaveLength(0);
  await page
    .getByTestId('send-status')
    .getByText(/^Not sent/)
    .waitFor();
  await screenshot(page, 'd-compose-not-sent');

  await go(page, 'Outbox');
  const row = page.getByRole('list', { name: 'Not sent' }).getByRole('listitem').filter({ hasText: 'Kept safe' });
  await row.getByText('Needs sign-in', { exact: true }).waitFor();
  await screenshot(page, 'd-outbox-needs-sign-in');

  await go(page, 'Accounts');
  const card = page.getByRole('listitem').filter({ hasText: email });
  await card.getByText('Needs sign-in', { exact: true }).waitFor();
  await screenshot(page, 'd-accounts-needs-sign-in');

  const opened = world.nextSignInPage();
  await card.getByRole('button', { name: `Sign in again to ${email}` }).click();
  // The provider still has the person's browser session, so it may go straight to consent.
  await completeProviderLogin(await opened, email);
  await card.getByText('Ready', { exact: true }).waitFor({ timeout: 10_000 });
  expect(app.sandbox.tokenRequests().authorizationCode).toBe(2); // a real second sign-in

  const [received] = await app.sandbox.smtp.waitForMessages(1, 15_000);
  const parsed = await simpleParser(await app.sandbox.smtp.read(received!.id));
  expect(parsed.subject).toBe('Kept safe');
  expect(parsed.text?.trim()).toBe('Written once, sent once.');
  expect(received!.to).toEqual(['dora@example.com']);

  await go(page, 'Outbox');
  await page.getByTestId('outbox-empty').waitFor({ timeout: 10_000 });
  const sent = page.getByRole('list', { name: 'Sent' }).getByRole('listitem').filter({ hasText: 'Kept safe' });
  expect(await sent.textContent()).toContain('Sent to dora@example.com');
  expect(app.sandbox.smtp.messages()).toHaveLength(1);
  expect(world.problems).toEqual([]);
}, 60_000);
