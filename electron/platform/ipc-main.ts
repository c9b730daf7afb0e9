/**
 * The only user of `ipcMain`: feeds every contract channel to the router with the sender's
 * facts, and forwards core events to our windows.
 */
import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import type { Core } from '../core';
import { channelNames } from '../ipc/contract';
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

export function registerIpc(core: Core): () => void {
  for (const channel of channelNames) {
    ipcMain.handle(channel, (event, payload: unknown) => core.router.handle(channel, payload, senderFacts(event)));
  }
  const stopForwarding = core.events.onAny((event, payload) => {
    for (const window of BrowserWindow.getAllWindows()) window.webContents.send(event, payload);
  });
  return () => {
    stopForwarding();
    for (const channel of channelNames) ipcMain.removeHandler(channel);
  };
}
