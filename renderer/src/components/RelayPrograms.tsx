/**
 * The programs that may send through the relay: create one (name, account, From rewrite,
 * hourly limit), copy its password once, see when each was last used, revoke it.
 */
import { useId, useState, type FormEvent } from 'react';
import type { Account, ErrorInfo, RelayProgram, RelayStatus, ResponseOf } from '../../../electron/ipc/contract';
import { useApi } from '../api';
import { useNow } from '../hooks/useNow';
import { settle } from '../lib/errors';
import { clockTime, relativeTime } from '../lib/time';
import { CopyField } from './CopyField';
import { ErrorNote } from './ErrorNote';
import { RelaySetupHelp } from './RelaySetupHelp';

type Created = ResponseOf<'relay:createCredential'>;

function ProgramRow({ program, now }: { program: RelayProgram; now: number }) {
  const api = useApi();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const revoke = async () => {
    const result = await settle(() => api.relay.revokeCredential({ id: program.id }));
    if (!result.ok) setError(result.error);
  };
  return (
    <li className="account-card relay-program">
      <div className="relay-program-head">
        <span className="account-address">{program.programName}</span>
        <span className="muted small">{program.accountAddress ?? 'account removed'}</span>
      </div>
      <dl className="ca-summary">
        <dt>Username</dt>
        <dd>
          <code>{program.username}</code>
        </dd>
        <dt>Created</dt>
        <dd>{clockTime(program.createdAt, now)}</dd>
        <dt>Last used</dt>
        <dd>{program.lastUsedAt ? relativeTime(program.lastUsedAt, now) : 'never'}</dd>
        <dt>Messages</dt>
        <dd>
          {program.messageCount} in all, {program.sentLastHour} of {program.sendLimitPerHour} this hour
          {program.rewriteFrom ? ', From rewritten' : ''}
        </dd>
      </dl>
      {!confirming ? (
        <div className="actions">
          <button
            type="button"
            className="button button-small"
            onClick={() => setConfirming(true)}
            aria-label={`Revoke ${program.programName}`}
          >
            Revoke…
          </button>
        </div>
      ) : (
        <div className="confirm" role="group" aria-label={`Revoke ${program.programName}?`}>
          <p>{program.programName} will no longer be able to send through Quicksend.</p>
          <div className="actions">
            <button type="button" className="button button-small button-danger" onClick={() => void revoke()}>
              Revoke
            </button>
            <button type="button" className="button button-small" onClick={() => setConfirming(false)}>
              Keep
            </button>
          </div>
        </div>
      )}
      {error && <ErrorNote error={error} />}
    </li>
  );
}

function OneTimeSecret({ created, onDone }: { created: Created; onDone(): void }) {
  const security = created.allowPlainAuth ? 'STARTTLS, or none (this computer only)' : 'STARTTLS (required)';
  return (
    <section className="relay-secret" aria-labelledby="relay-secret-heading">
      <h4 id="relay-secret-heading">Sign-in for {created.program.programName}</h4>
      <p className="note" role="status">
        Copy the password now: Quicksend keeps only a fingerprint of it and cannot show it again.
      </p>
      <CopyField label="Username" value={created.username} />
      <CopyField label="Password" value={created.password} />
      <CopyField label="Server" value={created.host} />
      <CopyField label="Port" value={String(created.port)} />
      {created.implicitTlsPort !== null && (
        <CopyField label="TLS port (SSL/TLS)" value={String(created.implicitTlsPort)} />
      )}
      <p className="muted small">
        Security: {security}. Sends as {created.program.accountAddress}.
      </p>
      <div className="actions">
        <button type="button" className="button button-primary button-small" onClick={onDone}>
          Done, I copied it
        </button>
      </div>
    </section>
  );
}

export function RelayPrograms({
  programs,
  accounts,
  status,
}: {
  programs: RelayProgram[];
  accounts: Account[];
  status: RelayStatus;
}) {
  const api = useApi();
  const now = useNow(true, 30_000);
  const ids = { name: useId(), account: useId(), limit: useId() };
  const [name, setName] = useState('');
  const [accountId, setAccountId] = useState('');
  const [rewriteFrom, setRewriteFrom] = useState(false);
  const [limit, setLimit] = useState(String(status.defaultSendLimitPerHour));
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [created, setCreated] = useState<Created | null>(null);
  const chosen = accountId || accounts[0]?.id || '';

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const perHour = Number(limit);
    const result = await settle(() =>
      api.relay.createCredential({
        programName: name,
        accountId: chosen,
        rewriteFrom,
        ...(Number.isInteger(perHour) && perHour > 0 ? { sendLimitPerHour: perHour } : {}),
      }),
    );
    if (!result.ok) return setError(result.error);
    setCreated(result.value);
    setName('');
  };

  const from = accounts.find((a) => a.id === (created?.program.accountId ?? chosen))?.fromAddress ?? 'you@example.org';
  return (
    <div className="relay-programs">
      <h4>Programs</h4>
      {programs.length === 0 ? (
        <p className="muted small">No program can send through Quicksend yet.</p>
      ) : (
        <ul className="account-list" aria-label="Programs that may send">
          {programs.map((program) => (
            <ProgramRow key={program.id} program={program} now={now} />
          ))}
        </ul>
      )}

      {created ? (
        <OneTimeSecret created={created} onDone={() => setCreated(null)} />
      ) : (
        <form className="relay-create stack" onSubmit={(e) => void create(e)} aria-label="New program sign-in">
          <div className="setting">
            <label htmlFor={ids.name}>Program name</label>
            <input
              id={ids.name}
              type="text"
              value={name}
              maxLength={100}
              onChange={(e) => setName(e.target.value)}
              placeholder="backup script"
              required
            />
          </div>
          <div className="setting">
            <label htmlFor={ids.account}>Account to send with</label>
            <select
              id={ids.account}
              value={chosen}
              onChange={(e) => setAccountId(e.target.value)}
              disabled={accounts.length === 0}
            >
              {accounts.length === 0 && <option value="">Add an account first</option>}
              {accounts.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.fromAddress}
                </option>
              ))}
            </select>
          </div>
          <div className="setting">
            <label htmlFor={ids.limit}>Messages per hour, at most</label>
            <input
              id={ids.limit}
              type="number"
              min={1}
              max={10000}
              value={limit}
              onChange={(e) => setLimit(e.target.value)}
            />
          </div>
          <label className="checkbox">
            <input type="checkbox" checked={rewriteFrom} onChange={(e) => setRewriteFrom(e.target.checked)} />
            Send as the account, whatever sender the program writes
          </label>
          <div className="actions">
            <button
              type="submit"
              className="button button-small"
              disabled={accounts.length === 0 || name.trim() === ''}
            >
              Create sign-in
            </button>
          </div>
          {error && <ErrorNote error={error} />}
        </form>
      )}
      <RelaySetupHelp
        port={status.settings.port}
        tlsPort={status.settings.implicitTlsPort}
        username={created?.username ?? programs[0]?.username ?? 'YOUR-USERNAME'}
        from={from}
      />
    </div>
  );
}
