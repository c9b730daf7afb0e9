/**
 * Runs sandboxed before the renderer: exposes `window.quicksend` and nothing else. The bridge
 * factory is pure (ipc/bridge.ts); this file only supplies Electron's transport.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createBridge, dropThroughPaths } from './ipc/bridge';
import type { FileInfo, Result } from './ipc/contract';
import { FILES_DROPPED_CHANNEL } from './ipc/names';

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
    // Only a real, disk-backed File has a path. It goes to main over the preload's own channel
    // (not a window.quicksend method), and the page gets file ids back, never the path.
    dropThroughPaths(
      (file) => webUtils.getPathForFile(file),
      (paths) => ipcRenderer.invoke(FILES_DROPPED_CHANNEL, { paths }) as Promise<Result<FileInfo[]>>,
    ),
  ),
);
