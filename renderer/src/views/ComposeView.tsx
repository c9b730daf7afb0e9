/**
 * Quick send: From, To/Cc/Bcc chips, subject, plain text, attachments (drop anywhere on the
 * window or Attach…), Ctrl/Cmd+Enter to send, an Undo toast for the undo delay, and a draft
 * saved as you type so nothing is lost when the window closes. The rules (validation, sizes)
 * live in lib/compose.ts; this component wires them to the bridge and the keyboard.
 * "Write again" takes a failed message out of the outbox (`outbox:cancel` hands it back with
 * only the recipients who do not have it) and puts it here, asking first if it would replace
 * a message being written.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { ComposeRequest, ErrorInfo, FileInfo, RefusedRecipient, Result } from '../../../electron/ipc/contract';
import { useApi } from '../api';
import { useAppData, valueOr } from '../AppData';
import { AttachmentList } from '../components/AttachmentList';
import { ErrorNote } from '../components/ErrorNote';
import { Icon } from '../components/Icon';
import type { ViewId } from '../components/Nav';
import { RecipientField } from '../components/RecipientField';
import { SendStatus, type Sending } from '../components/SendStatus';
import { addAttachments, emptyCompose, fromDraft, isEmpty, messageSize, pickAccount, toDraft, validate, type ComposeState, type Field } from '../lib/compose';
import { isNotAvailable, settle } from '../lib/errors';
import { formatRecipient, mergeRecipients, recipientsFromStrings } from '../lib/recipients';

export type ComposeRequestEnvelope = { nonce: number; value: ComposeRequest };
/** Put the failed outbox message `id` back in the composer. */
export type WriteAgainRequest = { nonce: number; id: string };

type Props = {
  active: boolean;
  request: ComposeRequestEnvelope | null;
  writeAgain?: WriteAgainRequest | null;
  onNavigate(view: ViewId): void;
};

const DRAFT_DELAY_MS = 600;

/** A refused address (often a typo) is not worth suggesting again. */
function withoutRefused(addresses: string[], refused: readonly RefusedRecipient[]): string[] {
  if (!refused.length) return addresses;
  const gone = new Set(refused.map((r) => r.address.toLowerCase()));
  return addresses.filter((entry) => !recipientsFromStrings([entry]).some((r) => gone.has(r.address.toLowerCase())));
}
const isMac = () => /Mac|iPhone|iPad/.test(navigator.platform);

export function ComposeView({ active, request, writeAgain = null, onNavigate }: Props) {
  const api = useApi();
  const { accounts, providers, settings, outbox } = useAppData();
  const accountList = useMemo(() => valueOr(accounts, []), [accounts]);

  // The ref is the truth for handlers that run in the same event as an edit (Ctrl+Enter right
  // after a recipient chip is committed); state drives rendering.
  const [state, setState] = useState<ComposeState>(emptyCompose);
  const stateRef = useRef(state);
  const update = useCallback((change: (current: ComposeState) => ComposeState) => {
    stateRef.current = change(stateRef.current);
    setState(stateRef.current);
  }, []);

  const [showErrors, setShowErrors] = useState(false);
  const [confirmNoSubject, setConfirmNoSubject] = useState(false);
  const [showCopies, setShowCopies] = useState(false);
  const [sendError, setSendError] = useState<ErrorInfo | null>(null);
  const [busy, setBusy] = useState(false);
  const [sending, setSending] = useState<Sending | null>(null);
  const [undoing, setUndoing] = useState(false);
  const [fileNotes, setFileNotes] = useState<string[]>([]);
  const [dragging, setDragging] = useState(false);
  const [draftLoaded, setDraftLoaded] = useState(false);
  const [draftNote, setDraftNote] = useState('');
  const [known, setKnown] = useState<string[]>([]);
  const [replacing, setReplacing] = useState<string | null>(null);
  const snapshot = useRef<ComposeState | null>(null);
  const lastSaved = useRef('null');

  const toInput = useRef<HTMLInputElement>(null);
  const subjectInput = useRef<HTMLInputElement>(null);
  const bodyInput = useRef<HTMLTextAreaElement>(null);
  const fromSelect = useRef<HTMLSelectElement>(null);
  const attachButton = useRef<HTMLButtonElement>(null);

  // ---- draft: restore once, then save (debounced) whenever the message changes ----------
  useEffect(() => {
    let live = true;
    void settle(() => api.drafts.get()).then((result) => {
      if (!live) return;
      if (result.ok && result.value && isEmpty(stateRef.current)) {
        update(() => fromDraft(result.value!));
        lastSaved.current = JSON.stringify(result.value);
        if (result.value.cc.length || result.value.bcc.length) setShowCopies(true);
      }
      setDraftLoaded(true);
    });
    return () => {
      live = false;
    };
  }, [api, update]);

  const saveDraft = useCallback(async () => {
    const draft = isEmpty(stateRef.current) ? null : toDraft(stateRef.current);
    const serial = JSON.stringify(draft);
    if (serial === lastSaved.current) return;
    lastSaved.current = serial;
    const result = await settle(() => api.drafts.save({ draft }));
    if (result.ok) setDraftNote(draft ? 'Draft saved' : '');
    else if (!isNotAvailable(result.error)) setDraftNote('Draft not saved');
  }, [api]);

  useEffect(() => {
    if (!draftLoaded) return;
    const timer = setTimeout(() => void saveDraft(), DRAFT_DELAY_MS);
    return () => clearTimeout(timer);
  }, [state, draftLoaded, saveDraft]);

  // Closing the window must not lose the last keystrokes.
  useEffect(() => {
    const flush = () => draftLoaded && void saveDraft();
    window.addEventListener('pagehide', flush);
    return () => window.removeEventListener('pagehide', flush);
  }, [draftLoaded, saveDraft]);

  // ---- From: keep a valid account selected ------------------------------------------------
  const defaultAccountId = settings.status === 'ready' ? settings.value.defaultAccountId : null;
  useEffect(() => {
    const picked = pickAccount(stateRef.current.accountId, accountList, defaultAccountId);
    if (picked !== stateRef.current.accountId && (accountList.length || stateRef.current.accountId === null)) update((s) => ({ ...s, accountId: picked }));
  }, [accountList, defaultAccountId, update, state.accountId]);

  const account = accountList.find((a) => a.id === state.accountId);
  const provider = account && providers.status === 'ready' ? providers.value.find((p) => p.id === account.provider) : undefined;
  const limit = provider?.attachmentLimitBytes ?? null;

  // ---- autocomplete from addresses used before --------------------------------------------
  const loadKnown = useCallback(async () => {
    const result = await settle(() => api.history.list({ limit: 200 }));
    if (!result.ok) return;
    setKnown(withoutRefused(result.value.flatMap((entry) => entry.to), result.value.flatMap((entry) => entry.refused ?? [])));
  }, [api]);
  useEffect(() => void loadKnown(), [loadKnown]);
  const outboxItems = useMemo(() => valueOr(outbox, { items: [], paused: false }).items, [outbox]);
  const knownAddresses = useMemo(
    () => [...known, ...withoutRefused(outboxItems.flatMap((i) => [...i.to, ...i.cc]), outboxItems.flatMap((i) => i.refused ?? []))],
    [known, outboxItems],
  );

  // ---- attachments --------------------------------------------------------------------------
  const takeFiles = useCallback(
    (result: Result<FileInfo[]>) => {
      if (!result.ok) {
        setFileNotes([isNotAvailable(result.error) ? 'Attaching files is not available in this version yet.' : result.error.hint ? `${result.error.message} ${result.error.hint}` : result.error.message]);
        return;
      }
      const good = result.value.filter((f) => f.problem === null);
      setFileNotes(result.value.filter((f) => f.problem !== null).map((f) => `${f.name}: ${f.problem}`));
      if (good.length) update((s) => ({ ...s, attachments: addAttachments(s.attachments, good) }));
    },
    [update],
  );

  const chooseFiles = async () => takeFiles(await settle(() => api.files.choose()));

  // The whole window is a drop zone; only drags that carry files are intercepted, so text can
  // still be dragged into fields. Without preventDefault Chromium would open the file.
  useEffect(() => {
    let depth = 0;
    const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');
    const onEnter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth += 1;
      setDragging(true);
    };
    const onOver = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const onLeave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const onDrop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setDragging(false);
      const files = Array.from(e.dataTransfer?.files ?? []);
      if (!files.length) return;
      onNavigate('compose');
      void settle(() => api.files.describeDropped(files)).then(takeFiles);
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragover', onOver);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('drop', onDrop);
    };
  }, [api, onNavigate, takeFiles]);

  // ---- a mailto: link or the tray asked to prefill ------------------------------------------
  useEffect(() => {
    if (!request) return;
    const r = request.value;
    update((s) => ({
      ...s,
      to: mergeRecipients(s.to, recipientsFromStrings(r.to)),
      cc: mergeRecipients(s.cc, recipientsFromStrings(r.cc)),
      bcc: mergeRecipients(s.bcc, recipientsFromStrings(r.bcc)),
      subject: r.subject || s.subject,
      text: r.text || s.text,
    }));
    if (r.cc.length || r.bcc.length) setShowCopies(true);
    if (r.attachments.length) takeFiles({ ok: true, value: r.attachments });
  }, [request, update, takeFiles]);

  // ---- write again: a failed message back from the outbox ----------------------------------
  const takeBack = useCallback(
    async (id: string) => {
      setReplacing(null);
      const result = await settle(() => api.outbox.cancel({ id }));
      if (!result.ok) return setSendError(result.error);
      if (!result.value.cancelled || !result.value.draft) {
        return setSendError({ code: 'outbox.gone', message: 'That message is no longer in the outbox, so there is nothing to write again.' });
      }
      const restored = fromDraft(result.value.draft);
      update(() => restored);
      setShowCopies(restored.cc.length > 0 || restored.bcc.length > 0);
      setShowErrors(false);
      setConfirmNoSubject(false);
      setSendError(null);
      setFileNotes([]);
      // The toast must not report a message taken back as "Sent".
      setSending((s) => (s?.id === id ? null : s));
      toInput.current?.focus();
    },
    [api, update],
  );
  useEffect(() => {
    if (!writeAgain) return;
    if (isEmpty(stateRef.current)) void takeBack(writeAgain.id);
    else setReplacing(writeAgain.id);
  }, [writeAgain, takeBack]);

  // ---- focus: land where typing starts whenever the view is shown ---------------------------
  useEffect(() => {
    if (!active) return;
    const s = stateRef.current;
    (s.to.length ? (s.subject ? bodyInput : subjectInput) : toInput).current?.focus();
  }, [active]);

  // ---- validation and sending ---------------------------------------------------------------
  const allErrors = validate(state, accountList, limit);
  const errors = showErrors ? allErrors : allErrors.attachments ? { attachments: allErrors.attachments } : {};
  const encodedSize = messageSize(state);

  const focusField = (field: Field) => {
    const target = { from: fromSelect, to: toInput, cc: toInput, bcc: toInput, subject: subjectInput, text: bodyInput, attachments: attachButton }[field];
    target.current?.focus();
  };

  const send = async () => {
    if (busy || undoing) return;
    const s = stateRef.current;
    const problems = validate(s, accountList, limit);
    setShowErrors(true);
    setSendError(null);
    const first = (['from', 'to', 'cc', 'bcc', 'attachments'] as Field[]).find((f) => problems[f]);
    if (first) return focusField(first);
    if (!s.subject.trim() && !confirmNoSubject) {
      setConfirmNoSubject(true);
      return focusField('subject');
    }
    setBusy(true);
    const result = await settle(() =>
      api.mail.send({
        accountId: s.accountId!,
        to: s.to.map(formatRecipient),
        cc: s.cc.map(formatRecipient),
        bcc: s.bcc.map(formatRecipient),
        subject: s.subject,
        text: s.text,
        attachments: s.attachments.map((a) => ({ fileId: a.fileId })),
      }),
    );
    setBusy(false);
    if (!result.ok) {
      setSendError(result.error);
      return;
    }
    snapshot.current = s;
    setSending({ id: result.value.id, sendAt: result.value.sendAt, seenInOutbox: false, queuedOffline: !navigator.onLine });
    update(() => ({ ...emptyCompose, accountId: s.accountId }));
    setShowErrors(false);
    setConfirmNoSubject(false);
    setShowCopies(false);
    setFileNotes([]);
    lastSaved.current = 'null';
    setDraftNote('');
    void settle(() => api.drafts.save({ draft: null }));
    void loadKnown();
    toInput.current?.focus();
  };

  const sendingItem = sending ? outboxItems.find((i) => i.id === sending.id) : undefined;
  useEffect(() => {
    if (sending && sendingItem && !sending.seenInOutbox) setSending({ ...sending, seenInOutbox: true });
  }, [sending, sendingItem]);

  const undo = async () => {
    if (!sending) return;
    setUndoing(true);
    const result = await settle(() => api.outbox.cancel({ id: sending.id }));
    setUndoing(false);
    if (result.ok && result.value.cancelled) {
      // Main hands the files back with ids that are live now; the snapshot's may have expired.
      const fromMain = result.value.draft ? fromDraft(result.value.draft) : null;
      const restored = snapshot.current && fromMain ? { ...snapshot.current, attachments: fromMain.attachments } : (snapshot.current ?? fromMain);
      if (restored) {
        update(() => restored);
        if (restored.cc.length || restored.bcc.length) setShowCopies(true);
      }
      snapshot.current = null;
      setSending(null);
      bodyInput.current?.focus();
    } else if (result.ok) {
      setSendError({ code: 'outbox.too_late', message: 'Too late to undo: the message is already on its way.' });
    } else {
      setSendError(result.error);
    }
  };

  // Ctrl/Cmd+Z undoes the send while the toast offers it, unless it would undo typing: after
  // Send the cursor sits in the empty To field, so an empty field does not count as typing.
  useEffect(() => {
    if (!sending) return;
    const onKey = (e: globalThis.KeyboardEvent) => {
      const editing = (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement) && e.target.value !== '';
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'z' && !editing) {
        e.preventDefault();
        void undo();
      } else if (e.key === 'Escape') setSending(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void send();
    }
  };

  const setField = <K extends keyof ComposeState>(key: K) => (value: ComposeState[K]) => update((s) => ({ ...s, [key]: value }));
  const shortcut = isMac() ? '⌘↵' : 'Ctrl+Enter';

  return (
    <section className="view compose" aria-labelledby="compose-heading" hidden={!active}>
      <h2 id="compose-heading" className="visually-hidden">
        Quick send
      </h2>
      {replacing && (
        <div className="note" role="alert">
          <p>You are writing another message. Replace it with the message to write again?</p>
          <div className="actions">
            <button type="button" className="button button-small" onClick={() => void takeBack(replacing)}>
              Replace
            </button>
            <button type="button" className="button button-small button-quiet" onClick={() => setReplacing(null)}>
              Keep mine
            </button>
          </div>
        </div>
      )}
      <form
        className="composer"
        noValidate
        onKeyDown={onKeyDown}
        onSubmit={(e) => {
          e.preventDefault();
          void send();
        }}
      >
        <div className={errors.from ? 'field-row has-error' : 'field-row'}>
          <label className="row-label" htmlFor="compose-from">
            From
          </label>
          {accountList.length > 0 ? (
            <select
              id="compose-from"
              ref={fromSelect}
              className="row-input"
              value={state.accountId ?? ''}
              aria-invalid={errors.from ? true : undefined}
              aria-describedby={errors.from ? 'compose-from-error' : undefined}
              onChange={(e) => setField('accountId')(e.target.value)}
            >
              {accountList.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.displayName ? `${a.displayName} <${a.fromAddress}>` : a.fromAddress}
                </option>
              ))}
            </select>
          ) : (
            <span className="row-input muted" id="compose-from">
              {accounts.status === 'loading' ? 'Loading…' : 'No account yet'}
            </span>
          )}
          {accounts.status !== 'loading' && accountList.length === 0 && (
            <button type="button" className="button button-small" onClick={() => onNavigate('accounts')}>
              Add account
            </button>
          )}
          {errors.from && (
            <p className="field-error" id="compose-from-error">
              {errors.from}
            </p>
          )}
          {account?.health === 'needs-sign-in' && (
            <p className="field-note">
              This account needs you to sign in again; messages wait in the outbox until you do.{' '}
              <button type="button" className="link-button" onClick={() => onNavigate('accounts')}>
                Open Accounts
              </button>
            </p>
          )}
        </div>

        <RecipientField
          label="To"
          recipients={state.to}
          onChange={setField('to')}
          error={errors.to}
          known={knownAddresses}
          inputRef={toInput}
          trailing={
            !showCopies && (
              <button type="button" className="link-button row-trailing" aria-expanded="false" onClick={() => setShowCopies(true)}>
                Cc/Bcc
              </button>
            )
          }
        />
        {showCopies && (
          <>
            <RecipientField label="Cc" recipients={state.cc} onChange={setField('cc')} error={errors.cc} known={knownAddresses} />
            <RecipientField label="Bcc" recipients={state.bcc} onChange={setField('bcc')} error={errors.bcc} known={knownAddresses} />
          </>
        )}

        <div className={confirmNoSubject ? 'field-row has-warning' : 'field-row'}>
          <label className="row-label" htmlFor="compose-subject">
            Subject
          </label>
          <input
            id="compose-subject"
            ref={subjectInput}
            className="row-input"
            type="text"
            maxLength={998}
            value={state.subject}
            aria-describedby={confirmNoSubject ? 'compose-subject-note' : undefined}
            onChange={(e) => {
              setField('subject')(e.target.value);
              if (e.target.value.trim()) setConfirmNoSubject(false);
            }}
          />
          {confirmNoSubject && (
            <p className="field-note" id="compose-subject-note" role="status">
              No subject. Press Send again to send it without one.
            </p>
          )}
        </div>

        <label className="visually-hidden" htmlFor="compose-body">
          Message
        </label>
        <textarea
          id="compose-body"
          ref={bodyInput}
          className="body-input"
          placeholder="Write your message…"
          value={state.text}
          onChange={(e) => setField('text')(e.target.value)}
        />

        <AttachmentList
          attachments={state.attachments}
          encodedSize={encodedSize}
          limitBytes={limit}
          error={errors.attachments}
          errorId="compose-attachments-error"
          onRemove={(fileId) => update((s) => ({ ...s, attachments: s.attachments.filter((a) => a.fileId !== fileId) }))}
        />
        {fileNotes.length > 0 && (
          <div className="note note-error" role="alert">
            {fileNotes.map((note) => (
              <p key={note}>{note}</p>
            ))}
          </div>
        )}
        {sendError && <ErrorNote error={sendError} />}

        <div className="composer-footer">
          <button type="button" ref={attachButton} className="button button-quiet" onClick={() => void chooseFiles()}>
            <Icon name="paperclip" /> Attach…
          </button>
          <span className="muted draft-note" aria-live="polite">
            {draftNote}
          </span>
          <button type="submit" className="button button-primary" disabled={busy} aria-keyshortcuts="Control+Enter Meta+Enter">
            <Icon name="send" /> {busy ? 'Sending…' : 'Send'}
            <kbd className="kbd">{shortcut}</kbd>
          </button>
        </div>
      </form>

      {sending && (
        <SendStatus
          sending={sending}
          item={sendingItem}
          outboxAvailable={outbox.status === 'ready'}
          undoing={undoing}
          onUndo={() => void undo()}
          onDismiss={() => setSending(null)}
          onOpenOutbox={() => onNavigate('outbox')}
        />
      )}
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          <div className="drop-target">
            <Icon name="paperclip" size={28} />
            <p>Drop files to attach</p>
          </div>
        </div>
      )}
    </section>
  );
}
