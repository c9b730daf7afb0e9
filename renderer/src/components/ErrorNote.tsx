import type { ErrorInfo } from '../../../electron/ipc/contract';

/** A failure in plain words with the hint (what to do about it) underneath. */
export function ErrorNote({ error, id }: { error: ErrorInfo; id?: string }) {
  return (
    <div className="note note-error" role="alert" id={id}>
      <p>{error.message}</p>
      {error.hint && <p className="hint">{error.hint}</p>}
    </div>
  );
}
