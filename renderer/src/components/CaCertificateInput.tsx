/**
 * Choose (file picker, read here with the File API: no path crosses IPC) or paste a certificate
 * authority; main checks it (`certificates:inspect`) and the person sees who it is and its
 * SHA-256 fingerprint before anything is saved. Errors are shown at the field.
 */
import { useId, useState } from 'react';
import type { CaCertificate } from '../../../electron/ipc/contract';
import { useApi } from '../api';
import { MAX_CERTIFICATE_FILE_BYTES, pemFromFile } from '../lib/certificate';
import { settle } from '../lib/errors';

export type CheckedCa = { pem: string; summary: CaCertificate };

/** Subject, fingerprint and expiry of a CA, as a definition list. */
export function CaSummary({ ca }: { ca: CaCertificate }) {
  return (
    <dl className="ca-summary">
      <dt>Issued to</dt>
      <dd>{ca.subject}</dd>
      <dt>SHA-256 fingerprint</dt>
      <dd>
        <code>{ca.fingerprint256}</code>
      </dd>
      <dt>Valid until</dt>
      <dd>{ca.validTo.slice(0, 10)}</dd>
    </dl>
  );
}

export function CaCertificateInput({ onChecked }: { onChecked(value: CheckedCa | null): void }) {
  const api = useApi();
  const id = useId();
  const [pasted, setPasted] = useState('');
  const [checked, setChecked] = useState<CheckedCa | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const check = async (pem: string) => {
    setBusy(true);
    const result = await settle(() => api.certificates.inspect({ pem }));
    setBusy(false);
    const next = result.ok ? { pem, summary: result.value } : null;
    setChecked(next);
    setError(result.ok ? null : [result.error.message, result.error.hint].filter(Boolean).join(' '));
    onChecked(next);
  };

  const chooseFile = async (file: File | undefined) => {
    if (!file) return;
    if (file.size > MAX_CERTIFICATE_FILE_BYTES) {
      setChecked(null);
      onChecked(null);
      return setError(`"${file.name}" is too large to be a certificate (${Math.ceil(file.size / 1024)} kB).`);
    }
    await check(await pemFromFile(file));
  };

  const errorId = `${id}-error`;
  const described = error ? { 'aria-describedby': errorId, 'aria-invalid': true } : {};
  return (
    <div className="stack ca-input">
      <label className="stacked">
        Certificate file (.pem, .crt or .cer)
        <input
          type="file"
          accept=".pem,.crt,.cer,application/x-pem-file,application/x-x509-ca-cert"
          disabled={busy}
          onChange={(e) => void chooseFile(e.target.files?.[0])}
          {...described}
        />
      </label>
      <label className="stacked">
        Or paste it
        <textarea
          rows={4}
          value={pasted}
          onChange={(e) => setPasted(e.target.value)}
          placeholder="-----BEGIN CERTIFICATE-----"
          spellCheck={false}
          {...described}
        />
      </label>
      <div className="actions">
        <button
          type="button"
          className="button button-small"
          disabled={busy || !pasted.trim()}
          onClick={() => void check(pasted)}
        >
          {busy ? 'Checking…' : 'Check pasted certificate'}
        </button>
      </div>
      {error && (
        <p className="field-error" id={errorId} role="alert">
          {error}
        </p>
      )}
      {checked && <CaSummary ca={checked.summary} />}
    </div>
  );
}
