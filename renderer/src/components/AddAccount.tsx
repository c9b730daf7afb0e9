/**
 * Adding an account, one step at a time: pick a provider → (register your own client, if the
 * provider has none) → what sign-in grants and where the token is kept → the browser. Every
 * step is a small form with a heading that takes focus, so keyboard and screen-reader users
 * always know where they are; Esc goes back.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { Account, ErrorInfo, Provider } from '../../../electron/ipc/contract';
import { useApi } from '../api';
import { useAppData, valueOr } from '../AppData';
import { useSignInProgress } from '../hooks/useSignInProgress';
import { settle } from '../lib/errors';
import { isValidAddress } from '../lib/recipients';
import { clientHowTo, consentLines, providerBlurb, sortProviders } from '../lib/providers';
import { CopyField } from './CopyField';
import { ErrorNote } from './ErrorNote';
import { Icon } from './Icon';
import { SignInProgress } from './SignInProgress';
import { CustomProviderForm } from './CustomProviderForm';

type Step = 'pick' | 'client' | 'custom' | 'consent' | 'signing';
const CUSTOM = '__custom';

export function AddAccount({ onClose, onAdded }: { onClose(): void; onAdded(account: Account): void }) {
  const api = useApi();
  const { providers, info, settings, reloadProviders } = useAppData();
  const list = sortProviders(valueOr(providers, []));
  const [step, setStep] = useState<Step>('pick');
  const [choice, setChoice] = useState<string>('');
  const [providerId, setProviderId] = useState<string | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [loginHint, setLoginHint] = useState('');
  const [clientId, setClientId] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useSignInProgress(providerId, step === 'signing');
  const cancelled = useRef(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const provider: Provider | undefined = list.find((p) => p.id === providerId);

  useEffect(() => heading.current?.focus(), [step]);

  const back = () => {
    setError(null);
    if (step === 'pick') onClose();
    else if (step === 'signing') return;
    else setStep('pick');
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      back();
    }
  };

  const pick = () => {
    setError(null);
    if (choice === CUSTOM) return setStep('custom');
    const chosen = list.find((p) => p.id === choice);
    if (!chosen) return setError({ code: 'ui.pick', message: 'Choose a provider first.' });
    setProviderId(chosen.id);
    setStep(chosen.configured ? 'consent' : 'client');
  };

  const saveClient = async () => {
    if (!provider) return;
    if (!clientId.trim()) return setError({ code: 'ui.client_id', message: 'Paste the client ID from your provider.' });
    if (provider.needsClientSecret && !provider.hasClientSecret && !clientSecret.trim()) {
      return setError({ code: 'ui.client_secret', message: `${provider.name} needs the client secret too.` });
    }
    setBusy(true);
    const result = await settle(() =>
      api.providers.setClient({
        providerId: provider.id,
        clientId: clientId.trim(),
        ...(clientSecret.trim() ? { clientSecret: clientSecret.trim() } : {}),
      }),
    );
    setBusy(false);
    if (!result.ok) return setError(result.error);
    setError(null);
    setClientSecret('');
    await reloadProviders();
    setStep('consent');
  };

  const signIn = async () => {
    if (!provider) return;
    const hint = loginHint.trim();
    if (hint && !isValidAddress(hint))
      return setError({
        code: 'ui.login_hint',
        message: `“${hint}” is not an email address. Leave it empty to choose in the browser.`,
      });
    setError(null);
    cancelled.current = false;
    setProgress({ stage: 'opening-browser' });
    setStep('signing');
    const result = await settle(() =>
      api.accounts.add({ providerId: provider.id, ...(hint ? { loginHint: hint } : {}) }),
    );
    if (result.ok) return onAdded(result.value);
    setStep('consent');
    if (!cancelled.current) setError(result.error);
  };

  const cancel = async () => {
    if (!provider) return;
    cancelled.current = true;
    await settle(() => api.accounts.cancelSignIn({ providerId: provider.id }));
  };

  const title = {
    pick: 'Add account',
    client: `Your ${provider?.name ?? ''} client`,
    custom: 'Other provider',
    consent: `Sign in to ${provider?.name ?? ''}`,
    signing: `Signing in to ${provider?.name ?? ''}`,
  }[step];
  const weak = settings.status === 'ready' && settings.value.weakStorageConsent;

  return (
    <div className="add-account" onKeyDown={onKeyDown}>
      <div className="view-header">
        {step !== 'signing' && (
          <button type="button" className="icon-button" aria-label={step === 'pick' ? 'Close' : 'Back'} onClick={back}>
            <Icon name="back" />
          </button>
        )}
        <h2 ref={heading} tabIndex={-1}>
          {title}
        </h2>
      </div>

      {step === 'pick' && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            pick();
          }}
        >
          {providers.status === 'error' && <ErrorNote error={providers.error} />}
          <fieldset className="provider-list">
            <legend className="visually-hidden">Provider</legend>
            {list.map((p) => (
              <label key={p.id} className="provider-option">
                <input
                  type="radio"
                  name="provider"
                  value={p.id}
                  checked={choice === p.id}
                  onChange={() => setChoice(p.id)}
                />
                <span>
                  <strong>{p.name}</strong>
                  <span className="muted">{providerBlurb(p)}</span>
                </span>
              </label>
            ))}
            <label className="provider-option">
              <input
                type="radio"
                name="provider"
                value={CUSTOM}
                checked={choice === CUSTOM}
                onChange={() => setChoice(CUSTOM)}
              />
              <span>
                <strong>Other provider</strong>
                <span className="muted">Any OpenID Connect provider with SMTP</span>
              </span>
            </label>
          </fieldset>
          {error && <ErrorNote error={error} />}
          <div className="actions actions-end">
            <button type="button" className="button" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="button button-primary">
              Continue
            </button>
          </div>
        </form>
      )}

      {step === 'client' && provider && (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            void saveClient();
          }}
        >
          <p>{provider.name} needs a client ID that you register yourself:</p>
          <ol className="howto">
            {clientHowTo(provider).map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ol>
          <CopyField label="Redirect URI to register" value={provider.redirectUri} />
          <div className="copy-field">
            <span className="label-text">Scopes</span>
            <ul className="scopes">
              {provider.scopes.map((s) => (
                <li key={s}>
                  <code>{s}</code>
                </li>
              ))}
            </ul>
          </div>
          <label className="stacked">
            Client ID
            <input
              type="text"
              value={clientId}
              onChange={(e) => setClientId(e.target.value)}
              spellCheck={false}
              autoComplete="off"
              required
            />
          </label>
          {provider.needsClientSecret && (
            <label className="stacked">
              Client secret{provider.hasClientSecret ? ' (saved; paste to replace)' : ''}
              <input
                type="password"
                value={clientSecret}
                onChange={(e) => setClientSecret(e.target.value)}
                spellCheck={false}
                autoComplete="off"
              />
            </label>
          )}
          {error && <ErrorNote error={error} />}
          <div className="actions actions-end">
            <button type="submit" className="button button-primary" disabled={busy}>
              {busy ? 'Saving…' : 'Save and continue'}
            </button>
          </div>
        </form>
      )}

      {step === 'custom' && (
        <CustomProviderForm
          redirectUri={list[0]?.redirectUri ?? null}
          onAdded={async (added) => {
            await reloadProviders();
            setProviderId(added.id);
            setStep('consent');
          }}
        />
      )}

      {step === 'consent' && provider && (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            void signIn();
          }}
        >
          <div className="consent">
            <p>{consentLines(provider, info, weak).access}</p>
            <p className="muted">{consentLines(provider, info, weak).storage}</p>
          </div>
          <label className="stacked">
            <span>
              Your address at {provider.name} <span className="muted">(optional)</span>
            </span>
            <input
              type="email"
              value={loginHint}
              onChange={(e) => setLoginHint(e.target.value)}
              autoComplete="email"
              spellCheck={false}
              placeholder="you@example.com"
            />
          </label>
          {error && <ErrorNote error={error} />}
          <div className="actions actions-end">
            {provider.kind !== 'sandbox' && (
              <button type="button" className="link-button" onClick={() => setStep('client')}>
                Use my own client ID
              </button>
            )}
            <button type="submit" className="button button-primary">
              Sign in with browser
            </button>
          </div>
        </form>
      )}

      {step === 'signing' && provider && (
        <SignInProgress
          providerName={provider.name}
          progress={progress ?? { stage: 'opening-browser' }}
          onCancel={() => void cancel()}
        />
      )}
    </div>
  );
}
