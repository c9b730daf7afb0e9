import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { account, fail } from '../../fakes/fake-api';
import { goTo, renderApp } from './render';

describe('settings', () => {
  test('shows current values, saves each change, and says so', async () => {
    const { fake } = renderApp({ accounts: [account()] });
    goTo('Settings');
    const undo = (await screen.findByRole('combobox', { name: 'Undo delay' })) as HTMLSelectElement;
    expect(undo.value).toBe('5');
    // The view moves focus in an effect, which React may run just after the DOM is in place.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Settings' })));
    fireEvent.change(undo, { target: { value: '10' } });
    expect(await screen.findByText('Saved')).toBeTruthy();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Start Quicksend when I log in' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Open email links (mailto:) in Quicksend' }));
    fireEvent.change(screen.getByRole('combobox', { name: 'Default account' }), { target: { value: 'acc-1' } });
    await waitFor(() =>
      expect(fake.requests('settings:set')).toEqual([
        { undoDelaySeconds: 10 },
        { startAtLogin: true },
        { mailtoHandler: true },
        { defaultAccountId: 'acc-1' },
      ]),
    );
    await waitFor(() =>
      expect(fake.state.settings).toMatchObject({
        undoDelaySeconds: 10,
        startAtLogin: true,
        mailtoHandler: true,
        defaultAccountId: 'acc-1',
      }),
    );
  });

  test('a refused value is explained next to its control', async () => {
    const { fake } = renderApp();
    fake.override('settings:set', () =>
      fail('settings.invalid', 'Another app already uses that shortcut.', 'Pick a different one.'),
    );
    goTo('Settings');
    const shortcut = await screen.findByRole('textbox', { name: 'Global shortcut' });
    expect((shortcut as HTMLInputElement).value).toBe('Ctrl+Shift+M');
    fireEvent.keyDown(shortcut, { key: 'k', code: 'KeyK', ctrlKey: true, altKey: true });
    await waitFor(() => expect(fake.requests('settings:set')).toEqual([{ globalShortcut: 'CommandOrControl+Alt+K' }]));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Another app already uses that shortcut. Pick a different one.',
    );
  });

  test('Tab still leaves the shortcut field', async () => {
    const { fake } = renderApp();
    goTo('Settings');
    const shortcut = await screen.findByRole('textbox', { name: 'Global shortcut' });
    const event = fireEvent.keyDown(shortcut, { key: 'Tab', code: 'Tab' });
    expect(event).toBe(true);
    expect(fake.requests('settings:set')).toEqual([]);
  });

  test('weak-storage consent appears on Linux only, explained for basic_text', async () => {
    renderApp({
      info: {
        name: 'Quicksend',
        version: '1.0.0',
        platform: 'linux',
        development: false,
        dataDirectory: 'ready',
        keyStore: 'basic_text',
      },
    });
    goTo('Settings');
    expect(await screen.findByRole('checkbox', { name: 'Keep sign-ins without a key store' })).toBeTruthy();
    expect(screen.getByText(/offers no key store/)).toBeTruthy();
  });

  test('no weak-storage consent on macOS; the version is shown', async () => {
    renderApp({
      info: {
        name: 'Quicksend',
        version: '2.3.4',
        platform: 'darwin',
        development: false,
        dataDirectory: 'ready',
        keyStore: 'darwin',
      },
    });
    goTo('Settings');
    await screen.findByRole('combobox', { name: 'Undo delay' });
    expect(screen.queryByRole('checkbox', { name: 'Keep sign-ins without a key store' })).toBeNull();
    expect(screen.getByText('Quicksend v2.3.4')).toBeTruthy();
  });

  test('export diagnostics says where the file went', async () => {
    const { fake } = renderApp();
    goTo('Settings');
    fireEvent.click(await screen.findByRole('button', { name: 'Export diagnostics' }));
    expect((await screen.findByText(/Saved 42 log lines to/)).textContent).toContain(
      '/home/ada/.config/Quicksend/quicksend-diagnostics.json',
    );
    fake.override('diagnostics:export', () => fail('internal', 'Something went wrong inside Quicksend.'));
    fireEvent.click(screen.getByRole('button', { name: 'Export diagnostics' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Something went wrong inside Quicksend.');
  });
});
