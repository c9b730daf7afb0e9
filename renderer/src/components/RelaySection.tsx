/**
 * Settings, "Other programs": the loopback SMTP relay (issue 16). On/off, host and port,
 * security choices, where it listens or why it cannot, its certificate, and the programs
 * allowed to send. Everything saves through `relay:configure` and follows `relay:changed`.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { ErrorCode, ErrorInfo, RelayProgram, RelaySettings, RelayStatus } from '../../../electron/ipc/contract';
import { useApi } from '../api';
import { useAppData, valueOr } from '../AppData';
import { settle } from '../lib/errors';
import { CopyButton } from './CopyField';
import { ErrorNote } from './ErrorNote';
import { RelayPrograms } from './RelayPrograms';

const hostPort = (address: string, port: number) =>
  address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;

function StateLine({ status }: { status: RelayStatus }) {
  if (status.state === 'off') return <p className="muted small">Off. Nothing listens until you turn it on.</p>;
  if (status.state === 'starting') return <p className="muted small">Starting…</p>;
  if (status.state === 'failed')
    return status.problem ? (
      <ErrorNote error={{ code: 'relay.not_listening' satisfies ErrorCode, ...status.problem }} />
    ) : null;
  return (
    <p className="field-saved" role="status">
      Listening on{' '}
      {status.listening.map((l) => `${hostPort(l.address, l.port)}${l.tls === 'implicit' ? ' (TLS)' : ''}`).join(', ')}
    </p>
  );
}

export function RelaySection() {
  const api = useApi();
  const { accounts } = useAppData();
  const [status, setStatus] = useState<RelayStatus | null>(null);
  const [programs, setPrograms] = useState<RelayProgram[]>([]);
  const [loadError, setLoadError] = useState<ErrorInfo | null>(null);
  const [saveError, setSaveError] = useState<ErrorInfo | null>(null);
  const [port, setPort] = useState('');
  const [tlsPort, setTlsPort] = useState('');
  const ids = { port: useId(), tls: useId(), help: useId() };

  useEffect(() => {
    let live = true;
    void Promise.all([settle(() => api.relay.status()), settle(() => api.relay.listCredentials())]).then(([s, p]) => {
      if (!live) return;
      if (s.ok) setStatus(s.value);
      else setLoadError(s.error);
      if (p.ok) setPrograms(p.value);
    });
    const off = api.on('relay:changed', (payload) => {
      setStatus(payload.status);
      setPrograms(payload.programs);
    });
    return () => {
      live = false;
      off();
    };
  }, [api]);

  useEffect(() => {
    if (!status) return;
    setPort(String(status.settings.port));
    setTlsPort(String(status.settings.implicitTlsPort ?? status.settings.port + 1));
  }, [status?.settings.port, status?.settings.implicitTlsPort]);

  const configure = async (patch: Partial<RelaySettings>) => {
    setSaveError(null);
    const result = await settle(() => api.relay.configure(patch));
    if (result.ok) setStatus(result.value);
    else setSaveError(result.error);
  };
  const savePort = (event: FormEvent) => {
    event.preventDefault();
    void configure({ port: Number(port) });
  };

  if (loadError)
    return (
      <div className="setting">
        <ErrorNote error={loadError} />
      </div>
    );
  if (!status) return <p className="muted small">Loading…</p>;
  const { settings } = status;
  return (
    <section className="relay-section" aria-labelledby="relay-heading">
      <h3 id="relay-heading">Other programs</h3>
      <p className="muted small" id={ids.help}>
        Scripts, backup tools, git send-email or an older mail client can send through your accounts here, with a
        username and password Quicksend makes for each program. Only programs on this computer can connect; none ever
        sees your sign-in.
      </p>
      <div className="settings-list">
        <div className="setting setting-check">
          <label className="checkbox">
            <input
              type="checkbox"
              checked={settings.enabled}
              onChange={(e) => void configure({ enabled: e.target.checked })}
              aria-describedby={ids.help}
            />
            Let programs on this computer send through Quicksend
          </label>
          <StateLine status={status} />
        </div>
        <form className="setting" onSubmit={savePort}>
          <label htmlFor={ids.port}>Server 127.0.0.1, port</label>
          <div className="copy-row">
            <input
              id={ids.port}
              type="number"
              min={1024}
              max={65535}
              value={port}
              onChange={(e) => setPort(e.target.value)}
            />
            <button type="submit" className="button button-small" disabled={Number(port) === settings.port}>
              Use this port
            </button>
          </div>
        </form>
        <div className="setting setting-check">
          <label className="checkbox">
            <input
              type="checkbox"
              checked={settings.allowPlainAuth}
              onChange={(e) => void configure({ allowPlainAuth: e.target.checked })}
            />
            Allow sign-in without TLS (the connection never leaves this computer)
          </label>
          <p className="muted small">
            STARTTLS is always offered on this port, with a certificate Quicksend made for 127.0.0.1.
          </p>
        </div>
        <div className="setting setting-check">
          <label className="checkbox">
            <input
              type="checkbox"
              checked={settings.implicitTlsPort !== null}
              onChange={(e) =>
                void configure({ implicitTlsPort: e.target.checked ? Number(tlsPort) || settings.port + 1 : null })
              }
            />
            Also offer a TLS port (SSL/TLS from the start)
          </label>
          {settings.implicitTlsPort !== null && (
            <form
              className="copy-row"
              onSubmit={(e) => {
                e.preventDefault();
                void configure({ implicitTlsPort: Number(tlsPort) });
              }}
            >
              <label htmlFor={ids.tls} className="visually-hidden">
                TLS port
              </label>
              <input
                id={ids.tls}
                type="number"
                min={1024}
                max={65535}
                value={tlsPort}
                onChange={(e) => setTlsPort(e.target.value)}
              />
              <button
                type="submit"
                className="button button-small"
                disabled={Number(tlsPort) === settings.implicitTlsPort}
              >
                Use this TLS port
              </button>
            </form>
          )}
        </div>
        {status.certificate && (
          <div className="setting">
            <span className="label-text">Certificate</span>
            <p className="small">
              SHA-256 fingerprint: <code className="path">{status.certificate.fingerprint256}</code>
            </p>
            <p className="muted small">For programs that must trust it, save it as quicksend-relay.pem.</p>
            <div className="actions">
              <CopyButton text={status.certificate.pem} label="Copy certificate (PEM)" />
            </div>
          </div>
        )}
      </div>
      {saveError && <ErrorNote error={saveError} />}
      <RelayPrograms programs={programs} accounts={valueOr(accounts, [])} status={status} />
    </section>
  );
}
