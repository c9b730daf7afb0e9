/**
 * One account: who, which provider, health and last use, with Test (which layer passed or
 * failed), Sign in again, Remove (says whether the provider revoked the token), and its extra
 * certificate authority for a company or self-hosted mail server.
 */
import { useState } from 'react';
import type { Account, ErrorInfo, TestLayer } from '../../../electron/ipc/contract';
import { useApi } from '../api';
import { useSignInProgress } from '../hooks/useSignInProgress';
import { hasCode, settle } from '../lib/errors';
import { healthText } from '../lib/providers';
import { relativeTime } from '../lib/time';
import { AccountCaSection } from './AccountCaSection';
import { ErrorNote } from './ErrorNote';
import { Icon } from './Icon';
import { SignInProgress } from './SignInProgress';

type Props = { account: Account; now: number; onRemoved(message: string): void };

type Test = { kind: 'running' } | { kind: 'done'; ok: boolean; layers: TestLayer[] };

const layerName: Record<TestLayer['layer'], string> = {
  network: 'Network',
  tls: 'Secure connection',
  authentication: 'Sign-in',
  policy: 'Sending allowed',
};

export function revocationText(account: Account, revocation: 'revoked' | 'not-supported' | 'failed'): string {
  if (revocation === 'revoked')
    return `Removed ${account.address}. ${account.providerName} revoked Quicksend’s access.`;
  if (revocation === 'not-supported')
    return `Removed ${account.address}. ${account.providerName} does not let apps revoke access; remove Quicksend in your account’s security settings if you wish.`;
  return `Removed ${account.address} from Quicksend, but ${account.providerName} could not be reached to revoke access. Remove Quicksend in your account’s security settings.`;
}

export function AccountCard({ account, now, onRemoved }: Props) {
  const api = useApi();
  const [test, setTest] = useState<Test | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState<'remove' | 'reauth' | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [progress, setProgress] = useSignInProgress(account.provider, busy === 'reauth');

  const runTest = async () => {
    setError(null);
    setTest({ kind: 'running' });
    const result = await settle(() => api.accounts.test({ accountId: account.id }));
    if (result.ok) setTest({ kind: 'done', ...result.value });
    else {
      setTest(null);
      setError(result.error);
    }
  };

  const reauthorize = async () => {
    setError(null);
    setProgress({ stage: 'opening-browser' });
    setBusy('reauth');
    const result = await settle(() => api.accounts.reauthorize({ accountId: account.id }));
    setBusy(null);
    if (!result.ok && !hasCode(result.error, 'signin.cancelled')) setError(result.error);
  };

  const remove = async () => {
    setBusy('remove');
    const result = await settle(() => api.accounts.remove({ accountId: account.id }));
    setBusy(null);
    setConfirming(false);
    if (result.ok) onRemoved(revocationText(account, result.value.revocation));
    else setError(result.error);
  };

  const lastUsed = account.lastUsedAt ? `Last used ${relativeTime(account.lastUsedAt, now)}` : 'Not used yet';
  const showsAlias = account.fromAddress.toLowerCase() !== account.address.toLowerCase();
  return (
    <li className="account-card" aria-labelledby={`account-${account.id}`}>
      <div className="account-main">
        <span className="avatar" aria-hidden="true">
          {(account.displayName || account.address).slice(0, 1).toUpperCase()}
        </span>
        <div className="account-text">
          <p className="account-address" id={`account-${account.id}`}>
            {account.address}
          </p>
          <p className="muted small">
            {account.providerName}
            {showsAlias ? ` · sends as ${account.fromAddress}` : ''} · {lastUsed}
          </p>
        </div>
        <span className={`health health-${account.health}`}>{healthText[account.health]}</span>
      </div>

      {busy === 'reauth' ? (
        <SignInProgress
          providerName={account.providerName}
          progress={progress ?? { stage: 'opening-browser' }}
          onCancel={() => void settle(() => api.accounts.cancelSignIn({ providerId: account.provider }))}
        />
      ) : confirming ? (
        <div className="confirm" role="group" aria-label={`Remove ${account.address}?`}>
          <p>
            Remove {account.address}? Quicksend deletes its sign-in
            {account.health === 'session-only' ? '' : ' and asks the provider to revoke access'}. Messages waiting in
            the outbox for it will not be sent.
          </p>
          <div className="actions">
            <button
              type="button"
              className="button button-danger"
              disabled={busy === 'remove'}
              onClick={() => void remove()}
            >
              {busy === 'remove' ? 'Removing…' : 'Remove'}
            </button>
            <button type="button" className="button" onClick={() => setConfirming(false)} autoFocus>
              Keep
            </button>
          </div>
        </div>
      ) : (
        <div className="actions">
          <button
            type="button"
            className="button button-small"
            onClick={() => void runTest()}
            disabled={test?.kind === 'running'}
            aria-label={`Test ${account.address}`}
          >
            {test?.kind === 'running' ? 'Testing…' : 'Test'}
          </button>
          <button
            type="button"
            className={
              account.health === 'needs-sign-in' ? 'button button-small button-primary' : 'button button-small'
            }
            onClick={() => void reauthorize()}
            aria-label={`Sign in again to ${account.address}`}
          >
            Sign in again
          </button>
          <button
            type="button"
            className="button button-small button-quiet"
            onClick={() => setConfirming(true)}
            aria-label={`Remove ${account.address}`}
          >
            Remove
          </button>
        </div>
      )}

      {test?.kind === 'done' && (
        <div className="test-result" role="status">
          <p className={test.ok ? 'ok' : 'bad'}>{test.ok ? 'Everything works.' : 'Sending would fail:'}</p>
          <ul>
            {test.layers.map((layer) => (
              <li key={layer.layer} className={layer.ok ? 'ok' : 'bad'}>
                <Icon name={layer.ok ? 'check' : 'cross'} />
                <span>
                  <strong>{layerName[layer.layer]}</strong>{' '}
                  <span className="visually-hidden">{layer.ok ? 'passed' : 'failed'}: </span>
                  {layer.message}
                  {layer.hint && <span className="hint"> {layer.hint}</span>}
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {error && <ErrorNote error={error} />}
      <AccountCaSection account={account} />
    </li>
  );
}
