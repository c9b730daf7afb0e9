import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { account, relayProgram, relayStatus } from '../../fakes/fake-api';
import { goTo, renderApp } from './render';

describe('Settings, Other programs', () => {
  test('off by default; turning it on shows where it listens and the certificate', async () => {
    const { fake } = renderApp({ accounts: [account()] });
    goTo('Settings');
    const toggle = await screen.findByRole('checkbox', {
      name: 'Let programs on this computer send through Quicksend',
    });
    expect((toggle as HTMLInputElement).checked).toBe(false);
    expect(screen.getByText('Off. Nothing listens until you turn it on.')).toBeTruthy();
    fireEvent.click(toggle);
    expect(await screen.findByText('Listening on 127.0.0.1:1587')).toBeTruthy();
    expect(fake.requests('relay:configure')).toEqual([{ enabled: true }]);
    expect(screen.getByText(/SHA-256 fingerprint/)).toBeTruthy();
  });

  test('a port in use is explained in plain words and a new port can be chosen', async () => {
    const { fake } = renderApp({
      accounts: [account()],
      relay: {
        status: relayStatus({
          settings: { enabled: true, port: 1587, allowPlainAuth: true, implicitTlsPort: null },
          state: 'failed',
          problem: {
            message:
              'Port 1587 is already in use by python3 (process 4242), so other programs cannot reach Quicksend there.',
            hint: 'Choose another port here, or stop python3.',
          },
        }),
        programs: [],
      },
    });
    goTo('Settings');
    expect((await screen.findByText(/already in use by python3/)).textContent).toContain('process 4242');
    const port = screen.getByRole('spinbutton', { name: 'Server 127.0.0.1, port' });
    fireEvent.change(port, { target: { value: '2525' } });
    fireEvent.click(screen.getByRole('button', { name: 'Use this port' }));
    expect(await screen.findByText('Listening on 127.0.0.1:2525')).toBeTruthy();
    expect(fake.requests('relay:configure')).toEqual([{ port: 2525 }]);
  });

  test('creating a sign-in shows the password once; Done hides it for good; the list shows the program', async () => {
    const { fake } = renderApp({ accounts: [account()] });
    goTo('Settings');
    fireEvent.change(await screen.findByRole('textbox', { name: 'Program name' }), {
      target: { value: 'nightly backup' },
    });
    fireEvent.change(screen.getByRole('spinbutton', { name: 'Messages per hour, at most' }), {
      target: { value: '20' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Create sign-in' }));
    const password = (await screen.findByRole('textbox', { name: 'Password' })) as HTMLInputElement;
    expect(password.value).toMatch(/^fake-one-time-password-/);
    expect(fake.requests('relay:createCredential')).toEqual([
      { programName: 'nightly backup', accountId: 'acc-1', rewriteFrom: false, sendLimitPerHour: 20 },
    ]);
    expect(screen.getByText(/cannot show it again/)).toBeTruthy();
    // The setup help uses the new username, never the password.
    const username = (screen.getByRole('textbox', { name: 'Username' }) as HTMLInputElement).value;
    const snippets = screen.getAllByLabelText(/: settings$/).map((el) => el.textContent ?? '');
    expect(snippets.some((text) => text.includes(username))).toBe(true);
    expect(snippets.some((text) => text.includes(password.value))).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'Done, I copied it' }));
    await waitFor(() => expect(screen.queryByRole('textbox', { name: 'Password' })).toBeNull());
    expect(document.body.textContent).not.toContain(password.value);
    const list = screen.getByRole('list', { name: 'Programs that may send' });
    expect(within(list).getByText('nightly backup')).toBeTruthy();
    expect(within(list).getByText(/0 of 20 this hour/)).toBeTruthy();
  });

  test('revoke asks first, then removes the program', async () => {
    const { fake } = renderApp({
      accounts: [account()],
      relay: {
        status: relayStatus(),
        programs: [
          relayProgram({
            programName: 'old script',
            lastUsedAt: new Date(Date.now() - 3 * 3600_000).toISOString(),
            messageCount: 7,
          }),
        ],
      },
    });
    goTo('Settings');
    const list = await screen.findByRole('list', { name: 'Programs that may send' });
    expect(within(list).getByText('3 h ago')).toBeTruthy();
    fireEvent.click(within(list).getByRole('button', { name: 'Revoke old script' }));
    fireEvent.click(within(list).getByRole('button', { name: 'Keep' }));
    expect(fake.requests('relay:revokeCredential')).toEqual([]);
    fireEvent.click(within(list).getByRole('button', { name: 'Revoke old script' }));
    fireEvent.click(within(list).getByRole('button', { name: 'Revoke' }));
    await waitFor(() => expect(screen.queryByRole('list', { name: 'Programs that may send' })).toBeNull());
    expect(fake.requests('relay:revokeCredential')).toEqual([{ id: '00000000-0000-4000-8000-000000000001' }]);
    expect(screen.getByText('No program can send through Quicksend yet.')).toBeTruthy();
  });
});
