/**
 * Components reach main through this context, never through `window.quicksend` directly, so
 * tests can pass a fake bridge and the web host its HTTP bridge.
 */
import { createContext, useContext, type ReactNode } from 'react';
import type { QuicksendApi } from '../../electron/ipc/contract';

const ApiContext = createContext<QuicksendApi | null>(null);

export function ApiProvider({ api, children }: { api: QuicksendApi; children: ReactNode }) {
  return <ApiContext.Provider value={api}>{children}</ApiContext.Provider>;
}

export function useApi(): QuicksendApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi needs an <ApiProvider>');
  return api;
}

declare global {
  interface Window {
    quicksend?: QuicksendApi;
  }
}
