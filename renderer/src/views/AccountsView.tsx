import { useEffect, useState } from 'react';
import type { Account, ErrorInfo } from '../../../electron/ipc/contract';
import { useApi } from '../api';

type State = { kind: 'loading' } | { kind: 'error'; error: ErrorInfo } | { kind: 'ready'; accounts: Account[] };

export function AccountsView() {
  const api = useApi();
  const [state, setState] = useState<State>({ kind: 'loading' });

  useEffect(() => {
    let live = true;
    void api.accounts.list().then((result) => {
      if (!live) return;
      setState(result.ok ? { kind: 'ready', accounts: result.value } : { kind: 'error', error: result.error });
    });
    const off = api.on('accounts:changed', ({ accounts }) => setState({ kind: 'ready', accounts }));
    return () => {
      live = false;
      off();
    };
  }, [api]);

  return (
    <section aria-labelledby="accounts-heading">
      <h2 id="accounts-heading">Accounts</h2>
      {state.kind === 'loading' && <p aria-live="polite">Loading accounts…</p>}
      {state.kind === 'error' && <p role="alert">{state.error.message}</p>}
      {state.kind === 'ready' && state.accounts.length === 0 && (
        <div className="empty" data-testid="accounts-empty">
          <p><strong>No accounts yet.</strong></p>
          <p className="muted">
            Add a Gmail, Microsoft 365 or other account by signing in in your browser. Quicksend never sees your
            password.
          </p>
        </div>
      )}
      {state.kind === 'ready' && state.accounts.length > 0 && (
        <ul className="accounts">
          {state.accounts.map((account) => (
            <li key={account.id}>
              <span>{account.address}</span> <span className="muted">{account.provider} · {account.health}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
