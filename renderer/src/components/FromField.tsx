/**
 * The composer's From row: the accounts to send from, or, before there is one, a way to add it;
 * and a word when the chosen account needs its sign-in renewed (mail waits until then).
 */
import type { Ref } from 'react';
import type { Account } from '../../../electron/ipc/contract';

type Props = {
  accounts: Account[];
  loading: boolean;
  accountId: string | null;
  onChange(accountId: string): void;
  error?: string | undefined;
  selectRef: Ref<HTMLSelectElement>;
  onOpenAccounts(): void;
};

export function FromField({ accounts, loading, accountId, onChange, error, selectRef, onOpenAccounts }: Props) {
  const account = accounts.find((a) => a.id === accountId);
  return (
    <div className={error ? 'field-row has-error' : 'field-row'}>
      <label className="row-label" htmlFor="compose-from">
        From
      </label>
      {accounts.length > 0 ? (
        <select
          id="compose-from"
          ref={selectRef}
          className="row-input"
          value={accountId ?? ''}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'compose-from-error' : undefined}
          onChange={(e) => onChange(e.target.value)}
        >
          {accounts.map((a) => (
            <option key={a.id} value={a.id}>
              {a.displayName ? `${a.displayName} <${a.fromAddress}>` : a.fromAddress}
            </option>
          ))}
        </select>
      ) : (
        <span className="row-input muted" id="compose-from">
          {loading ? 'Loading…' : 'No account yet'}
        </span>
      )}
      {!loading && accounts.length === 0 && (
        <button type="button" className="button button-small" onClick={onOpenAccounts}>
          Add account
        </button>
      )}
      {error && (
        <p className="field-error" id="compose-from-error">
          {error}
        </p>
      )}
      {account?.health === 'needs-sign-in' && (
        <p className="field-note">
          This account needs you to sign in again; messages wait in the outbox until you do.{' '}
          <button type="button" className="link-button" onClick={onOpenAccounts}>
            Open Accounts
          </button>
        </p>
      )}
    </div>
  );
}
