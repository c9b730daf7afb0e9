/**
 * The message being written. `state` drives rendering; `current()` is the truth for code that
 * runs in the same event as an edit (Ctrl+Enter right after a recipient chip is committed, before
 * React has rendered it) or outside a render (a delayed draft save).
 */
import { useCallback, useRef, useState } from 'react';
import { emptyCompose, type ComposeState } from '../lib/compose';

export type ComposeStateHandle = {
  state: ComposeState;
  current(): ComposeState;
  update(change: (current: ComposeState) => ComposeState): void;
};

export function useComposeState(): ComposeStateHandle {
  const [state, setState] = useState<ComposeState>(emptyCompose);
  const ref = useRef(state);
  const current = useCallback(() => ref.current, []);
  const update = useCallback((change: (current: ComposeState) => ComposeState) => {
    ref.current = change(ref.current);
    setState(ref.current);
  }, []);
  return { state, current, update };
}
