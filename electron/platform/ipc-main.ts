/**
 * The only user of `ipcMain`: feeds every contract channel (and the preload's own channels) to
 * the router with the sender's facts, and forwards core events to our windows.
 */
import { BrowserWindow, ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { Core } from '../core';
import { channelNames } from '../ipc/contract';
import { PRELOAD_CHANNEL_NAMES } from '../ipc/names';
import type { SenderFacts } from '../ipc/sender-policy';

function senderFacts(event: IpcMainInvokeEvent): SenderFacts {
  const frame = event.senderFrame;
  const window = BrowserWindow.fromWebContents(event.sender);
  return {
    frameUrl: frame?.url ?? '',
    isMainFrame: frame !== null && frame.parent === null,
    ...(window ? { windowId: window.id } : {}),
  };
}

/**
 * Registers every channel. `onRequest` sees each request's sender first: a page's first
 * request means its React effects (and so its event listeners) are in place.
 */
export function registerIpc(core: Core, hooks: { onRequest?: (sender: WebContents) => void } = {}): () => void {
  for (const channel of channelNames) {
    ipcMain.handle(channel, (event, payload: unknown) => {
      hooks.onRequest?.(event.sender);
      return core.router.handle(channel, payload, senderFacts(event));
    });
  }
  // Reached only through ipcRenderer, which only the preload holds (contextIsolation).
  for (const channel of PRELOAD_CHANNEL_NAMES) {
    ipcMain.handle(channel, (event, payload: unknown) =>
      core.router.handlePreload(channel, payload, senderFacts(event)),
    );
  }
  const stopForwarding = core.events.onAny((event, payload) => {
    for (const window of BrowserWindow.getAllWindows()) window.webContents.send(event, payload);
  });
  return () => {
    stopForwarding();
    for (const channel of [...channelNames, ...PRELOAD_CHANNEL_NAMES]) ipcMain.removeHandler(channel);
  };
}
