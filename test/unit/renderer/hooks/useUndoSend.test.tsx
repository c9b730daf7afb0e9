import { act, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { ErrorInfo, OutboxItem } from '../../../../electron/ipc/contract';
import { useUndoSend } from '../../../../renderer/src/hooks/useUndoSend';
import { emptyCompose, type ComposeState } from '../../../../renderer/src/lib/compose';
import { parseRecipients } from '../../../../renderer/src/lib/recipients';
import { fail, fakeFileId, ok, outboxItem, type FakeApi } from '../../../fakes/fake-api';
import { renderWithApi } from './wrapper';

const snapshot: ComposeState = {
  ...emptyCompose,
  accountId: 'acc-1',
  to: parseRecipients('bob@example.com'),
  cc: parseRecipients('carol@example.com'),
  subject: 'Oops',
  text: 'Not yet',
  attachments: [{ fileId: fakeFileId(), name: 'plan.pdf', sizeBytes: 1000 }],
};
const inAMinute = () => new Date(Date.now() + 60_000).toISOString();

function undoSend(setup?: (fake: FakeApi) => void) {
  const onUndone = vi.fn<(restored: ComposeState | null) => void>();
  const onError = vi.fn<(error: ErrorInfo) => void>();
  const noItems: OutboxItem[] = [];
  const rendered = renderWithApi(
    ({ items }: { items: OutboxItem[] }) => useUndoSend({ outboxItems: items, onUndone, onError }),
    { setup, initialProps: { items: noItems } },
  );
  return { ...rendered, onUndone, onError };
}

/** Presses a key with the focus in `target` (an input holding `value`), or on the page. */
function press(key: string, modifiers: { ctrlKey?: boolean; metaKey?: boolean } = {}, value?: string): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...modifiers });
  if (value === undefined) act(() => void window.dispatchEvent(event));
  else {
    const input = document.body.appendChild(document.createElement('input'));
    input.value = value;
    act(() => void input.dispatchEvent(event));
    input.remove();
  }
  return event;
}

afterEach(() => vi.restoreAllMocks());

describe('useUndoSend', () => {
  test('Undo puts back what was sent, with the file ids main hands back', async () => {
    const again = { fileId: fakeFileId(), name: 'plan.pdf', sizeBytes: 1000 };
    const { result, fake, onUndone } = undoSend((f) =>
      f.override('outbox:cancel', () =>
        ok({
          cancelled: true,
          draft: {
            accountId: 'acc-1',
            to: ['bob@example.com'],
            cc: [],
            bcc: [],
            subject: 'Oops',
            text: 'Not yet',
            attachments: [again],
          },
        }),
      ),
    );
    act(() => result.current.sent('m1', inAMinute(), snapshot));
    expect(result.current.sending).toMatchObject({ id: 'm1', seenInOutbox: false });
    await act(() => result.current.undo());
    expect(fake.requests('outbox:cancel')).toEqual([{ id: 'm1' }]);
    expect(onUndone).toHaveBeenCalledWith({ ...snapshot, attachments: [again] });
    expect(result.current.sending).toBeNull();
    expect(result.current.undoing).toBe(false);
  });

  test('too late, or a failure, is an error and the toast stays', async () => {
    let answer = ok({ cancelled: false, draft: null });
    const { result, onUndone, onError } = undoSend((f) => f.override('outbox:cancel', () => answer));
    act(() => result.current.sent('m1', inAMinute(), snapshot));
    await act(() => result.current.undo());
    expect(onError).toHaveBeenLastCalledWith({
      code: 'outbox.too_late',
      message: 'Too late to undo: the message is already on its way.',
    });
    answer = fail('outbox.too_late', 'The outbox is busy.');
    await act(() => result.current.undo());
    expect(onError).toHaveBeenLastCalledWith({ code: 'outbox.too_late', message: 'The outbox is busy.' });
    expect(onUndone).not.toHaveBeenCalled();
    expect(result.current.sending).toMatchObject({ id: 'm1' });
  });

  test('Ctrl/Cmd+Z undoes unless it would undo typing; Esc dismisses', async () => {
    const { result, fake } = undoSend((f) => f.override('outbox:cancel', () => ok({ cancelled: true, draft: null })));
    act(() => result.current.sent('m1', inAMinute(), snapshot));
    expect(press('z', { ctrlKey: true }, 'typed').defaultPrevented).toBe(false);
    expect(fake.requests('outbox:cancel')).toEqual([]);
    expect(press('z', { metaKey: true }, '').defaultPrevented).toBe(true);
    await waitFor(() => expect(result.current.sending).toBeNull());
    expect(fake.requests('outbox:cancel')).toEqual([{ id: 'm1' }]);

    act(() => result.current.sent('m2', inAMinute(), snapshot));
    press('Escape');
    expect(result.current.sending).toBeNull();
    expect(fake.requests('outbox:cancel')).toHaveLength(1);
  });

  test('listens for keys only while a toast shows, and once, not at every render', () => {
    const adds = vi.spyOn(window, 'addEventListener');
    const removes = vi.spyOn(window, 'removeEventListener');
    const keydowns = (spy: typeof adds) => spy.mock.calls.filter(([type]) => type === 'keydown').length;
    const { result, rerender, fake } = undoSend();
    expect(keydowns(adds)).toBe(0);
    act(() => result.current.sent('m1', inAMinute(), snapshot));
    for (let i = 0; i < 5; i += 1) rerender({ items: [outboxItem({ id: `other-${i}` })] });
    expect(keydowns(adds)).toBe(1);
    act(() => result.current.dismiss());
    expect(keydowns(removes)).toBe(1);
    press('z', { ctrlKey: true });
    expect(fake.requests('outbox:cancel')).toEqual([]);
  });

  test('the toast knows once the outbox has had the message, and forgets only the message taken back', () => {
    const { result, rerender } = undoSend();
    act(() => result.current.sent('m1', inAMinute(), snapshot));
    const item = outboxItem({ id: 'm1' });
    rerender({ items: [item] });
    expect(result.current.item).toBe(item);
    expect(result.current.sending?.seenInOutbox).toBe(true);
    rerender({ items: [] });
    expect(result.current.sending?.seenInOutbox).toBe(true);
    act(() => result.current.forget('m2'));
    expect(result.current.sending?.id).toBe('m1');
    act(() => result.current.forget('m1'));
    expect(result.current.sending).toBeNull();
  });
});
