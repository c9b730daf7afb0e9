/**
 * To/Cc/Bcc as chips. Typing an address and pressing Enter, comma, semicolon or Tab makes a
 * chip; pasting a list makes one chip per address; Backspace in an empty field takes the last
 * chip back for editing. Invalid addresses stay as red chips (never silently dropped) so the
 * person sees exactly what was wrong. Suggestions come from addresses used before.
 */
import { useId, useMemo, useState, type ClipboardEvent, type KeyboardEvent, type Ref } from 'react';
import { formatRecipient, mergeRecipients, parseRecipients, suggestAddresses, type Recipient } from '../lib/recipients';

type Props = {
  label: string;
  recipients: Recipient[];
  onChange(next: Recipient[]): void;
  error?: string | undefined;
  known: readonly string[];
  inputRef?: Ref<HTMLInputElement>;
  /** Extra control on the row's right (the Cc/Bcc toggle on To). */
  trailing?: React.ReactNode;
};

export function RecipientField({ label, recipients, onChange, error, known, inputRef, trailing }: Props) {
  const id = useId();
  const [text, setText] = useState('');
  const suggestions = useMemo(() => suggestAddresses(known, text, recipients), [known, text, recipients]);

  const commit = (value: string): boolean => {
    const added = parseRecipients(value);
    setText('');
    if (!added.length) return false;
    onChange(mergeRecipients(recipients, added));
    return true;
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const value = event.currentTarget.value;
    if (event.key === 'Enter') {
      // Ctrl/Cmd+Enter still bubbles to the composer to send, with this text included.
      if (value.trim()) commit(value);
      if (!(event.ctrlKey || event.metaKey)) event.preventDefault();
    } else if ((event.key === ',' || event.key === ';') && value.trim()) {
      event.preventDefault();
      commit(value);
    } else if (event.key === 'Tab' && !event.shiftKey && value.trim()) {
      // Commit and let focus move on, as mail clients do.
      commit(value);
    } else if (event.key === 'Backspace' && value === '' && recipients.length) {
      event.preventDefault();
      const last = recipients[recipients.length - 1]!;
      onChange(recipients.slice(0, -1));
      setText(formatRecipient(last));
    }
  };

  const onPaste = (event: ClipboardEvent<HTMLInputElement>) => {
    const pasted = event.clipboardData.getData('text');
    // A single bare address pastes as text to be edited; a list becomes chips at once.
    if (!/[,;\n]/.test(pasted) && parseRecipients(pasted).length <= 1) return;
    event.preventDefault();
    commit(`${text}${text.trim() ? ',' : ''}${pasted}`);
  };

  const listId = `${id}-suggestions`;
  const errorId = `${id}-error`;
  return (
    <div className={error ? 'field-row has-error' : 'field-row'}>
      <label className="row-label" htmlFor={`${id}-input`}>
        {label}
      </label>
      <div
        className="chips"
        onClick={(e) =>
          e.target === e.currentTarget && (e.currentTarget.querySelector('input') as HTMLInputElement | null)?.focus()
        }
      >
        <ul className="chip-list" aria-label={`${label} recipients`}>
          {recipients.map((r) => (
            <li
              key={r.address.toLowerCase()}
              className={r.valid ? 'chip' : 'chip chip-invalid'}
              title={formatRecipient(r)}
            >
              <span>{r.name || r.address}</span>
              {!r.valid && <span className="visually-hidden"> (not a valid address)</span>}
              <button
                type="button"
                className="chip-remove"
                aria-label={`Remove ${r.address}`}
                onClick={() => onChange(recipients.filter((x) => x !== r))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
        <input
          id={`${id}-input`}
          ref={inputRef}
          className="chip-input"
          type="text"
          inputMode="email"
          autoComplete="off"
          spellCheck={false}
          list={suggestions.length ? listId : undefined}
          value={text}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          onChange={(e) => {
            const native = e.nativeEvent as InputEvent;
            // Picking a suggestion from the list commits it straight away.
            if (
              native.inputType === 'insertReplacementText' ||
              (native.inputType === undefined && suggestions.includes(e.target.value))
            )
              commit(e.target.value);
            else setText(e.target.value);
          }}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
          onBlur={(e) => e.target.value.trim() && commit(e.target.value)}
        />
        {suggestions.length > 0 && (
          <datalist id={listId}>
            {suggestions.map((s) => (
              <option key={s} value={s} />
            ))}
          </datalist>
        )}
      </div>
      {trailing}
      {error && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}
