import { act, waitFor } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { useKnownAddresses } from '../../../../renderer/src/hooks/useKnownAddresses';
import { historyEntry, outboxItem } from '../../../fakes/fake-api';
import { renderWithApi } from './wrapper';

describe('useKnownAddresses', () => {
  test('history and the outbox, without the addresses a server refused', async () => {
    const items = [
      outboxItem({
        id: 'm1',
        to: ['Dan <dan@example.org>', 'bert@exmaple.org'],
        cc: ['cleo@example.org'],
        refused: [{ address: 'bert@exmaple.org', reply: '550 5.1.1 User unknown' }],
      }),
    ];
    const { result } = renderWithApi(() => useKnownAddresses(items), {
      initial: {
        history: [
          historyEntry({
            id: 'h1',
            to: ['Bob <bob@exmaple.org>', 'bella@example.org'],
            refused: [{ address: 'BOB@exmaple.org', reply: '550 5.1.1 User unknown' }],
          }),
        ],
      },
    });
    await waitFor(() =>
      expect(result.current.addresses).toEqual(['bella@example.org', 'Dan <dan@example.org>', 'cleo@example.org']),
    );
  });

  test('reload reads history again, as after a send', async () => {
    const { result, fake } = renderWithApi(() => useKnownAddresses([]));
    await waitFor(() => expect(fake.requests('history:list')).toHaveLength(1));
    fake.state.history = [historyEntry({ id: 'h2', to: ['new@example.org'] })];
    act(() => result.current.reload());
    await waitFor(() => expect(result.current.addresses).toEqual(['new@example.org']));
    expect(fake.requests('history:list')).toEqual([{ limit: 200 }, { limit: 200 }]);
  });
});
