/** "Sign out of all accounts": a deliberate two-step action with a summary afterwards. */
import { useState } from 'react';
import type { ErrorInfo } from '../../../electron/ipc/contract';
import { useApi } from '../api';
import { settle } from '../lib/errors';
import { ErrorNote } from './ErrorNote';

export function SignOutAll({ onDone }: { onDone(message: string): void }) {
  const api = useApi();
  const [open, setOpen] = useState(false);
  const [deleteWaiting, setDeleteWaiting] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);

  const run = async () => {
    setBusy(true);
    const result = await settle(() => api.accounts.signOutAll({ confirm: true, deleteWaitingMessages: deleteWaiting }));
    setBusy(false);
    if (!result.ok) return setError(result.error);
    const r = result.value;
    const parts = [`Signed out of ${r.accounts} ${r.accounts === 1 ? 'account' : 'accounts'}.`];
    if (r.revoked) parts.push(`Access revoked for ${r.revoked}.`);
    if (r.revocationFailed)
      parts.push(`${r.revocationFailed} could not be revoked; remove Quicksend in those accounts’ security settings.`);
    if (r.deletedMessages)
      parts.push(`Deleted ${r.deletedMessages} waiting ${r.deletedMessages === 1 ? 'message' : 'messages'}.`);
    setOpen(false);
    onDone(parts.join(' '));
  };

  if (!open) {
    return (
      <div className="danger-zone">
        <button type="button" className="button button-quiet button-small" onClick={() => setOpen(true)}>
          Sign out of all accounts…
        </button>
      </div>
    );
  }
  return (
    <div className="danger-zone confirm" role="group" aria-label="Sign out of all accounts?">
      <p>Sign out of every account? Quicksend deletes all sign-ins and asks each provider to revoke access.</p>
      <label className="checkbox">
        <input type="checkbox" checked={deleteWaiting} onChange={(e) => setDeleteWaiting(e.target.checked)} />
        Also delete messages waiting in the outbox
      </label>
      {error && <ErrorNote error={error} />}
      <div className="actions">
        <button type="button" className="button button-danger" disabled={busy} onClick={() => void run()}>
          {busy ? 'Signing out…' : 'Sign out of all'}
        </button>
        <button type="button" className="button" onClick={() => setOpen(false)} autoFocus>
          Cancel
        </button>
      </div>
    </div>
  );
}
