/**
 * Outbox and history: waiting messages with their next attempt (cancel, retry now, pause or
 * resume the whole queue), failed ones with the reason and hint, and what was sent, latest
 * first. The outbox is live (`outbox:changed`); history reloads whenever the outbox changes.
 * A message the server refused for some recipients shows who got it and, for each refused
 * address, the server's reply; "Write again" (on the failed item, and on its history entry
 * while the outbox keeps the message) puts it back in the composer for just those recipients.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ErrorInfo, HistoryEntry, OutboxItem } from '../../../electron/ipc/contract';
import { useApi } from '../api';
import { useAppData, type Loadable } from '../AppData';
import { ErrorNote } from '../components/ErrorNote';
import { useNow } from '../hooks/useNow';
import { settle } from '../lib/errors';
import { needsAttention } from '../lib/outbox';
import { formatBytes } from '../../../electron/mail/message-rules';
import { clockTime, relativeTime } from '../lib/time';

const stateText: Record<OutboxItem['state'], string> = {
  waiting: 'Waiting',
  sending: 'Sending…',
  retrying: 'Will retry',
  'needs-sign-in': 'Needs sign-in',
  'untrusted-server': 'Server not trusted',
  failed: 'Failed',
  paused: 'Paused',
};

function recipientsLine(to: readonly string[]): string {
  if (!to.length) return '(no recipients)';
  return to.length > 2 ? `${to.slice(0, 2).join(', ')} +${to.length - 2}` : to.join(', ');
}

function OutboxRow({
  item,
  now,
  onError,
  onWriteAgain,
}: {
  item: OutboxItem;
  now: number;
  onError(error: ErrorInfo): void;
  onWriteAgain?(id: string): void;
}) {
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const act = async (call: () => Promise<{ ok: boolean; error?: ErrorInfo }>) => {
    setBusy(true);
    const result = await call();
    setBusy(false);
    if (!result.ok && result.error) onError(result.error);
  };
  const failed = needsAttention(item.state);
  const when =
    item.state === 'sending'
      ? 'Sending now'
      : item.nextAttemptAt
        ? `${item.attempts ? 'Next try' : 'Sends'} ${relativeTime(item.nextAttemptAt, now)} (${clockTime(item.nextAttemptAt, now)})`
        : '';
  return (
    <li className={failed ? 'message-row message-failed' : 'message-row'}>
      <div className="message-head">
        <span className="message-subject">{item.subject || '(no subject)'}</span>
        <span className={`state state-${item.state}`}>
          {item.state === 'failed' && item.deliveredTo?.length ? 'Partly sent' : stateText[item.state]}
        </span>
      </div>
      <p className="muted small">
        To {recipientsLine([...item.to, ...item.cc, ...item.bcc])} · {formatBytes(item.sizeBytes)}
        {item.attachmentNames.length
          ? ` · ${item.attachmentNames.length} ${item.attachmentNames.length === 1 ? 'file' : 'files'}`
          : ''}
        {item.via ? ` · from “${item.via.program}”` : ''}
      </p>
      {item.deliveredTo && item.deliveredTo.length > 0 && (
        <p className="small">Already sent to {recipientsLine(item.deliveredTo)}.</p>
      )}
      {when && !failed && (
        <p className="small">
          {when}
          {item.attempts ? ` · ${item.attempts} ${item.attempts === 1 ? 'attempt' : 'attempts'} so far` : ''}
        </p>
      )}
      {item.lastError && (
        <div className={failed ? 'note note-error' : 'note'}>
          <p>{item.lastError.message}</p>
          {item.lastError.hint && <p className="hint">{item.lastError.hint}</p>}
        </div>
      )}
      <div className="actions">
        {item.state === 'failed' && onWriteAgain && !item.via && (
          <button
            type="button"
            className="button button-small"
            disabled={busy}
            onClick={() => onWriteAgain(item.id)}
            aria-label={`Write again: ${item.subject || 'no subject'}`}
          >
            Write again
          </button>
        )}
        {item.state !== 'sending' && (
          <button
            type="button"
            className="button button-small"
            disabled={busy}
            onClick={() => void act(() => settle(() => api.outbox.retryNow({ id: item.id })))}
            aria-label={`${failed ? 'Retry' : 'Send now'}: ${item.subject || 'no subject'}`}
          >
            {failed ? 'Retry' : 'Send now'}
          </button>
        )}
        <button
          type="button"
          className="button button-small button-quiet"
          disabled={busy || item.state === 'sending'}
          onClick={() => void act(() => settle(() => api.outbox.cancel({ id: item.id })))}
          aria-label={`${failed ? 'Discard' : 'Cancel'}: ${item.subject || 'no subject'}`}
        >
          {failed ? 'Discard' : 'Cancel'}
        </button>
      </div>
    </li>
  );
}

/** `kept`: the outbox still holds this message (failed), so it can be written again in one step. */
function HistoryRow({
  entry,
  now,
  kept,
  onWriteAgain,
}: {
  entry: HistoryEntry;
  now: number;
  kept: boolean;
  onWriteAgain?(id: string): void;
}) {
  const refused = entry.refused ?? [];
  const partly = entry.outcome === 'sent' && refused.length > 0;
  const outcome = entry.outcome === 'sent' ? 'Sent' : entry.outcome === 'failed' ? 'Failed' : 'Cancelled';
  const who = refused.length === 1 ? refused[0]!.address : `the ${refused.length} refused recipients`;
  return (
    <li className="history-row">
      <div className="message-head">
        <span className="message-subject">{entry.subject || '(no subject)'}</span>
        <span className="muted small">{clockTime(entry.time, now)}</span>
      </div>
      <p className="muted small">
        {partly
          ? `Sent to ${entry.to.length - refused.length} of ${entry.to.length} recipients`
          : `${outcome} to ${recipientsLine(entry.to)}`}{' '}
        from {entry.from}
        {entry.via ? ` · from “${entry.via.program}”` : ''}
      </p>
      {refused.length > 0 ? (
        <ul className="small field-error refused-list" aria-label={`Not delivered: ${entry.subject || 'no subject'}`}>
          {refused.map((r) => (
            <li key={r.address}>
              Not delivered to {r.address}: the server said “{r.reply}”.
            </li>
          ))}
        </ul>
      ) : (
        entry.error && (
          <p className="small field-error">
            {entry.error.message}
            {entry.error.hint ? ` ${entry.error.hint}` : ''}
          </p>
        )
      )}
      {kept && onWriteAgain && !entry.via && (
        <div className="actions">
          <button
            type="button"
            className="button button-small"
            onClick={() => onWriteAgain(entry.id)}
            aria-label={`Write again to ${who}: ${entry.subject || 'no subject'}`}
          >
            Write again to {who}
          </button>
        </div>
      )}
    </li>
  );
}

/** `onWriteAgain`: takes a failed message out of the outbox into the composer (App wires it). */
export function OutboxView({ active, onWriteAgain }: { active: boolean; onWriteAgain?(id: string): void }) {
  const api = useApi();
  const { outbox } = useAppData();
  const now = useNow(active);
  const [history, setHistory] = useState<Loadable<HistoryEntry[]>>({ status: 'loading' });
  const [error, setError] = useState<ErrorInfo | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  const loadHistory = useCallback(async () => {
    const result = await settle(() => api.history.list({ limit: 100 }));
    setHistory(
      result.ok
        ? { status: 'ready', value: [...result.value].sort((a, b) => b.time.localeCompare(a.time)) }
        : { status: 'error', error: result.error },
    );
  }, [api]);
  useEffect(() => {
    if (active) void loadHistory();
  }, [active, loadHistory, outbox]);
  useEffect(() => {
    if (active) heading.current?.focus();
  }, [active]);

  const items = outbox.status === 'ready' ? outbox.value.items : [];
  const paused = outbox.status === 'ready' && outbox.value.paused;
  const waiting = items.filter((i) => !needsAttention(i.state));
  const failed = items.filter((i) => needsAttention(i.state));

  const togglePause = async () => {
    const result = await settle(() => (paused ? api.outbox.resume() : api.outbox.pause()));
    if (!result.ok) setError(result.error);
  };

  return (
    <section className="view" aria-labelledby="outbox-heading" hidden={!active}>
      <div className="view-header">
        <h2 id="outbox-heading" ref={heading} tabIndex={-1}>
          Outbox
        </h2>
        {outbox.status === 'ready' && (
          <button
            type="button"
            className="button button-small"
            aria-pressed={paused}
            onClick={() => void togglePause()}
          >
            {paused ? 'Resume sending' : 'Pause sending'}
          </button>
        )}
      </div>
      {error && <ErrorNote error={error} />}
      {paused && (
        <p className="note" role="status">
          Sending is paused. Messages wait here until you resume.
        </p>
      )}
      {outbox.status === 'loading' && <p>Loading the outbox…</p>}
      {outbox.status === 'error' && <ErrorNote error={outbox.error} />}
      {outbox.status === 'ready' && (
        <>
          {failed.length > 0 && (
            <>
              <h3>Not sent</h3>
              <ul className="message-list" aria-label="Not sent">
                {failed.map((item) => (
                  <OutboxRow key={item.id} item={item} now={now} onError={setError} onWriteAgain={onWriteAgain} />
                ))}
              </ul>
            </>
          )}
          <h3>Waiting</h3>
          {waiting.length ? (
            <ul className="message-list" aria-label="Waiting">
              {waiting.map((item) => (
                <OutboxRow key={item.id} item={item} now={now} onError={setError} />
              ))}
            </ul>
          ) : (
            <p className="muted" data-testid="outbox-empty">
              Nothing waiting to be sent.
            </p>
          )}
        </>
      )}
      <h3>Sent</h3>
      {history.status === 'loading' && <p className="muted">Loading…</p>}
      {history.status === 'error' && <ErrorNote error={history.error} />}
      {history.status === 'ready' &&
        (history.value.length ? (
          <ul className="message-list" aria-label="Sent">
            {history.value.map((entry) => (
              <HistoryRow
                key={entry.id}
                entry={entry}
                now={now}
                kept={items.some((i) => i.id === entry.id && i.state === 'failed')}
                onWriteAgain={onWriteAgain}
              />
            ))}
          </ul>
        ) : (
          <p className="muted">Nothing sent yet.</p>
        ))}
    </section>
  );
}
