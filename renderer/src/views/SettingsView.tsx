/**
 * Settings: each control saves on change through `settings:set` and says so; a refused
 * value shows the reason next to its control. Weak-storage consent appears on Linux only,
 * where a desktop without a key store falls back to `basic_text`.
 */
import { useEffect, useRef, useState } from 'react';
import type { ErrorInfo, Settings } from '../../../electron/ipc/contract';
import { useApi } from '../api';
import { useAppData, valueOr } from '../AppData';
import { ErrorNote } from '../components/ErrorNote';
import { RelaySection } from '../components/RelaySection';
import { ShortcutInput } from '../components/ShortcutInput';
import { settle } from '../lib/errors';

const UNDO_CHOICES = [0, 3, 5, 10, 15, 20, 30];

export function SettingsView({ active }: { active: boolean }) {
  const api = useApi();
  const { settings, accounts, info, updateSettings } = useAppData();
  const [status, setStatus] = useState<{ key: keyof Settings; error: ErrorInfo | null } | null>(null);
  const [exported, setExported] = useState<{ path: string; records: number } | null>(null);
  const [exportError, setExportError] = useState<ErrorInfo | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (active) heading.current?.focus();
  }, [active]);

  const save = async <K extends keyof Settings>(key: K, value: Settings[K]) => {
    const result = await updateSettings({ [key]: value } as Partial<Settings>);
    setStatus({ key, error: result.ok ? null : result.error });
  };
  const note = (key: keyof Settings) =>
    status?.key === key &&
    (status.error ? (
      <p className="field-error" role="alert">
        {status.error.message}
        {status.error.hint ? ` ${status.error.hint}` : ''}
      </p>
    ) : (
      <p className="field-saved" role="status">
        Saved
      </p>
    ));

  const exportDiagnostics = async () => {
    setExportError(null);
    const result = await settle(() => api.diagnostics.export());
    if (result.ok) setExported(result.value);
    else setExportError(result.error);
  };

  const accountList = valueOr(accounts, []);
  const weakStore = info?.platform === 'linux';

  return (
    <section className="view settings" aria-labelledby="settings-heading" hidden={!active}>
      <div className="view-header">
        <h2 id="settings-heading" ref={heading} tabIndex={-1}>
          Settings
        </h2>
      </div>
      {settings.status === 'loading' && <p>Loading settings…</p>}
      {settings.status === 'error' && <ErrorNote error={settings.error} />}
      {settings.status === 'ready' && (
        <div className="settings-list">
          <div className="setting">
            <label htmlFor="setting-undo">Undo delay</label>
            <select
              id="setting-undo"
              value={settings.value.undoDelaySeconds}
              onChange={(e) => void save('undoDelaySeconds', Number(e.target.value))}
              aria-describedby="setting-undo-help"
            >
              {UNDO_CHOICES.map((s) => (
                <option key={s} value={s}>
                  {s === 0 ? 'Off' : `${s} seconds`}
                </option>
              ))}
            </select>
            <p className="muted small" id="setting-undo-help">
              How long a sent message waits so you can take it back.
            </p>
            {note('undoDelaySeconds')}
          </div>

          <div className="setting">
            <label htmlFor="setting-account">Default account</label>
            <select
              id="setting-account"
              value={settings.value.defaultAccountId ?? ''}
              onChange={(e) => void save('defaultAccountId', e.target.value || null)}
              disabled={!accountList.length}
            >
              <option value="">{accountList.length ? 'The first account' : 'No accounts yet'}</option>
              {accountList.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.fromAddress}
                </option>
              ))}
            </select>
            {note('defaultAccountId')}
          </div>

          <div className="setting">
            <label htmlFor="setting-shortcut">Global shortcut</label>
            <ShortcutInput
              id="setting-shortcut"
              value={settings.value.globalShortcut}
              onChange={(value) => void save('globalShortcut', value)}
              describedBy="setting-shortcut-help"
            />
            <p className="muted small" id="setting-shortcut-help">
              Opens quick send from anywhere. Focus the field and press the new keys.
            </p>
            {note('globalShortcut')}
          </div>

          <div className="setting setting-check">
            <label className="checkbox">
              <input
                type="checkbox"
                checked={settings.value.startAtLogin}
                onChange={(e) => void save('startAtLogin', e.target.checked)}
              />
              Start Quicksend when I log in
            </label>
            {note('startAtLogin')}
          </div>

          <div className="setting setting-check">
            <label className="checkbox">
              <input
                type="checkbox"
                checked={settings.value.mailtoHandler}
                onChange={(e) => void save('mailtoHandler', e.target.checked)}
              />
              Open email links (mailto:) in Quicksend
            </label>
            {note('mailtoHandler')}
          </div>

          {weakStore && (
            <div className="setting setting-check">
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={settings.value.weakStorageConsent}
                  onChange={(e) => void save('weakStorageConsent', e.target.checked)}
                  aria-describedby="setting-weak-help"
                />
                Keep sign-ins without a key store
              </label>
              <p className="muted small" id="setting-weak-help">
                {info?.keyStore === 'basic_text'
                  ? 'Your desktop offers no key store. If you allow this, sign-ins are saved on disk protected only by file permissions; otherwise you sign in again after each restart.'
                  : 'Only used if your desktop’s key store (GNOME keyring, KWallet) becomes unavailable.'}
              </p>
              {note('weakStorageConsent')}
            </div>
          )}
        </div>
      )}

      <RelaySection />

      <div className="setting">
        <h3>Diagnostics</h3>
        <p className="muted small">
          Saves the recent log to a file you can attach to a bug report. Tokens, passwords and message text are never in
          it.
        </p>
        <button type="button" className="button button-small" onClick={() => void exportDiagnostics()}>
          Export diagnostics
        </button>
        {exported && (
          <p className="field-saved" role="status">
            Saved {exported.records} log lines to <code className="path">{exported.path}</code>
          </p>
        )}
        {exportError && <ErrorNote error={exportError} />}
      </div>

      {info && (
        <p className="about muted small">
          {info.name} v{info.version}
          {info.development ? ' (development)' : ''}
        </p>
      )}
    </section>
  );
}
