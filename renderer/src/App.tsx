import { useEffect, useState } from 'react';
import type { AppInfo } from '../../electron/ipc/contract';
import { useApi } from './api';
import { AccountsView } from './views/AccountsView';

export function App() {
  const api = useApi();
  const [info, setInfo] = useState<AppInfo | null>(null);

  useEffect(() => {
    void api.app.info().then((result) => result.ok && setInfo(result.value));
  }, [api]);

  return (
    <div className="app">
      <header className="app-header">
        <h1>Quicksend</h1>
        {info && <span className="muted">v{info.version}</span>}
      </header>
      <main>
        <AccountsView />
      </main>
    </div>
  );
}
