/**
 * The message just sent, while its toast shows: where it is in the outbox, and Undo. Undo (the
 * toast's button, or Ctrl/Cmd+Z unless that would undo typing) takes the message back from the
 * outbox and hands it to `onUndone`; Esc dismisses the toast. The composer's own snapshot is put
 * back, with the file ids main hands back (the snapshot's may have expired meanwhile).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ErrorCode, ErrorInfo, OutboxItem } from '../../../electron/ipc/contract';
import { useApi } from '../api';
import type { Sending } from '../components/SendStatus';
import { fromDraft, type ComposeState } from '../lib/compose';
import { settle } from '../lib/errors';

type Options = {
  outboxItems: readonly OutboxItem[];
  /** The message is back (null when neither the composer nor main still had it). */
  onUndone(restored: ComposeState | null): void;
  onError(error: ErrorInfo): void;
};

export type UndoSend = {
  sending: Sending | null;
  /** The sent message in the outbox, once it is there and while it is. */
  item: OutboxItem | undefined;
  undoing: boolean;
  /** `mail:send` took the message `snapshot` as `id`, to be sent at `sendAt`. */
  sent(id: string, sendAt: string, snapshot: ComposeState): void;
  undo(): Promise<void>;
  dismiss(): void;
  /** The message was taken back another way (Write again): its toast must not say "Sent". */
  forget(id: string): void;
};

const TOO_LATE: ErrorInfo = {
  code: 'outbox.too_late' satisfies ErrorCode,
  message: 'Too late to undo: the message is already on its way.',
};

/** Ctrl/Cmd+Z undoes typing while a field holds text; an empty field (the To field right after Send) does not count. */
function isUndoingTyping(event: KeyboardEvent): boolean {
  const target = event.target;
  return (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) && target.value !== '';
}

export function useUndoSend({ outboxItems, onUndone, onError }: Options): UndoSend {
  const api = useApi();
  const [sending, setSending] = useState<Sending | null>(null);
  const [undoing, setUndoing] = useState(false);
  const snapshot = useRef<ComposeState | null>(null);
  const item = sending ? outboxItems.find((i) => i.id === sending.id) : undefined;

  // Once the outbox has shown the message, its leaving the outbox means it was sent.
  useEffect(() => {
    if (sending && item && !sending.seenInOutbox) setSending({ ...sending, seenInOutbox: true });
  }, [sending, item]);

  const sent = useCallback((id: string, sendAt: string, message: ComposeState) => {
    snapshot.current = message;
    setSending({ id, sendAt, seenInOutbox: false, queuedOffline: !navigator.onLine });
  }, []);

  const dismiss = useCallback(() => setSending(null), []);
  const forget = useCallback((id: string) => setSending((s) => (s?.id === id ? null : s)), []);

  const undo = useCallback(async () => {
    if (!sending) return;
    setUndoing(true);
    const result = await settle(() => api.outbox.cancel({ id: sending.id }));
    setUndoing(false);
    if (!result.ok) return onError(result.error);
    if (!result.value.cancelled) return onError(TOO_LATE);
    const fromMain = result.value.draft ? fromDraft(result.value.draft) : null;
    const restored =
      snapshot.current && fromMain
        ? { ...snapshot.current, attachments: fromMain.attachments }
        : (snapshot.current ?? fromMain);
    snapshot.current = null;
    setSending(null);
    onUndone(restored);
  }, [api, sending, onUndone, onError]);

  useEffect(() => {
    if (!sending) return;
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'z' && !isUndoingTyping(event)) {
        event.preventDefault();
        void undo();
      } else if (event.key === 'Escape') setSending(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [sending, undo]);

  return { sending, item, undoing, sent, undo, dismiss, forget };
}
