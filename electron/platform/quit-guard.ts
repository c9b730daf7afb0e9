/**
 * Asks before quitting while messages are still waiting (decision and wording in
 * shell/quit-prompt.ts). A system shutdown or logout never waits for the dialog.
 */
import { app, dialog, powerMonitor, type BrowserWindow } from 'electron';
import type { OutboxItem } from '../ipc/contract';
import { quitPrompt, shouldAskBeforeQuit } from '../shell/quit-prompt';
import { messageBoxOptions } from './message-box';

export function installQuitGuard(options: {
  outbox(): readonly OutboxItem[];
  parent(): BrowserWindow | null;
  onQuitting(): void;
}): void {
  let confirmed = false;
  let systemShutdown = false;
  let asking = false;
  powerMonitor.on('shutdown', () => {
    systemShutdown = true;
  });
  app.on('before-quit', (event) => {
    if (!shouldAskBeforeQuit({ outbox: options.outbox(), confirmed, systemShutdown })) {
      options.onQuitting();
      return;
    }
    event.preventDefault();
    if (asking) return;
    asking = true;
    const prompt = quitPrompt(options.outbox());
    const box = messageBoxOptions(prompt);
    const parent = options.parent();
    void (parent ? dialog.showMessageBox(parent, box) : dialog.showMessageBox(box))
      .then(({ response }) => {
        if (response === prompt.quitId) {
          confirmed = true;
          app.quit();
        }
      })
      .finally(() => {
        asking = false;
      });
  });
}
