import { act } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { useComposeState } from '../../../../renderer/src/hooks/useComposeState';
import { DRAFT_DELAY_MS, useDraftAutosave } from '../../../../renderer/src/hooks/useDraftAutosave';
import { fail } from '../../../fakes/fake-api';
import type { FakeApi, FakeState } from '../../../fakes/fake-api';
import { renderWithApi } from './wrapper';

const saved = {
  accountId: 'acc-1',
  to: ['Bob <bob@example.com>'],
  cc: [],
  bcc: ['boss@example.com'],
  subject: 'Later',
  text: 'Half-written',
  attachments: [],
};

/** The hook as the composer uses it: over a real message state that restores into it. */
function composer(initial: Partial<FakeState> = {}, setup?: (fake: FakeApi) => void) {
  return renderWithApi(
    () => {
      const message = useComposeState();
      const draft = useDraftAutosave({
        state: message.state,
        current: message.current,
        onRestore: (s) => message.update(() => s),
      });
      return { ...message, draft };
    },
    { initial, setup },
  );
}

/** Lets timers up to `ms` fire and the fake bridge's answers arrive. */
const pass = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms));

beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }));
afterEach(() => vi.useRealTimers());

describe('useDraftAutosave', () => {
  test('restores the saved draft into an empty composer, and does not save it straight back', async () => {
    const { result, fake } = composer({ draft: saved });
    await pass(0);
    expect(result.current.state.text).toBe('Half-written');
    expect(result.current.state.bcc.map((r) => r.address)).toEqual(['boss@example.com']);
    await pass(DRAFT_DELAY_MS * 2);
    expect(fake.requests('drafts:save')).toEqual([]);
  });

  test('restores nothing over a message that arrived first (a mailto: link)', async () => {
    const { result, fake } = composer({ draft: saved });
    act(() => result.current.update((s) => ({ ...s, subject: 'From a link' })));
    await pass(0);
    await pass(DRAFT_DELAY_MS);
    expect(result.current.state.subject).toBe('From a link');
    expect(result.current.state.text).toBe('');
    expect(fake.requests('drafts:save')).toEqual([
      { draft: expect.objectContaining({ subject: 'From a link', text: '' }) },
    ]);
  });

  test('saves once, the delay after the last change, with what was typed last', async () => {
    const { result, fake } = composer();
    await pass(0);
    for (const text of ['H', 'He', 'Hel', 'Hello']) {
      act(() => result.current.update((s) => ({ ...s, text })));
      await pass(DRAFT_DELAY_MS - 100);
    }
    expect(fake.requests('drafts:save')).toEqual([]);
    await pass(100);
    expect(fake.requests('drafts:save')).toEqual([{ draft: expect.objectContaining({ text: 'Hello' }) }]);
    expect(result.current.draft.note).toBe('Draft saved');
  });

  test('closing the window saves at once', async () => {
    const { result, fake } = composer();
    await pass(0);
    act(() => result.current.update((s) => ({ ...s, text: 'Last words' })));
    act(() => void window.dispatchEvent(new Event('pagehide')));
    await pass(0);
    expect(fake.state.draft?.text).toBe('Last words');
  });

  test('a save that failed says so', async () => {
    const failing = composer({}, (fake) =>
      fake.override('drafts:save', () => fail('mail.storage_unwritable', 'The disk is full.')),
    );
    await pass(0);
    act(() => failing.result.current.update((s) => ({ ...s, text: 'x' })));
    await pass(DRAFT_DELAY_MS);
    expect(failing.result.current.draft.note).toBe('Draft not saved');
  });

  test('discard deletes the draft at once, and the emptied composer is not saved again', async () => {
    const { result, fake } = composer();
    await pass(0);
    act(() => result.current.update((s) => ({ ...s, text: 'Sent soon' })));
    await pass(DRAFT_DELAY_MS);
    act(() => {
      result.current.draft.discard();
      result.current.update((s) => ({ ...s, text: '' }));
    });
    await pass(DRAFT_DELAY_MS * 2);
    expect(fake.requests('drafts:save')).toEqual([
      { draft: expect.objectContaining({ text: 'Sent soon' }) },
      { draft: null },
    ]);
    expect(fake.state.draft).toBeNull();
    expect(result.current.draft.note).toBe('');
  });
});
