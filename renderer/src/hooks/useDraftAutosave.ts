/**
 * The composer's draft, so nothing typed is lost when the window closes: restored once when the
 * view opens (unless something was put in the composer first, such as a mailto: link), then
 * saved a moment after the last change and once more when the window goes away. Only a draft
 * that differs from the last one saved is sent to main.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '../api';
import { fromDraft, isEmpty, toDraft, type ComposeState } from '../lib/compose';
import { settle } from '../lib/errors';

export const DRAFT_DELAY_MS = 600;

type Options = {
  /** The composer as rendered: a change (re)starts the delay. */
  state: ComposeState;
  /** The composer right now, for a save that runs outside a render (the delay, closing the window). */
  current(): ComposeState;
  /** Puts a restored draft into the composer. */
  onRestore(state: ComposeState): void;
  delayMs?: number;
};

export type DraftAutosave = {
  /** "Draft saved", "Draft not saved", or nothing, for the composer's quiet status line. */
  note: string;
  /** The message went out: the draft is deleted now, not after the delay. */
  discard(): void;
};

export function useDraftAutosave({ state, current, onRestore, delayMs = DRAFT_DELAY_MS }: Options): DraftAutosave {
  const api = useApi();
  const [loaded, setLoaded] = useState(false);
  const [note, setNote] = useState('');
  // The last draft main has, serialised, so unchanged drafts are not saved again.
  const lastSaved = useRef('null');

  useEffect(() => {
    let live = true;
    void settle(() => api.drafts.get()).then((result) => {
      if (!live) return;
      if (result.ok && result.value && isEmpty(current())) {
        lastSaved.current = JSON.stringify(result.value);
        onRestore(fromDraft(result.value));
      }
      setLoaded(true);
    });
    return () => {
      live = false;
    };
  }, [api, current, onRestore]);

  const save = useCallback(async () => {
    const now = current();
    const draft = isEmpty(now) ? null : toDraft(now);
    const serial = JSON.stringify(draft);
    if (serial === lastSaved.current) return;
    lastSaved.current = serial;
    const result = await settle(() => api.drafts.save({ draft }));
    if (result.ok) setNote(draft ? 'Draft saved' : '');
    else setNote('Draft not saved');
  }, [api, current]);

  // Saving waits for the restore, or an empty composer would overwrite the saved draft.
  useEffect(() => {
    if (!loaded) return;
    const timer = setTimeout(() => void save(), delayMs);
    return () => clearTimeout(timer);
  }, [state, loaded, save, delayMs]);

  // Closing the window must not lose the last keystrokes.
  useEffect(() => {
    if (!loaded) return;
    const flush = () => void save();
    window.addEventListener('pagehide', flush);
    return () => window.removeEventListener('pagehide', flush);
  }, [loaded, save]);

  const discard = useCallback(() => {
    lastSaved.current = 'null';
    setNote('');
    void settle(() => api.drafts.save({ draft: null }));
  }, [api]);

  return { note, discard };
}
