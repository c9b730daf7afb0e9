/**
 * Accounts: every account with its health, the add-account flow, and sign out of all.
 * The list is live (`accounts:changed`), so a token refresh or a sign-in elsewhere shows up.
 */
import { useEffect, useRef, useState } from 'react';
import { useAppData } from '../AppData';
import { AccountCard } from '../components/AccountCard';
import { AddAccount } from '../components/AddAccount';
import { ErrorNote } from '../components/ErrorNote';
import { Icon } from '../components/Icon';
import { SignOutAll } from '../components/SignOutAll';
import { useNow } from '../hooks/useNow';

export function AccountsView({ active }: { active: boolean }) {
  const { accounts } = useAppData();
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const now = useNow(active, 30_000);
  const addButton = useRef<HTMLButtonElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (active && !adding) heading.current?.focus();
  }, [active, adding]);

  if (adding) {
    return (
      <section className="view" aria-label="Add account" hidden={!active}>
        <AddAccount
          onClose={() => setAdding(false)}
          onAdded={(account) => {
            setAdding(false);
            setNotice(`Added ${account.address}. You can send from it now.`);
          }}
        />
      </section>
    );
  }

  return (
    <section className="view" aria-labelledby="accounts-heading" hidden={!active}>
      <div className="view-header">
        <h2 id="accounts-heading" ref={heading} tabIndex={-1}>
          Accounts
        </h2>
        <button
          type="button"
          ref={addButton}
          className="button button-small button-primary"
          onClick={() => setAdding(true)}
        >
          <Icon name="plus" /> Add account
        </button>
      </div>
      {notice && (
        <p className="note note-success" role="status">
          {notice}
        </p>
      )}
      {accounts.status === 'loading' && <p aria-live="polite">Loading accounts…</p>}
      {accounts.status === 'error' && <ErrorNote error={accounts.error} />}
      {accounts.status === 'ready' && accounts.value.length === 0 && (
        <div className="empty" data-testid="accounts-empty">
          <p>
            <strong>No accounts yet.</strong>
          </p>
          <p className="muted">
            Add a Gmail, Microsoft 365 or other account by signing in in your browser. Quicksend never sees your
            password.
          </p>
        </div>
      )}
      {accounts.status === 'ready' && accounts.value.length > 0 && (
        <>
          <ul className="account-list">
            {accounts.value.map((account) => (
              <AccountCard key={account.id} account={account} now={now} onRemoved={setNotice} />
            ))}
          </ul>
          <SignOutAll onDone={setNotice} />
        </>
      )}
    </section>
  );
}
