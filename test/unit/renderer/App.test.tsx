import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { expect, test } from 'vitest';
import { goTo, renderApp } from './render';

const shown = (name: string) => !screen.getByRole('heading', { name, hidden: true }).closest('section')!.hidden;

test('the nav marks the current view; each view is a labelled region', async () => {
  renderApp();
  await screen.findByRole('textbox', { name: 'To' });
  expect(screen.getByRole('button', { name: 'Quick send' }).getAttribute('aria-current')).toBe('page');
  goTo('Outbox');
  expect(screen.getByRole('button', { name: 'Outbox' }).getAttribute('aria-current')).toBe('page');
  // Views other than quick send arrive as a chunk on their first visit.
  await waitFor(() => expect(shown('Outbox')).toBe(true));
  expect(shown('Quick send')).toBe(false);
});

test('Ctrl/Cmd+1..4 switch views from anywhere', async () => {
  renderApp();
  await screen.findByRole('textbox', { name: 'To' });
  fireEvent.keyDown(window, { key: '4', ctrlKey: true });
  await waitFor(() => expect(shown('Settings')).toBe(true));
  fireEvent.keyDown(window, { key: '2', metaKey: true });
  await waitFor(() => expect(shown('Accounts')).toBe(true));
  fireEvent.keyDown(window, { key: '1', ctrlKey: true });
  expect(shown('Quick send')).toBe(true);
  expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'To' }));
});

test('main can ask for a view (view:show)', async () => {
  const { fake } = renderApp();
  await screen.findByRole('textbox', { name: 'To' });
  act(() => fake.emit('view:show', { view: 'outbox' }));
  await waitFor(() => expect(shown('Outbox')).toBe(true));
});

test('a half-written message survives switching views', async () => {
  renderApp();
  const subject = await screen.findByRole('textbox', { name: 'Subject' });
  fireEvent.change(subject, { target: { value: 'Still here' } });
  goTo('Settings');
  goTo('Quick send');
  expect((screen.getByRole('textbox', { name: 'Subject' }) as HTMLInputElement).value).toBe('Still here');
});

test('offline is announced', async () => {
  renderApp();
  await screen.findByRole('textbox', { name: 'To' });
  Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });
  act(() => void window.dispatchEvent(new Event('offline')));
  expect(screen.getByText(/You are offline/)).toBeTruthy();
  Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => true });
  act(() => void window.dispatchEvent(new Event('online')));
  expect(screen.queryByText(/You are offline/)).toBeNull();
});

test('listeners are removed on unmount', async () => {
  const { fake, unmount } = renderApp();
  await screen.findByRole('textbox', { name: 'To' });
  expect(fake.listenerCount('outbox:changed')).toBeGreaterThan(0);
  unmount();
  for (const e of ['outbox:changed', 'accounts:changed', 'view:show', 'compose:open', 'signin:progress'] as const)
    expect(fake.listenerCount(e)).toBe(0);
});

test('notices (damaged files moved aside) show as dismissible alerts, listed and live', async () => {
  const { fake } = renderApp({}, (f) =>
    f.override('app:notices', () => ({
      ok: true,
      value: [{ level: 'warning', message: 'Your settings file was damaged.', hint: 'It was kept.' }],
    })),
  );
  const first = await screen.findByText('Your settings file was damaged.');
  expect(first.closest('[role="alert"]')).not.toBeNull();
  act(() => fake.emit('app:notice', { level: 'error', message: 'The outbox had a damaged message.' }));
  expect(screen.getAllByRole('alert')).toHaveLength(2);
  fireEvent.click(within(first.closest('[role="alert"]') as HTMLElement).getByRole('button', { name: 'Dismiss' }));
  expect(screen.queryByText('Your settings file was damaged.')).toBeNull();
  expect(screen.getByText('The outbox had a damaged message.')).toBeTruthy();
});
