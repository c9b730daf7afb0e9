/**
 * The window: a view switcher and four views. Views stay mounted (hidden when not shown) so
 * a half-written message, a running sign-in or an open form survive switching views. Only
 * quick send is in the first download: the other views are separate chunks, fetched the
 * first time the person opens them and kept mounted from then on.
 * Main can ask for a view (`view:show`, e.g. a notification was clicked) or open quick send
 * prefilled (`compose:open`, from a mailto: link or the tray).
 */
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import type { Notice } from '../../electron/ipc/contract';
import { useApi } from './api';
import { AppDataProvider, useAppData } from './AppData';
import { Nav, VIEWS, type ViewId } from './components/Nav';
import { needsAttention } from './lib/outbox';
import { ComposeView, type ComposeRequestEnvelope, type WriteAgainRequest } from './views/ComposeView';

const AccountsView = lazy(() => import('./views/AccountsView').then((m) => ({ default: m.AccountsView })));
const OutboxView = lazy(() => import('./views/OutboxView').then((m) => ({ default: m.OutboxView })));
const SettingsView = lazy(() => import('./views/SettingsView').then((m) => ({ default: m.SettingsView })));

/** What a view shows while its chunk loads: announced, and marked busy for assistive technology. */
function ViewLoading({ active, label }: { active: boolean; label: string }) {
  return (
    <section className="view" aria-label={label} aria-busy="true" hidden={!active}>
      <p role="status">Loading {label.toLowerCase()}…</p>
    </section>
  );
}

function Shell() {
  const api = useApi();
  const { outbox, accounts, online } = useAppData();
  const [view, setView] = useState<ViewId>('compose');
  // Views opened at least once; a view's chunk is fetched (and the view mounted) on its first visit.
  const [visited, setVisited] = useState<ReadonlySet<ViewId>>(() => new Set(['compose']));
  if (!visited.has(view)) setVisited(new Set([...visited, view]));
  const [request, setRequest] = useState<ComposeRequestEnvelope | null>(null);
  const navigate = useCallback((next: ViewId) => setView(next), []);
  // "Write again" from the outbox or history: the composer takes the message out of the outbox.
  const [writeAgain, setWriteAgain] = useState<WriteAgainRequest | null>(null);
  const onWriteAgain = useCallback((id: string) => {
    setView('compose');
    setWriteAgain((r) => ({ nonce: (r?.nonce ?? 0) + 1, id }));
  }, []);
  // Damaged files moved aside at start-up (listed) or later (events); dismissed ones stay gone.
  const [notices, setNotices] = useState<Notice[]>([]);

  useEffect(() => {
    let live = true;
    const off = api.on('app:notice', (notice) => setNotices((n) => [...n, notice]));
    void api.app.notices().then((result) => {
      if (live && result.ok) setNotices((n) => [...result.value, ...n]);
    });
    return () => {
      live = false;
      off();
    };
  }, [api]);

  useEffect(() => {
    const offView = api.on('view:show', ({ view: next }) => setView(next));
    const offCompose = api.on('compose:open', (value) => {
      setView('compose');
      setRequest((r) => ({ nonce: (r?.nonce ?? 0) + 1, value }));
    });
    return () => {
      offView();
      offCompose();
    };
  }, [api]);

  // Ctrl/Cmd+1..4 switch views from anywhere, like tabs in a browser.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return;
      const target = VIEWS[Number(e.key) - 1];
      if (target) {
        e.preventDefault();
        setView(target.id);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const items = outbox.status === 'ready' ? outbox.value.items : [];
  const failed = items.filter((i) => needsAttention(i.state)).length;
  const needsSignIn =
    accounts.status === 'ready' ? accounts.value.filter((a) => a.health === 'needs-sign-in').length : 0;
  const badges = {
    outbox: failed
      ? { count: failed, label: `${failed} not sent`, alert: true }
      : { count: items.length, label: `${items.length} waiting` },
    accounts: { count: needsSignIn, label: `${needsSignIn} need sign-in`, alert: true },
  };

  return (
    <div className="app">
      {/* The window title says Quicksend; the heading is for screen-reader navigation. */}
      <h1 className="visually-hidden">Quicksend</h1>
      <Nav current={view} onSelect={navigate} badges={badges} />
      {!online && (
        <p className="offline-banner" role="status">
          You are offline. Messages wait in the outbox and go out when the connection is back.
        </p>
      )}
      {notices.map((notice, index) => (
        <div key={index} className={`notice-banner notice-${notice.level}`} role="alert">
          <p>
            {notice.message}
            {notice.hint && <span className="small"> {notice.hint}</span>}
          </p>
          <button
            type="button"
            className="icon-button"
            aria-label="Dismiss"
            onClick={() => setNotices((n) => n.filter((_, i) => i !== index))}
          >
            ×
          </button>
        </div>
      ))}
      <main className="views">
        <ComposeView active={view === 'compose'} request={request} writeAgain={writeAgain} onNavigate={navigate} />
        {visited.has('accounts') && (
          <Suspense fallback={<ViewLoading active={view === 'accounts'} label="Accounts" />}>
            <AccountsView active={view === 'accounts'} />
          </Suspense>
        )}
        {visited.has('outbox') && (
          <Suspense fallback={<ViewLoading active={view === 'outbox'} label="Outbox" />}>
            <OutboxView active={view === 'outbox'} onWriteAgain={onWriteAgain} />
          </Suspense>
        )}
        {visited.has('settings') && (
          <Suspense fallback={<ViewLoading active={view === 'settings'} label="Settings" />}>
            <SettingsView active={view === 'settings'} />
          </Suspense>
        )}
      </main>
    </div>
  );
}

export function App() {
  return (
    <AppDataProvider>
      <Shell />
    </AppDataProvider>
  );
}
