/**
 * "Other provider": any OpenID Connect issuer plus the SMTP server that accepts its tokens.
 * Main discovers and checks the issuer (`providers:addCustom`); here we only collect fields.
 */
import { useState } from 'react';
import type { ErrorInfo, Provider } from '../../../electron/ipc/contract';
import { useApi } from '../api';
import { settle } from '../lib/errors';
import { EXTRA_CA_LABEL } from './AccountCaSection';
import { CaCertificateInput, type CheckedCa } from './CaCertificateInput';
import { CopyField } from './CopyField';
import { ErrorNote } from './ErrorNote';

type Security = 'tls' | 'starttls' | 'none';

export function CustomProviderForm({ redirectUri, onAdded }: { redirectUri: string | null; onAdded(provider: Provider): void | Promise<void> }) {
  const api = useApi();
  const [fields, setFields] = useState({ name: '', issuer: '', clientId: '', clientSecret: '', scopes: 'openid email offline_access', host: '', port: '587', security: 'starttls' as Security });
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [busy, setBusy] = useState(false);
  const [extraCa, setExtraCa] = useState<CheckedCa | null>(null);
  const [preferOAuthBearer, setPreferOAuthBearer] = useState(false);
  const set = (key: keyof typeof fields) => (e: { target: { value: string } }) => setFields((f) => ({ ...f, [key]: e.target.value }));

  const submit = async () => {
    const port = Number(fields.port);
    if (!fields.name.trim() || !fields.issuer.trim() || !fields.clientId.trim() || !fields.host.trim()) {
      return setError({ code: 'ui.required', message: 'Fill in the name, issuer, client ID and SMTP server.' });
    }
    if (!/^https:\/\//i.test(fields.issuer.trim())) return setError({ code: 'ui.issuer', message: 'The issuer must be an https:// address.' });
    if (!Number.isInteger(port) || port < 1 || port > 65535) return setError({ code: 'ui.port', message: 'The port must be a number from 1 to 65535.' });
    setBusy(true);
    const result = await settle(() =>
      api.providers.addCustom({
        name: fields.name.trim(),
        issuer: fields.issuer.trim(),
        clientId: fields.clientId.trim(),
        ...(fields.clientSecret.trim() ? { clientSecret: fields.clientSecret.trim() } : {}),
        scopes: fields.scopes.split(/[\s,]+/).filter(Boolean),
        smtp: { host: fields.host.trim(), port, security: fields.security, ...(extraCa ? { extraCa: extraCa.pem } : {}), ...(preferOAuthBearer ? { preferOAuthBearer } : {}) },
      }),
    );
    setBusy(false);
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
      <p className="muted">Register Quicksend at your provider as a native (public) client with PKCE, then fill in what it gave you.</p>
      {redirectUri && <CopyField label="Redirect URI to register" value={redirectUri} />}
      <label className="stacked">
        Name
        <input type="text" value={fields.name} onChange={set('name')} placeholder="Work mail" />
      </label>
      <label className="stacked">
        Issuer URL
        <input type="url" value={fields.issuer} onChange={set('issuer')} placeholder="https://login.example.com" spellCheck={false} />
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
          <input type="text" value={fields.host} onChange={set('host')} placeholder="smtp.example.com" spellCheck={false} />
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
      {error && <ErrorNote error={error} />}
      <div className="actions actions-end">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Checking…' : 'Add provider'}
        </button>
      </div>
    </form>
  );
}
