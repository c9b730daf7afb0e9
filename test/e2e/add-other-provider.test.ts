/**
 * Issue 12: a person adds a provider Quicksend did not write. Through the real form, against
 * the sandbox with oidc-provider's standard behaviour (no email in the ID token, no refresh
 * token without prompt=consent): check the provider, read the findings, add it, sign in on the
 * provider's page, and the account is there with the address the provider verified.
 * The sandbox issuer is http://127.0.0.1, which the form accepts only in development builds.
 */
import { afterEach, expect, test } from 'vitest';
import { SANDBOX_MAIL_SCOPE } from '../support/sandbox';
import {
  completeProviderLogin,
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

test('an "Other provider" is checked, added and signed in through the form', async () => {
  world = await openSandboxWorld();
  const { page, app } = world;
  await go(page, 'Accounts');
  await page.getByRole('button', { name: 'Add account' }).click();
  await page.getByRole('radio', { name: /Other provider/ }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { name: 'Other provider' }).waitFor();

  await page.getByRole('textbox', { name: 'Name' }).fill('Standard OIDC');
  await page.getByRole('textbox', { name: 'Issuer URL' }).fill(app.sandbox.issuer);
  await page.getByRole('textbox', { name: 'Client ID' }).fill(app.sandbox.clientId);
  await page.getByRole('textbox', { name: 'Scopes' }).fill(`openid email offline_access ${SANDBOX_MAIL_SCOPE}`);
  await page.getByRole('textbox', { name: 'Host' }).fill('127.0.0.1');
  await page.getByRole('spinbutton', { name: 'Port' }).fill(String(app.sandbox.smtp.port));

  await page.getByRole('button', { name: 'Check provider' }).click();
  const findings = page.getByRole('region', { name: `What ${app.sandbox.issuer} offers` });
  await findings.waitFor();
  expect(await findings.getByRole('listitem').allTextContents()).toEqual([
    'PKCE fine: Supports PKCE with S256 (it lists S256).',
    'Refresh tokens fine: Issues refresh tokens (it lists the refresh_token grant), so you stay signed in.',
    'Offline access fine: Offers the offline_access scope; Quicksend asks for it together with your consent.',
    'UserInfo fine: Has a UserInfo endpoint, where Quicksend reads your verified email address.',
    'Revocation fine: Can revoke access: removing the account also ends Quicksend’s access at the provider.',
  ]);
  await screenshot(page, 'issue12-other-provider-checked');
  const listed = (await world.call('providers:list', {})) as Array<{ kind: string }>;
  expect(listed.filter((p) => p.kind === 'custom')).toEqual([]); // checking saved nothing

  await page.getByRole('button', { name: 'Add provider' }).click();
  await page.getByRole('heading', { name: 'Sign in to Standard OIDC' }).waitFor();
  const opened = world.nextSignInPage();
  const waiting = world.waitForEvent('signin:progress', (p) => p.stage === 'waiting-for-browser');
  await page.getByRole('button', { name: 'Sign in with browser' }).click();
  // Standard OIDC: offline_access only counts together with prompt=consent (OIDC Core 11).
  const signInUrl = new URL((await waiting).signInUrl!);
  expect(signInUrl.origin).toBe(app.sandbox.issuer);
  expect(signInUrl.searchParams.get('prompt')).toBe('consent');
  await completeProviderLogin(await opened, 'ada@quicksend.test', 'issue12-provider-login');
  await page.getByText('Added ada@quicksend.test. You can send from it now.').waitFor({ timeout: 10_000 });

  const card = page.getByRole('listitem').filter({ hasText: 'ada@quicksend.test' });
  await card.getByText('Ready', { exact: true }).waitFor();
  expect(await card.textContent()).toContain('Standard OIDC');
  await screenshot(page, 'issue12-other-provider-account');
  const accounts = (await world.call('accounts:list', {})) as Array<{
    address: string;
    provider: string;
    health: string;
  }>;
  expect(accounts).toEqual([
    expect.objectContaining({
      address: 'ada@quicksend.test',
      provider: expect.stringMatching(/^custom-/),
      health: 'ready',
    }),
  ]);
  expect(app.sandbox.tokenRequests().authorizationCode).toBe(1);
  expect(world.problems).toEqual([]);
}, 60_000);
