/** Renders the whole App over a fake bridge, the way main.tsx does over the real one. */
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach } from 'vitest';
import { ApiProvider } from '../../../renderer/src/api';
import { App } from '../../../renderer/src/App';
import { createFakeApi, type FakeApi, type FakeState } from '../../fakes/fake-api';
// The views App loads lazily, compiled ahead, so a test's wait after navigating covers React's
// render rather than Vite transforming the view on a busy machine.
import '../../../renderer/src/views/AccountsView';
import '../../../renderer/src/views/OutboxView';
import '../../../renderer/src/views/SettingsView';

afterEach(() => cleanup());

/** `setup` runs before the first render, e.g. to make a channel answer with an error. */
export function renderApp(initial: Partial<FakeState> = {}, setup?: (fake: FakeApi) => void) {
  const fake = createFakeApi(initial);
  setup?.(fake);
  const result = render(
    <ApiProvider api={fake.api}>
      <App />
    </ApiProvider>,
  );
  return { fake, ...result };
}

/** Clicks a view in the nav. */
export function goTo(name: 'Quick send' | 'Accounts' | 'Outbox' | 'Settings') {
  const nav = screen.getByRole('navigation', { name: 'Views' });
  fireEvent.click(within(nav).getByRole('button', { name: new RegExp(`^${name}`) }));
}
