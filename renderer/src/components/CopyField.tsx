/** A read-only value (redirect URI, sign-in link) with a Copy button that says when it worked. */
import { useId, useState } from 'react';

export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <button
      type="button"
      className="button button-small"
      onClick={() => void copyText(text).then((done) => setState(done ? 'copied' : 'failed'))}
    >
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed: select and copy it' : label}
    </button>
  );
}

export function CopyField({ label, value }: { label: string; value: string }) {
  const id = useId();
  return (
    <div className="copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="copy-row">
        <input id={id} type="text" readOnly value={value} onFocus={(e) => e.target.select()} spellCheck={false} />
        <CopyButton text={value} />
      </div>
    </div>
  );
}
