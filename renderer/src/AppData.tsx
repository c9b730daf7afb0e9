/**
 * What several views share, loaded once per window: app info, accounts (live through
 * `accounts:changed`), providers, settings and the outbox (from `outbox:list`, then kept
 * current by the changes each `outbox:changed` carries; a gap in revisions lists it again).
 * Keeping one copy means the composer's From picker, the Accounts view and Settings never
 * disagree, and the nav badge counts the same outbox the Outbox view shows.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type {
  Account,
  AppInfo,
  ErrorInfo,
  EventPayloadOf,
  OutboxItem,
  OutboxList,
  Provider,
  QuicksendApi,
  Result,
  Settings,
} from '../../electron/ipc/contract';
import { useApi } from './api';
import { settle } from './lib/errors';
import { applyOutboxChange } from './lib/outbox-changes';

export type Loadable<T> = { status: 'loading' } | { status: 'error'; error: ErrorInfo } | { status: 'ready'; value: T };

export type AppData = {
  info: AppInfo | null;
  accounts: Loadable<Account[]>;
  providers: Loadable<Provider[]>;
  settings: Loadable<Settings>;
  outbox: Loadable<{ items: OutboxItem[]; paused: boolean }>;
  online: boolean;
  updateSettings(patch: Partial<Settings>): Promise<Result<Settings>>;
  reloadProviders(): Promise<void>;
  reloadAccounts(): Promise<void>;
};

const AppDataContext = createContext<AppData | null>(null);

const fromResult = <T,>(result: Result<T>): Loadable<T> =>
  result.ok ? { status: 'ready', value: result.value } : { status: 'error', error: result.error };

/** The value when ready, else a fallback: for places that just need "what we know so far". */
export function valueOr<T>(loadable: Loadable<T>, fallback: T): T {
  return loadable.status === 'ready' ? loadable.value : fallback;
}

export function AppDataProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [accounts, setAccounts] = useState<Loadable<Account[]>>({ status: 'loading' });
  const [providers, setProviders] = useState<Loadable<Provider[]>>({ status: 'loading' });
  const [settings, setSettings] = useState<Loadable<Settings>>({ status: 'loading' });
  const [outbox, setOutbox] = useState<Loadable<{ items: OutboxItem[]; paused: boolean }>>({ status: 'loading' });
  const [online, setOnline] = useState(() => navigator.onLine);

  const reloadProviders = useCallback(
    async () => setProviders(fromResult(await settle(() => api.providers.list()))),
    [api],
  );
  const reloadAccounts = useCallback(
    async () => setAccounts(fromResult(await settle(() => api.accounts.list()))),
    [api],
  );

  useEffect(() => {
    let live = true;
    const guard =
      <T,>(set: (value: T) => void) =>
      (value: T) =>
        live && set(value);
    void settle(() => api.app.info()).then((r) => r.ok && guard(setInfo)(r.value));
    void settle(() => api.accounts.list()).then((r) => guard(setAccounts)(fromResult(r)));
    void settle(() => api.providers.list()).then((r) => guard(setProviders)(fromResult(r)));
    void settle(() => api.settings.get()).then((r) => guard(setSettings)(fromResult(r)));
    const outboxFeed = followOutbox(api, guard(setOutbox));
    const offAccounts = api.on(
      'accounts:changed',
      ({ accounts: value }) => live && setAccounts({ status: 'ready', value }),
    );
    const onOnline = () => setOnline(navigator.onLine);
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOnline);
    return () => {
      live = false;
      offAccounts();
      outboxFeed.stop();
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOnline);
    };
  }, [api]);

  const updateSettings = useCallback(
    async (patch: Partial<Settings>) => {
      const result = await settle(() => api.settings.set(patch));
      if (result.ok) setSettings({ status: 'ready', value: result.value });
      return result;
    },
    [api],
  );

  const value = useMemo<AppData>(
    () => ({ info, accounts, providers, settings, outbox, online, updateSettings, reloadProviders, reloadAccounts }),
    [info, accounts, providers, settings, outbox, online, updateSettings, reloadProviders, reloadAccounts],
  );
  return <AppDataContext.Provider value={value}>{children}</AppDataContext.Provider>;
}

/**
 * The outbox list, then its changes: events that arrive while the list is on its way wait and
 * are applied after it (those it already shows are skipped); a gap in revisions lists again.
 */
function followOutbox(
  api: QuicksendApi,
  publish: (outbox: Loadable<{ items: OutboxItem[]; paused: boolean }>) => void,
): { stop(): void } {
  let current: OutboxList | null = null;
  let listing = false;
  let held: Array<EventPayloadOf<'outbox:changed'>> = [];
  const show = (list: OutboxList) => publish({ status: 'ready', value: { items: list.items, paused: list.paused } });

  function list(): void {
    if (listing) return;
    listing = true;
    void settle(() => api.outbox.list()).then((result) => {
      listing = false;
      if (!result.ok) {
        held = [];
        if (!current) publish(fromResult(result));
        return;
      }
      let shown = result.value;
      let gap = false;
      // What came meanwhile: those the list shows already are stale; the rest follow on from it.
      for (const event of held.splice(0)) {
        const next = applyOutboxChange(shown, event);
        if (next === 'gap') gap = true;
        else if (next !== 'stale') shown = next;
      }
      current = shown;
      show(current);
      // An event went missing while listing: what it said is only in a newer list.
      if (gap) list();
    });
  }

  function onChanged(event: EventPayloadOf<'outbox:changed'>): void {
    if (listing || !current) {
      held.push(event);
      list();
      return;
    }
    const next = applyOutboxChange(current, event);
    if (next === 'stale') return;
    if (next === 'gap') {
      held.push(event);
      list();
      return;
    }
    current = next;
    show(current);
  }

  const off = api.on('outbox:changed', (event) => onChanged(event));
  list();
  return { stop: off };
}

export function useAppData(): AppData {
  const data = useContext(AppDataContext);
  if (!data) throw new Error('useAppData needs an <AppDataProvider>');
  return data;
}
