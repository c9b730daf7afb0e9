import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { account, FAKE_CA, fail, provider } from '../../fakes/fake-api';
import { goTo, renderApp } from './render';
import type { ErrorCode } from '../../../electron/ipc/contract';

const microsoft = provider({
  id: 'microsoft',
  kind: 'microsoft',
  name: 'Microsoft',
  configured: false,
  clientIdSource: 'none',
  needsClientSecret: false,
  hasClientSecret: false,
  supportsRevocation: false,
});
const sandbox = provider({ id: 'sandbox', kind: 'sandbox', name: 'Sandbox' });

async function open(initial = {}) {
  const r = renderApp(initial);
  goTo('Accounts');
  await screen.findByRole('heading', { name: /Accounts|Add account/ });
  return r;
}

describe('accounts', () => {
  test('empty state, with the heading focused when the view opens', async () => {
    await open();
    expect((await screen.findByTestId('accounts-empty')).textContent).toContain('No accounts yet');
    // The view moves focus in an effect, which React may run just after the DOM is in place.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Accounts' })));
  });

  test('each account shows provider, address, health and last use', async () => {
    await open({
      accounts: [
        account({ lastUsedAt: new Date(Date.now() - 2 * 3600_000).toISOString() }),
        account({ id: 'b', address: 'grace@example.org', providerName: 'Microsoft', health: 'needs-sign-in' }),
        account({ id: 'c', address: 'linus@example.org', health: 'session-only' }),
        account({ id: 'd', address: 'ken@example.org', health: 'refreshing', fromAddress: 'alias@example.org' }),
      ],
    });
    const card = (address: string) => screen.getByRole('listitem', { name: address });
    expect((await screen.findByRole('listitem', { name: 'ada@example.com' })).textContent).toMatch(
      /Google · Last used 2 h ago.*Ready/,
    );
    expect(card('grace@example.org').textContent).toMatch(/Microsoft · Not used yet.*Needs sign-in/);
    expect(card('linus@example.org').textContent).toContain('This session only');
    expect(card('ken@example.org').textContent).toMatch(/sends as alias@example.org.*Refreshing…/);
    // The nav tells about accounts that need attention from any view.
    expect(screen.getByRole('button', { name: /^Accounts ?\(1 need sign-in\)$/ })).toBeTruthy();
  });

  test('the list follows accounts:changed', async () => {
    const { fake } = await open();
    await screen.findByTestId('accounts-empty');
    act(() => fake.emit('accounts:changed', { accounts: [account()] }));
    expect(await screen.findByRole('listitem', { name: 'ada@example.com' })).toBeTruthy();
  });

  test('add account, keyboard style: provider → own client ID → consent → browser → done', async () => {
    const { fake } = await open({ providers: [sandbox, microsoft, provider()] });
    fireEvent.click(screen.getByRole('button', { name: 'Add account' }));
    const heading = await screen.findByRole('heading', { name: 'Add account' });
    expect(document.activeElement).toBe(heading);
    const radios = screen.getAllByRole('radio').map((r) => r.closest('label')!.querySelector('strong')!.textContent);
    expect(radios).toEqual(['Google', 'Microsoft', 'Sandbox', 'Other provider']);
    fireEvent.click(screen.getByRole('radio', { name: /Microsoft/ }));
    fireEvent.submit(screen.getByRole('button', { name: 'Continue' }).closest('form')!);

    // Microsoft has no client ID yet: the form shows exactly what to register.
    expect(await screen.findByRole('heading', { name: 'Your Microsoft client' })).toBeTruthy();
    expect((screen.getByRole('textbox', { name: 'Redirect URI to register' }) as HTMLInputElement).value).toBe(
      'http://127.0.0.1/callback',
    );
    expect(screen.getByText('https://mail.google.com/')).toBeTruthy();
    fireEvent.submit(screen.getByRole('button', { name: 'Save and continue' }).closest('form')!);
    expect(await screen.findByText('Paste the client ID from your provider.')).toBeTruthy();
    fireEvent.change(screen.getByRole('textbox', { name: 'Client ID' }), { target: { value: ' my-client ' } });
    fireEvent.submit(screen.getByRole('button', { name: 'Save and continue' }).closest('form')!);
    await waitFor(() =>
      expect(fake.requests('providers:setClient')).toEqual([{ providerId: 'microsoft', clientId: 'my-client' }]),
    );

    // Consent: what is granted and where the token is kept, before the browser opens.
    expect(await screen.findByRole('heading', { name: 'Sign in to Microsoft' })).toBeTruthy();
    expect(screen.getByText(/allowed to send mail as you through Microsoft.*never sees your password/)).toBeTruthy();
    expect(screen.getByText(/encrypted with your GNOME keyring/)).toBeTruthy();
    fireEvent.change(screen.getByRole('textbox', { name: /Your address at Microsoft/ }), {
      target: { value: 'grace@contoso.com' },
    });
    fireEvent.submit(screen.getByRole('button', { name: 'Sign in with browser' }).closest('form')!);

    expect(await screen.findByText('Added grace@contoso.com. You can send from it now.')).toBeTruthy();
    expect(fake.requests('accounts:add')).toEqual([{ providerId: 'microsoft', loginHint: 'grace@contoso.com' }]);
    expect(screen.getByRole('listitem', { name: 'grace@contoso.com' })).toBeTruthy();
  });

  test('sign-in progress offers the link and Cancel; a cancelled sign-in goes back quietly', async () => {
    const { fake } = await open();
    let finish!: (r: { ok: false; error: { code: ErrorCode; message: string } }) => void;
    fake.override('accounts:add', () => new Promise((resolve) => (finish = resolve)));
    fireEvent.click(screen.getByRole('button', { name: 'Add account' }));
    fireEvent.click(await screen.findByRole('radio', { name: /Google/ }));
    fireEvent.submit(screen.getByRole('button', { name: 'Continue' }).closest('form')!);
    fireEvent.submit((await screen.findByRole('button', { name: 'Sign in with browser' })).closest('form')!);
    expect(await screen.findByText('Opening your browser…')).toBeTruthy();
    act(() =>
      fake.emit('signin:progress', {
        providerId: 'google',
        stage: 'waiting-for-browser',
        signInUrl: 'https://accounts.google.com/o/oauth2/auth?x',
      }),
    );
    expect(await screen.findByText(/Finish signing in to Google in your browser/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Copy sign-in link' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(fake.requests('accounts:cancelSignIn')).toEqual([{ providerId: 'google' }]));
    await act(async () => finish({ ok: false, error: { code: 'signin.cancelled', message: 'Sign-in cancelled.' } }));
    expect(await screen.findByRole('heading', { name: 'Sign in to Google' })).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  test('a failed sign-in shows the reason and hint; Esc goes back a step', async () => {
    const { fake } = await open();
    fake.override('accounts:add', () => fail('signin.denied', 'Google said no.', 'Ask your admin to allow Quicksend.'));
    fireEvent.click(screen.getByRole('button', { name: 'Add account' }));
    fireEvent.click(await screen.findByRole('radio', { name: /Google/ }));
    fireEvent.submit(screen.getByRole('button', { name: 'Continue' }).closest('form')!);
    fireEvent.submit((await screen.findByRole('button', { name: 'Sign in with browser' })).closest('form')!);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('Google said no.Ask your admin to allow Quicksend.');
    fireEvent.keyDown(alert, { key: 'Escape' });
    expect(await screen.findByRole('heading', { name: 'Add account' })).toBeTruthy();
    fireEvent.keyDown(screen.getByRole('heading', { name: 'Add account' }), { key: 'Escape' });
    expect(await screen.findByRole('heading', { name: 'Accounts' })).toBeTruthy();
  });

  test('other provider: the form shows what discovery found before it saves, then signs in', async () => {
    const { fake } = await open();
    fireEvent.click(screen.getByRole('button', { name: 'Add account' }));
    fireEvent.click(await screen.findByRole('radio', { name: /Other provider/ }));
    fireEvent.submit(screen.getByRole('button', { name: 'Continue' }).closest('form')!);
    const form = (await screen.findByRole('button', { name: 'Add provider' })).closest('form')!;
    const field = (name: string | RegExp, value: string) =>
      fireEvent.change(within(form).getByLabelText(name), { target: { value } });
    field('Name', 'Work');
    field('Issuer URL', 'http://login.example.com');
    field('Client ID', 'cid');
    field('Host', 'smtp.example.com');
    fireEvent.submit(form);
    expect(await screen.findByText('The issuer must be an https:// address.')).toBeTruthy();
    expect(fake.requests('providers:discover')).toEqual([]);
    field('Issuer URL', 'https://login.example.com');
    // Add provider without a check: it checks first and saves nothing yet.
    fireEvent.submit(form);
    const findings = await screen.findByRole('region', { name: 'What https://login.example.com offers' });
    expect(
      within(findings)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([
      'PKCE fine: Supports PKCE with S256 (it lists S256).',
      'Refresh tokens fine: Issues refresh tokens (it lists the refresh_token grant), so you stay signed in.',
      'Offline access fine: Offers the offline_access scope; Quicksend asks for it together with your consent.',
      'UserInfo fine: Has a UserInfo endpoint, where Quicksend reads your verified email address.',
      'Revocation fine: Can revoke access: removing the account also ends Quicksend’s access at the provider.',
    ]);
    expect(
      within(findings).getByText('Review what the provider offers, then choose Add provider to save it.'),
    ).toBeTruthy();
    expect(fake.requests('providers:discover')).toEqual([{ issuer: 'https://login.example.com', clientId: 'cid' }]);
    expect(fake.requests('providers:addCustom')).toEqual([]);
    // Seen: now Add provider saves.
    fireEvent.submit(form);
    expect(await screen.findByRole('heading', { name: 'Sign in to Work' })).toBeTruthy();
    expect(fake.requests('providers:discover')).toHaveLength(1);
    expect(fake.requests('providers:addCustom')).toEqual([
      {
        name: 'Work',
        issuer: 'https://login.example.com',
        clientId: 'cid',
        scopes: ['openid', 'email', 'offline_access'],
        smtp: { host: 'smtp.example.com', port: 587, security: 'starttls' },
      },
    ]);
  });

  test('other provider: Check provider says what is missing; changing the issuer makes the findings stale', async () => {
    const { fake } = await open();
    fake.override('providers:discover', ({ issuer }) => ({
      ok: true,
      value: {
        issuer,
        pkceMethods: [],
        userInfo: false,
        revocation: false,
        refreshTokenGrant: 'not-advertised',
        offlineAccess: 'not-published',
      },
    }));
    fireEvent.click(screen.getByRole('button', { name: 'Add account' }));
    fireEvent.click(await screen.findByRole('radio', { name: /Other provider/ }));
    fireEvent.submit(screen.getByRole('button', { name: 'Continue' }).closest('form')!);
    const form = (await screen.findByRole('button', { name: 'Check provider' })).closest('form')!;
    const field = (name: string | RegExp, value: string) =>
      fireEvent.change(within(form).getByLabelText(name), { target: { value } });
    fireEvent.click(within(form).getByRole('button', { name: 'Check provider' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Fill in the issuer URL and client ID first.');
    field('Issuer URL', 'https://id.example.org');
    field('Client ID', 'cid');
    fireEvent.click(within(form).getByRole('button', { name: 'Check provider' }));
    const findings = await screen.findByRole('region', { name: 'What https://id.example.org offers' });
    const texts = within(findings)
      .getAllByRole('listitem')
      .map((li) => li.textContent ?? '');
    expect(texts.every((t) => t.includes('worth knowing'))).toBe(true);
    expect(texts[3]).toContain('Has no UserInfo endpoint');
    expect(texts[4]).toContain('Cannot revoke access');
    field('Issuer URL', 'https://other.example.org');
    expect(screen.queryByRole('region', { name: /offers$/ })).toBeNull();
  });

  test('other provider: a failed check is explained and nothing is saved', async () => {
    const { fake } = await open();
    fake.override('providers:discover', () =>
      fail(
        'provider.unreachable',
        'Quicksend could not reach id.example.org.',
        'Check your internet connection (and proxy), then try again.',
      ),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Add account' }));
    fireEvent.click(await screen.findByRole('radio', { name: /Other provider/ }));
    fireEvent.submit(screen.getByRole('button', { name: 'Continue' }).closest('form')!);
    const form = (await screen.findByRole('button', { name: 'Add provider' })).closest('form')!;
    const field = (name: string | RegExp, value: string) =>
      fireEvent.change(within(form).getByLabelText(name), { target: { value } });
    field('Name', 'Work');
    field('Issuer URL', 'https://id.example.org');
    field('Client ID', 'cid');
    field('Host', 'smtp.example.org');
    fireEvent.submit(form);
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Quicksend could not reach id.example.org.Check your internet connection (and proxy), then try again.',
    );
    expect(fake.requests('providers:addCustom')).toEqual([]);
  });

  test('other provider: loopback http issuers pass the form only in a development build', async () => {
    for (const development of [false, true]) {
      const { fake, unmount } = await open({
        info: {
          name: 'Quicksend',
          version: '1',
          platform: 'linux',
          development,
          dataDirectory: 'ready',
          keyStore: 'gnome_libsecret',
        },
      });
      fireEvent.click(screen.getByRole('button', { name: 'Add account' }));
      fireEvent.click(await screen.findByRole('radio', { name: /Other provider/ }));
      fireEvent.submit(screen.getByRole('button', { name: 'Continue' }).closest('form')!);
      const form = (await screen.findByRole('button', { name: 'Check provider' })).closest('form')!;
      fireEvent.change(within(form).getByLabelText('Issuer URL'), { target: { value: 'http://127.0.0.1:4000' } });
      fireEvent.change(within(form).getByLabelText('Client ID'), { target: { value: 'cid' } });
      fireEvent.click(within(form).getByRole('button', { name: 'Check provider' }));
      if (development) {
        expect(await screen.findByRole('region', { name: 'What http://127.0.0.1:4000 offers' })).toBeTruthy();
        expect(fake.requests('providers:discover')).toHaveLength(1);
      } else {
        expect((await screen.findByRole('alert')).textContent).toBe('The issuer must be an https:// address.');
        expect(fake.requests('providers:discover')).toEqual([]);
      }
      unmount();
    }
  });

  test('other provider: an extra CA (checked, shown) and the OAUTHBEARER preference go with the SMTP settings', async () => {
    const { fake } = await open();
    fireEvent.click(screen.getByRole('button', { name: 'Add account' }));
    fireEvent.click(await screen.findByRole('radio', { name: /Other provider/ }));
    fireEvent.submit(screen.getByRole('button', { name: 'Continue' }).closest('form')!);
    const form = (await screen.findByRole('button', { name: 'Add provider' })).closest('form')!;
    const field = (name: string | RegExp, value: string) =>
      fireEvent.change(within(form).getByLabelText(name), { target: { value } });
    field('Name', 'Work');
    field('Issuer URL', 'https://login.example.com');
    field('Client ID', 'cid');
    field('Host', 'mail.corp.example');
    fireEvent.click(within(form).getByLabelText(/OAUTHBEARER/));
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    fireEvent.change(within(form).getByLabelText('Certificate file (.pem, .crt or .cer)'), {
      target: { files: [new File([pem], 'root.pem')] },
    });
    expect(await within(form).findByText(FAKE_CA.fingerprint256)).toBeTruthy();
    fireEvent.submit(form); // the first Add provider shows what discovery found
    await screen.findByRole('region', { name: 'What https://login.example.com offers' });
    fireEvent.submit(form);
    expect(await screen.findByRole('heading', { name: 'Sign in to Work' })).toBeTruthy();
    expect(fake.requests('providers:addCustom')).toEqual([
      {
        name: 'Work',
        issuer: 'https://login.example.com',
        clientId: 'cid',
        scopes: ['openid', 'email', 'offline_access'],
        smtp: { host: 'mail.corp.example', port: 587, security: 'starttls', extraCa: pem, preferOAuthBearer: true },
      },
    ]);
  });

  test('Test shows which layer passed or failed', async () => {
    const { fake } = await open({ accounts: [account()] });
    fake.override('accounts:test', () => ({
      ok: true,
      value: {
        ok: false,
        layers: [
          { layer: 'network', ok: true, message: 'Reached smtp.gmail.com:465.' },
          { layer: 'authentication', ok: false, message: 'Google refused the token.', hint: 'Sign in again.' },
        ],
      },
    }));
    fireEvent.click(await screen.findByRole('button', { name: 'Test ada@example.com' }));
    const result = await screen.findByText('Sending would fail:');
    const box = result.closest('[role="status"]')!;
    expect(box.textContent).toContain('Network passed: Reached smtp.gmail.com:465.');
    expect(box.textContent).toContain('Sign-in failed: Google refused the token. Sign in again.');
  });

  test('Remove asks first, then says whether access was revoked', async () => {
    const { fake } = await open({ accounts: [account()] });
    fireEvent.click(await screen.findByRole('button', { name: 'Remove ada@example.com' }));
    expect(screen.getByRole('group', { name: 'Remove ada@example.com?' })).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Keep' }));
    fireEvent.click(screen.getByRole('button', { name: 'Remove' }));
    expect(await screen.findByText('Removed ada@example.com. Google revoked Quicksend’s access.')).toBeTruthy();
    expect(fake.requests('accounts:remove')).toEqual([{ accountId: 'acc-1' }]);
    expect(await screen.findByTestId('accounts-empty')).toBeTruthy();
  });

  test('a revocation that failed is said plainly', async () => {
    const { fake } = await open({ accounts: [account()] });
    fake.override('accounts:remove', () => ({ ok: true, value: { removed: true, revocation: 'failed' } }));
    fireEvent.click(await screen.findByRole('button', { name: 'Remove ada@example.com' }));
    fireEvent.click(screen.getByRole('button', { name: 'Remove' }));
    expect(await screen.findByText(/could not be reached to revoke access/)).toBeTruthy();
  });

  test('Sign in again calls accounts:reauthorize', async () => {
    const { fake } = await open({ accounts: [account({ health: 'needs-sign-in' })] });
    fireEvent.click(await screen.findByRole('button', { name: 'Sign in again to ada@example.com' }));
    await waitFor(() => expect(fake.requests('accounts:reauthorize')).toEqual([{ accountId: 'acc-1' }]));
    await waitFor(() =>
      expect(screen.getByRole('listitem', { name: 'ada@example.com' }).textContent).toContain('Ready'),
    );
  });

  test('sign out of all accounts, deleting waiting messages', async () => {
    const { fake } = await open({ accounts: [account(), account({ id: 'b', address: 'b@example.com' })] });
    fireEvent.click(await screen.findByRole('button', { name: 'Sign out of all accounts…' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Also delete messages waiting in the outbox' }));
    fireEvent.click(screen.getByRole('button', { name: 'Sign out of all' }));
    expect(await screen.findByText('Signed out of 2 accounts. Access revoked for 2.')).toBeTruthy();
    expect(fake.requests('accounts:signOutAll')).toEqual([{ confirm: true, deleteWaitingMessages: true }]);
  });
});
