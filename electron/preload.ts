/**
 * Runs sandboxed before the renderer: exposes `window.quicksend` and nothing else. The bridge
 * factory is pure (ipc/bridge.ts); this file only supplies Electron's transport.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createBridge } from './ipc/bridge';
import type { Result } from './ipc/contract';

contextBridge.exposeInMainWorld(
  'quicksend',
  createBridge(
    (channel, request) => ipcRenderer.invoke(channel, request) as Promise<Result<unknown>>,
    (event, listener) => {
      // Strip Electron's event object: the renderer gets the payload only.
      const handler = (_event: Electron.IpcRendererEvent, payload: unknown) => listener(payload);
      ipcRenderer.on(event, handler);
      return () => ipcRenderer.removeListener(event, handler);
    },
    // Only a real, disk-backed File has a path; main re-checks it in files:describe.
    (file) => webUtils.getPathForFile(file),
  ),
);
