/**
 * Quick send: From, To/Cc/Bcc chips, subject, plain text, attachments (drop anywhere on the
 * window or Attach…), Ctrl/Cmd+Enter to send, an Undo toast for the undo delay, and a draft
 * saved as you type so nothing is lost when the window closes. The rules (validation, sizes,
 * the draft and the send request) live in lib/compose.ts; the draft, the drop zone, Undo and
 * the address suggestions are hooks of their own; this view wires them to the bridge and the
 * keyboard. "Write again" takes a failed message out of the outbox (`outbox:cancel` hands it
 * back with only the recipients who do not have it) and puts it here, asking first if it would
 * replace a message being written.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { ComposeRequest, ErrorCode, ErrorInfo, FileInfo, Result } from '../../../electron/ipc/contract';
import { MESSAGE_LIMITS } from '../../../electron/mail/message-rules';
import { useApi } from '../api';
import { useAppData, valueOr } from '../AppData';
import { AttachmentList } from '../components/AttachmentList';
import { ErrorNote } from '../components/ErrorNote';
import { FromField } from '../components/FromField';
import { Icon } from '../components/Icon';
import type { ViewId } from '../components/Nav';
import { RecipientField } from '../components/RecipientField';
import { SendStatus } from '../components/SendStatus';
import { useComposeState } from '../hooks/useComposeState';
import { useDraftAutosave } from '../hooks/useDraftAutosave';
import { useFileDrop } from '../hooks/useFileDrop';
import { useKnownAddresses } from '../hooks/useKnownAddresses';
import { useUndoSend } from '../hooks/useUndoSend';
import {
  addAttachments,
  emptyCompose,
  fromDraft,
  isEmpty,
  messageSize,
  pickAccount,
  toSendRequest,
  validate,
  type ComposeState,
  type Field,
} from '../lib/compose';
import { settle } from '../lib/errors';
import { mergeRecipients, recipientsFromStrings } from '../lib/recipients';

export type ComposeRequestEnvelope = { nonce: number; value: ComposeRequest };
/** Put the failed outbox message `id` back in the composer. */
export type WriteAgainRequest = { nonce: number; id: string };

type Props = {
  active: boolean;
  request: ComposeRequestEnvelope | null;
  writeAgain?: WriteAgainRequest | null;
  onNavigate(view: ViewId): void;
};

const isMac = () => /Mac|iPhone|iPad/.test(navigator.platform);
const hasCopies = (state: ComposeState) => state.cc.length > 0 || state.bcc.length > 0;

export function ComposeView({ active, request, writeAgain = null, onNavigate }: Props) {
  const api = useApi();
  const { accounts, providers, settings, outbox } = useAppData();
  const accountList = useMemo(() => valueOr(accounts, []), [accounts]);
  const outboxItems = useMemo(() => valueOr(outbox, { items: [], paused: false }).items, [outbox]);

  const { state, current, update } = useComposeState();

  const [showErrors, setShowErrors] = useState(false);
  const [confirmNoSubject, setConfirmNoSubject] = useState(false);
  const [showCopies, setShowCopies] = useState(false);
  const [sendError, setSendError] = useState<ErrorInfo | null>(null);
  const [busy, setBusy] = useState(false);
  const [fileNotes, setFileNotes] = useState<string[]>([]);
  const [replacing, setReplacing] = useState<string | null>(null);

  const toInput = useRef<HTMLInputElement>(null);
  const subjectInput = useRef<HTMLInputElement>(null);
  const bodyInput = useRef<HTMLTextAreaElement>(null);
  const fromSelect = useRef<HTMLSelectElement>(null);
  const attachButton = useRef<HTMLButtonElement>(null);

  /** Puts a whole message in the composer (a restored draft, a message taken back). */
  const restore = useCallback(
    (message: ComposeState) => {
      update(() => message);
      if (hasCopies(message)) setShowCopies(true);
    },
    [update],
  );

  const draft = useDraftAutosave({ state, current, onRestore: restore });
  const known = useKnownAddresses(outboxItems);
  const onUndone = useCallback(
    (restored: ComposeState | null) => {
      if (restored) restore(restored);
      bodyInput.current?.focus();
    },
    [restore],
  );
  const undo = useUndoSend({ outboxItems, onUndone, onError: setSendError });

  // ---- From: keep a valid account selected ------------------------------------------------
  const defaultAccountId = settings.status === 'ready' ? settings.value.defaultAccountId : null;
  // Wait for the settings before the first pick: accounts that arrive first would otherwise
  // fix the first account, and the person's default would never be chosen.
  const settingsKnown = settings.status !== 'loading';
  useEffect(() => {
    if (!settingsKnown) return;
    const { accountId } = current();
    const picked = pickAccount(accountId, accountList, defaultAccountId);
    if (picked !== accountId && (accountList.length || accountId === null))
      update((s) => ({ ...s, accountId: picked }));
  }, [accountList, defaultAccountId, settingsKnown, current, update, state.accountId]);

  const account = accountList.find((a) => a.id === state.accountId);
  const provider =
    account && providers.status === 'ready' ? providers.value.find((p) => p.id === account.provider) : undefined;
  const limit = provider?.attachmentLimitBytes ?? null;

  // ---- attachments: Attach…, a drop anywhere on the window, files a link or the tray gave ----
  const takeFiles = useCallback(
    (result: Result<FileInfo[]>) => {
      if (!result.ok) {
        setFileNotes([result.error.hint ? `${result.error.message} ${result.error.hint}` : result.error.message]);
        return;
      }
      const good = result.value.filter((f) => f.problem === null);
      setFileNotes(result.value.filter((f) => f.problem !== null).map((f) => `${f.name}: ${f.problem}`));
      if (good.length) update((s) => ({ ...s, attachments: addAttachments(s.attachments, good) }));
    },
    [update],
  );
  const chooseFiles = async () => takeFiles(await settle(() => api.files.choose()));
  const dragging = useFileDrop(
    useCallback(
      (files: File[]) => {
        onNavigate('compose');
        void settle(() => api.files.describeDropped(files)).then(takeFiles);
      },
      [api, onNavigate, takeFiles],
    ),
  );

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
  const { forget } = undo;
  const takeBack = useCallback(
    async (id: string) => {
      setReplacing(null);
      const result = await settle(() => api.outbox.cancel({ id }));
      if (!result.ok) return setSendError(result.error);
      if (!result.value.cancelled || !result.value.draft) {
        return setSendError({
          code: 'outbox.gone' satisfies ErrorCode,
          message: 'That message is no longer in the outbox, so there is nothing to write again.',
        });
      }
      const restored = fromDraft(result.value.draft);
      update(() => restored);
      setShowCopies(hasCopies(restored));
      setShowErrors(false);
      setConfirmNoSubject(false);
      setSendError(null);
      setFileNotes([]);
      // The toast must not report a message taken back as "Sent".
      forget(id);
      toInput.current?.focus();
    },
    [api, update, forget],
  );
  useEffect(() => {
    if (!writeAgain) return;
    if (isEmpty(current())) void takeBack(writeAgain.id);
    else setReplacing(writeAgain.id);
  }, [writeAgain, current, takeBack]);

  // ---- focus: land where typing starts whenever the view is shown ---------------------------
  useEffect(() => {
    if (!active) return;
    const s = current();
    (s.to.length ? (s.subject ? bodyInput : subjectInput) : toInput).current?.focus();
  }, [active, current]);

  // ---- validation and sending ---------------------------------------------------------------
  const encodedSize = useMemo(() => messageSize(state), [state]);
  const allErrors = validate(state, accountList, limit);
  const errors = showErrors ? allErrors : allErrors.attachments ? { attachments: allErrors.attachments } : {};

  const focusField = (field: Field) => {
    const target = {
      from: fromSelect,
      to: toInput,
      cc: toInput,
      bcc: toInput,
      subject: subjectInput,
      text: bodyInput,
      attachments: attachButton,
    }[field];
    target.current?.focus();
  };

  const send = async () => {
    if (busy || undo.undoing) return;
    const s = current();
    const { accountId } = s;
    const problems = validate(s, accountList, limit);
    setShowErrors(true);
    setSendError(null);
    const first = (['from', 'to', 'cc', 'bcc', 'attachments'] as Field[]).find((f) => problems[f]);
    // No account is a From problem too; validate says so.
    if (first || !accountId) return focusField(first ?? 'from');
    if (!s.subject.trim() && !confirmNoSubject) {
      setConfirmNoSubject(true);
      return focusField('subject');
    }
    setBusy(true);
    const result = await settle(() => api.mail.send(toSendRequest({ ...s, accountId })));
    setBusy(false);
    if (!result.ok) {
      setSendError(result.error);
      return;
    }
    undo.sent(result.value.id, result.value.sendAt, s);
    update(() => ({ ...emptyCompose, accountId }));
    setShowErrors(false);
    setConfirmNoSubject(false);
    setShowCopies(false);
    setFileNotes([]);
    draft.discard();
    known.reload();
    toInput.current?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void send();
    }
  };

  const setField =
    <K extends keyof ComposeState>(key: K) =>
    (value: ComposeState[K]) =>
      update((s) => ({ ...s, [key]: value }));
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
        <FromField
          accounts={accountList}
          loading={accounts.status === 'loading'}
          accountId={state.accountId}
          onChange={setField('accountId')}
          error={errors.from}
          selectRef={fromSelect}
          onOpenAccounts={() => onNavigate('accounts')}
        />

        <RecipientField
          label="To"
          recipients={state.to}
          onChange={setField('to')}
          error={errors.to}
          known={known.addresses}
          inputRef={toInput}
          trailing={
            !showCopies && (
              <button
                type="button"
                className="link-button row-trailing"
                aria-expanded="false"
                onClick={() => setShowCopies(true)}
              >
                Cc/Bcc
              </button>
            )
          }
        />
        {showCopies && (
          <>
            <RecipientField
              label="Cc"
              recipients={state.cc}
              onChange={setField('cc')}
              error={errors.cc}
              known={known.addresses}
            />
            <RecipientField
              label="Bcc"
              recipients={state.bcc}
              onChange={setField('bcc')}
              error={errors.bcc}
              known={known.addresses}
            />
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
            maxLength={MESSAGE_LIMITS.maxSubjectLength}
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
          onRemove={(fileId) =>
            update((s) => ({ ...s, attachments: s.attachments.filter((a) => a.fileId !== fileId) }))
          }
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
            {draft.note}
          </span>
          <button
            type="submit"
            className="button button-primary"
            disabled={busy}
            aria-keyshortcuts="Control+Enter Meta+Enter"
          >
            <Icon name="send" /> {busy ? 'Sending…' : 'Send'}
            <kbd className="kbd">{shortcut}</kbd>
          </button>
        </div>
      </form>

      {undo.sending && (
        <SendStatus
          sending={undo.sending}
          item={undo.item}
          outboxAvailable={outbox.status === 'ready'}
          undoing={undo.undoing}
          onUndo={() => void undo.undo()}
          onDismiss={undo.dismiss}
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
