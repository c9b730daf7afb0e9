/**
 * The toast after Send. During the undo delay it counts down with an Undo button; after that
 * it follows the message through `outbox:changed`: sent, waiting for the network (and when
 * it will be tried), or failed with the reason and the decoder's hint.
 */
import { useEffect } from 'react';
import type { OutboxItem } from '../../../electron/ipc/contract';
import { useNow } from '../hooks/useNow';
import { needsAttention } from '../lib/outbox';
import { clockTime, secondsUntil } from '../lib/time';

export type Sending = { id: string; sendAt: string; seenInOutbox: boolean; queuedOffline: boolean };

type Props = {
  sending: Sending;
  item: OutboxItem | undefined;
  /** False when the outbox cannot be watched (`outbox:list` failed): then "handed over" counts as sent. */
  outboxAvailable: boolean;
  undoing: boolean;
  onUndo(): void;
  onDismiss(): void;
  onOpenOutbox(): void;
};

export function SendStatus({ sending, item, outboxAvailable, undoing, onUndo, onDismiss, onOpenOutbox }: Props) {
  const now = useNow();
  const left = secondsUntil(sending.sendAt, now);
  const inUndoWindow = left > 0 && (!item || item.state === 'waiting') && !undoing;
  const gone = (sending.seenInOutbox || !outboxAvailable) && !item && left === 0;

  // "Sent" needs no action: it fades on its own.
  useEffect(() => {
    if (!gone) return;
    const timer = setTimeout(onDismiss, 4000);
    return () => clearTimeout(timer);
  }, [gone, onDismiss]);

  let body: React.ReactNode;
  let tone = 'info';
  if (undoing) body = <p>Taking it back…</p>;
  else if (inUndoWindow) {
    body = (
      <p>
        {sending.queuedOffline ? 'You are offline. ' : ''}Sending in {left} s
      </p>
    );
  } else if (gone) {
    tone = 'success';
    body = <p>Sent.</p>;
  } else if (item && needsAttention(item.state)) {
    tone = 'error';
    body = (
      <>
        {/* Partly sent: the message itself says who got it and who did not. */}
        <p>
          {item.deliveredTo?.length
            ? item.lastError?.message
            : `Not sent: ${item.lastError?.message ?? 'the account needs you to sign in again.'}`}
        </p>
        {item.lastError?.hint && <p className="hint">{item.lastError.hint}</p>}
      </>
    );
  } else if (item && (item.state === 'retrying' || item.lastError)) {
    body = (
      <>
        <p>
          Waiting to send{item.lastError ? `: ${item.lastError.message}` : '.'}
          {item.nextAttemptAt ? ` Next try at ${clockTime(item.nextAttemptAt, now)}.` : ''}
        </p>
        {item.lastError?.hint && <p className="hint">{item.lastError.hint}</p>}
      </>
    );
  } else if (item?.state === 'paused') body = <p>Queued. Sending is paused; resume it in the Outbox.</p>;
  else if (sending.queuedOffline) body = <p>Queued while offline. It will be sent when you are back online.</p>;
  else body = <p>Sending…</p>;

  return (
    <div className={`toast toast-${tone}`} role="status" aria-live="polite" data-testid="send-status">
      <div className="toast-body">{body}</div>
      <div className="toast-actions">
        {inUndoWindow && (
          <button type="button" className="button button-small" onClick={onUndo} aria-keyshortcuts="Control+Z Meta+Z">
            Undo
          </button>
        )}
        {!inUndoWindow && !gone && !undoing && (
          <button type="button" className="button button-small button-quiet" onClick={onOpenOutbox}>
            Outbox
          </button>
        )}
        <button type="button" className="icon-button" aria-label="Dismiss" onClick={onDismiss}>
          ×
        </button>
      </div>
    </div>
  );
}
