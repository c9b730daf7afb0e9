import { act, cleanup, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { useFileDrop } from '../../../../renderer/src/hooks/useFileDrop';

afterEach(() => cleanup());

/** A drag event on the window, carrying files or only text. */
function drag(type: string, carries: 'files' | 'text', files: File[] = []): Event {
  const event = new Event(type, { bubbles: true, cancelable: true });
  Object.defineProperty(event, 'dataTransfer', {
    value: { types: carries === 'files' ? ['Files'] : ['text/plain'], files, dropEffect: 'none' },
  });
  act(() => void window.dispatchEvent(event));
  return event;
}

describe('useFileDrop', () => {
  test('dragging lasts until the files leave the window, across the elements they cross', () => {
    const { result } = renderHook(() => useFileDrop(vi.fn()));
    drag('dragenter', 'files');
    drag('dragenter', 'files'); // into a child element
    expect(result.current).toBe(true);
    drag('dragleave', 'files'); // out of the child, still over the window
    expect(result.current).toBe(true);
    drag('dragleave', 'files');
    expect(result.current).toBe(false);
  });

  test('a drop hands over the files and is taken from Chromium; text drags are left alone', () => {
    const onDrop = vi.fn();
    const { result } = renderHook(() => useFileDrop(onDrop));
    const files = [new File(['x'], 'a.txt'), new File(['y'], 'b.txt')];
    expect(drag('dragover', 'files').defaultPrevented).toBe(true);
    drag('dragenter', 'files');
    expect(drag('drop', 'files', files).defaultPrevented).toBe(true);
    expect(onDrop).toHaveBeenCalledWith(files);
    expect(result.current).toBe(false);
    expect(drag('dragenter', 'text').defaultPrevented).toBe(false);
    expect(drag('drop', 'text').defaultPrevented).toBe(false);
    expect(result.current).toBe(false);
    expect(onDrop).toHaveBeenCalledTimes(1);
  });

  test('listens once for the window, and a new callback is the one a drop reaches', () => {
    const adds = vi.spyOn(window, 'addEventListener');
    const first = vi.fn();
    const second = vi.fn();
    const { rerender, unmount } = renderHook(({ onDrop }) => useFileDrop(onDrop), { initialProps: { onDrop: first } });
    rerender({ onDrop: second });
    rerender({ onDrop: second });
    expect(adds.mock.calls.filter(([type]) => type === 'drop')).toHaveLength(1);
    drag('drop', 'files', [new File(['x'], 'a.txt')]);
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledTimes(1);
    unmount();
    drag('drop', 'files', [new File(['x'], 'a.txt')]);
    expect(second).toHaveBeenCalledTimes(1);
    adds.mockRestore();
  });
});
