/**
 * "Other provider": any OpenID Connect issuer plus the SMTP server that accepts its tokens.
 * "Check provider" asks main to run discovery (`providers:discover`) and shows in plain words
 * what the provider offers; "Add provider" saves (`providers:addCustom`), and checks first when
 * the person has not seen the findings for these exact issuer and client settings yet.
 */
import { useState } from 'react';
import type { ErrorInfo, Provider, ProviderDiscovery } from '../../../electron/ipc/contract';
import { useApi } from '../api';
import { useAppData } from '../AppData';
import { discoveryLines, issuerAllowed } from '../lib/discovery';
import { settle } from '../lib/errors';
import { EXTRA_CA_LABEL } from './AccountCaSection';
import { CaCertificateInput, type CheckedCa } from './CaCertificateInput';
import { CopyField } from './CopyField';
import { ErrorNote } from './ErrorNote';
import { Icon } from './Icon';

type Security = 'tls' | 'starttls' | 'none';
type Checked = { key: string; summary: ProviderDiscovery };

export function CustomProviderForm({
  redirectUri,
  onAdded,
}: {
  redirectUri: string | null;
  onAdded(provider: Provider): void | Promise<void>;
}) {
  const api = useApi();
  const development = useAppData().info?.development ?? false;
  const [fields, setFields] = useState({
    name: '',
    issuer: '',
    clientId: '',
    clientSecret: '',
    scopes: 'openid email offline_access',
    host: '',
    port: '587',
    security: 'starttls' as Security,
  });
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [busy, setBusy] = useState<'checking' | 'adding' | null>(null);
  const [checked, setChecked] = useState<Checked | null>(null);
  const [reviewFirst, setReviewFirst] = useState(false);
  const [extraCa, setExtraCa] = useState<CheckedCa | null>(null);
  const [preferOAuthBearer, setPreferOAuthBearer] = useState(false);
  const set = (key: keyof typeof fields) => (e: { target: { value: string } }) =>
    setFields((f) => ({ ...f, [key]: e.target.value }));
  // The findings belong to one issuer and client; any change there makes them stale.
  const checkKey = JSON.stringify([fields.issuer.trim(), fields.clientId.trim(), fields.clientSecret.trim()]);
  const summary = checked?.key === checkKey ? checked.summary : null;

  const issuerProblem = (): ErrorInfo | null => {
    if (!fields.issuer.trim() || !fields.clientId.trim())
      return { code: 'ui.required', message: 'Fill in the issuer URL and client ID first.' };
    if (!issuerAllowed(fields.issuer, development)) {
      return development
        ? {
            code: 'ui.issuer',
            message: 'The issuer must be an https:// address.',
            hint: 'In a development build, http://127.0.0.1 works too (for the local sandbox).',
          }
        : { code: 'ui.issuer', message: 'The issuer must be an https:// address.' };
    }
    return null;
  };

  const check = async (): Promise<boolean> => {
    const problem = issuerProblem();
    if (problem) return (setError(problem), false);
    setError(null);
    setBusy('checking');
    const key = checkKey;
    const result = await settle(() =>
      api.providers.discover({
        issuer: fields.issuer.trim(),
        clientId: fields.clientId.trim(),
        ...(fields.clientSecret.trim() ? { clientSecret: fields.clientSecret.trim() } : {}),
      }),
    );
    setBusy(null);
    if (!result.ok) return (setError(result.error), false);
    setChecked({ key, summary: result.value });
    return true;
  };

  const submit = async () => {
    const port = Number(fields.port);
    if (!fields.name.trim() || !fields.issuer.trim() || !fields.clientId.trim() || !fields.host.trim()) {
      return setError({ code: 'ui.required', message: 'Fill in the name, issuer, client ID and SMTP server.' });
    }
    const problem = issuerProblem();
    if (problem) return setError(problem);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      return setError({ code: 'ui.port', message: 'The port must be a number from 1 to 65535.' });
    if (!summary) {
      // Nothing is saved before the person has seen what the provider offers.
      setReviewFirst(await check());
      return;
    }
    setError(null);
    setBusy('adding');
    const result = await settle(() =>
      api.providers.addCustom({
        name: fields.name.trim(),
        issuer: fields.issuer.trim(),
        clientId: fields.clientId.trim(),
        ...(fields.clientSecret.trim() ? { clientSecret: fields.clientSecret.trim() } : {}),
        scopes: fields.scopes.split(/[\s,]+/).filter(Boolean),
        smtp: {
          host: fields.host.trim(),
          port,
          security: fields.security,
          ...(extraCa ? { extraCa: extraCa.pem } : {}),
          ...(preferOAuthBearer ? { preferOAuthBearer } : {}),
        },
      }),
    );
    setBusy(null);
    if (!result.ok) return setError(result.error);
    await onAdded(result.value);
  };

  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <p className="muted">
        Register Quicksend at your provider as a native (public) client with PKCE, then fill in what it gave you.
      </p>
      {redirectUri && <CopyField label="Redirect URI to register" value={redirectUri} />}
      <label className="stacked">
        Name
        <input type="text" value={fields.name} onChange={set('name')} placeholder="Work mail" />
      </label>
      <label className="stacked">
        Issuer URL
        <input
          type="url"
          value={fields.issuer}
          onChange={set('issuer')}
          placeholder="https://login.example.com"
          spellCheck={false}
        />
      </label>
      <label className="stacked">
        Client ID
        <input type="text" value={fields.clientId} onChange={set('clientId')} spellCheck={false} autoComplete="off" />
      </label>
      <label className="stacked">
        <span>
          Client secret <span className="muted">(only if your provider issued one)</span>
        </span>
        <input type="password" value={fields.clientSecret} onChange={set('clientSecret')} autoComplete="off" />
      </label>
      <label className="stacked">
        Scopes
        <input type="text" value={fields.scopes} onChange={set('scopes')} spellCheck={false} />
      </label>
      <fieldset className="inline-fields">
        <legend>SMTP server</legend>
        <label className="stacked grow">
          Host
          <input
            type="text"
            value={fields.host}
            onChange={set('host')}
            placeholder="smtp.example.com"
            spellCheck={false}
          />
        </label>
        <label className="stacked port">
          Port
          <input type="number" min={1} max={65535} value={fields.port} onChange={set('port')} />
        </label>
        <label className="stacked">
          Security
          <select value={fields.security} onChange={set('security')}>
            <option value="tls">TLS</option>
            <option value="starttls">STARTTLS</option>
            <option value="none">None</option>
          </select>
        </label>
        <label className="checkbox full">
          <input type="checkbox" checked={preferOAuthBearer} onChange={(e) => setPreferOAuthBearer(e.target.checked)} />
          Sign in with the standard method (OAUTHBEARER) when the server offers it
        </label>
        <details className="ca-section full">
          <summary>{EXTRA_CA_LABEL} (only for a company or self-hosted server)</summary>
          <CaCertificateInput onChecked={setExtraCa} />
        </details>
      </fieldset>
      <div role="status" aria-live="polite">
        {summary && (
          <section className="test-result discovery" aria-labelledby="discovery-heading">
            <h3 id="discovery-heading">What {summary.issuer} offers</h3>
            <ul>
              {discoveryLines(summary).map((line) => (
                <li key={line.topic} className={line.ok ? 'ok' : 'warn'}>
                  <Icon name={line.ok ? 'check' : 'alert'} />
                  <span>
                    <strong>{line.topic}</strong>{' '}
                    <span className="visually-hidden">{line.ok ? 'fine' : 'worth knowing'}: </span>
                    {line.text}
                  </span>
                </li>
              ))}
            </ul>
            {reviewFirst && (
              <p className="hint">Review what the provider offers, then choose Add provider to save it.</p>
            )}
          </section>
        )}
      </div>
      {error && <ErrorNote error={error} />}
      <div className="actions actions-end">
        <button
          type="button"
          className="button"
          disabled={busy !== null}
          onClick={() => void check().then((ok) => ok && setReviewFirst(false))}
        >
          {busy === 'checking' ? 'Checking…' : 'Check provider'}
        </button>
        <button type="submit" className="button button-primary" disabled={busy !== null}>
          {busy === 'adding' ? 'Adding…' : 'Add provider'}
        </button>
      </div>
    </form>
  );
}
