// A NetworkMonitor a test can switch: goOnline() and resume() call the listeners like Electron would.
import type { NetworkMonitor } from '../../electron/shared/ports';

export type FakeNetwork = NetworkMonitor & { online: boolean; goOffline(): void; goOnline(): void; resume(): void };

export function createFakeNetwork(): FakeNetwork {
  const onlineListeners = new Set<() => void>();
  const resumeListeners = new Set<() => void>();
  const network: FakeNetwork = {
    online: true,
    isOnline: () => network.online,
    onOnline(listener) {
      onlineListeners.add(listener);
      return () => onlineListeners.delete(listener);
    },
    onResume(listener) {
      resumeListeners.add(listener);
      return () => resumeListeners.delete(listener);
    },
    goOffline() {
      network.online = false;
    },
    goOnline() {
      network.online = true;
      for (const listener of [...onlineListeners]) listener();
    },
    resume() {
      for (const listener of [...resumeListeners]) listener();
    },
  };
  return network;
}
