/**
 * The account card's "Extra certificate authority": for a company or self-hosted mail server
 * whose certificate the system does not trust. Shows the saved CA (who it is, SHA-256
 * fingerprint) with Remove, or lets the person choose or paste one, check it, then trust it.
 * The outbox's "server not trusted" explanation names this field by this label.
 */
import { useState } from 'react';
import type { Account, ErrorInfo } from '../../../electron/ipc/contract';
import { useApi } from '../api';
import { settle } from '../lib/errors';
import { CaCertificateInput, CaSummary, type CheckedCa } from './CaCertificateInput';
import { ErrorNote } from './ErrorNote';

/** The field's name as the explanations of an untrusted server certificate spell it. */
export const EXTRA_CA_LABEL = 'Extra certificate authority';

export function AccountCaSection({ account }: { account: Account }) {
  const api = useApi();
  const [pending, setPending] = useState<CheckedCa | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  // A new input after each save or removal, so nothing chosen earlier lingers.
  const [round, setRound] = useState(0);

  const save = async (pem: string | null) => {
    setBusy(true);
    setError(null);
    const result = await settle(() => api.accounts.setExtraCa({ accountId: account.id, pem }));
    setBusy(false);
    if (!result.ok) return setError(result.error);
    setPending(null);
    setRound((n) => n + 1);
  };

  return (
    <details className="ca-section">
      <summary>
        {EXTRA_CA_LABEL}
        {account.extraCa ? `: ${account.extraCa.subject}` : ''}
      </summary>
      {account.extraCa ? (
        <div className="stack">
          <p className="muted small">
            Quicksend trusts this authority for the mail server of {account.address}, besides those your system trusts.
          </p>
          <CaSummary ca={account.extraCa} />
          <div className="actions">
            <button
              type="button"
              className="button button-small button-quiet"
              disabled={busy}
              onClick={() => void save(null)}
              aria-label={`Remove the extra certificate authority of ${account.address}`}
            >
              {busy ? 'Removing…' : 'Remove'}
            </button>
          </div>
        </div>
      ) : (
        <div className="stack">
          <p className="muted small">
            Only for a company or self-hosted mail server whose certificate your system does not trust: ask its
            administrator for the certificate authority. It is added to those your system trusts.
          </p>
          <CaCertificateInput key={round} onChecked={setPending} />
          <div className="actions">
            <button
              type="button"
              className="button button-small button-primary"
              disabled={busy || !pending}
              onClick={() => pending && void save(pending.pem)}
            >
              {busy ? 'Saving…' : 'Trust this authority'}
            </button>
          </div>
        </div>
      )}
      {error && <ErrorNote error={error} />}
    </details>
  );
}
