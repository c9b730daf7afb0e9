/**
 * Our two windows: the main window (accounts, outbox, settings) and the small quick-send
 * window near the tray, which Esc hides and the close button hides too (its draft and state
 * stay; quitting really closes it). Messages for a window (`view:show`, `compose:open`) wait
 * in a delivery queue until its page has made its first IPC request.
 */
import { BrowserWindow, screen, type WebContents } from 'electron';
import type { ComposeRequest } from '../ipc/contract';
import { createDeliveryQueue, type DeliveryQueue } from '../shell/delivery-queue';
import { quickSendPosition, type Rect } from '../shell/window-placement';
import type { TrayView } from '../shell/tray-menu';
import {
  isCloseKey,
  MAIN_WINDOW_URL,
  mainWindowOptions,
  QUICK_SEND_SIZE,
  QUICK_SEND_URL,
  quickSendWindowOptions,
} from './window-options';

type Message = ['view:show', { view: TrayView }] | ['compose:open', ComposeRequest];
type Entry = { window: BrowserWindow; queue: DeliveryQueue<Message> };

export type WindowManager = {
  showMain(view?: TrayView): void;
  /** Shows quick send; with a request, prefilled (never sent by itself). */
  showQuickSend(request?: ComposeRequest): void;
  isOurWindow(id: number): boolean;
  /** A page made an IPC request: it listens now. */
  markReady(sender: WebContents): void;
  /** Quitting: let windows really close. */
  setQuitting(): void;
};

/** `packaged` (`app.isPackaged`) turns DevTools off in both windows. */
export function createWindowManager(options: {
  preloadPath: string;
  packaged: boolean;
  platform: NodeJS.Platform;
  trayBounds(): Rect | null;
}): WindowManager {
  let main: Entry | null = null;
  let quick: Entry | null = null;
  let quitting = false;
  const alive = (entry: Entry | null): entry is Entry => entry !== null && !entry.window.isDestroyed();

  function track(window: BrowserWindow, url: string): Entry {
    const queue = createDeliveryQueue<Message>(([event, payload]) => {
      if (!window.isDestroyed()) window.webContents.send(event, payload);
    });
    window.webContents.on('did-start-loading', () => queue.reset());
    window.once('ready-to-show', () => window.show());
    void window.loadURL(url);
    return { window, queue };
  }

  function bringForward(window: BrowserWindow): void {
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  }

  function placeQuickSend(): { x: number; y: number } {
    const tray = options.trayBounds();
    const display = tray
      ? screen.getDisplayMatching(tray)
      : screen.getDisplayNearestPoint(screen.getCursorScreenPoint());
    return quickSendPosition({ tray, workArea: display.workArea, size: QUICK_SEND_SIZE });
  }

  return {
    showMain(view) {
      if (!alive(main)) {
        main = track(
          new BrowserWindow(
            mainWindowOptions({
              preloadPath: options.preloadPath,
              packaged: options.packaged,
              platform: options.platform,
            }),
          ),
          MAIN_WINDOW_URL,
        );
      } else bringForward(main.window);
      if (view) main.queue.push(['view:show', { view }]);
    },
    showQuickSend(request) {
      if (!alive(quick)) {
        const window = new BrowserWindow(
          quickSendWindowOptions({
            preloadPath: options.preloadPath,
            packaged: options.packaged,
            platform: options.platform,
            ...placeQuickSend(),
          }),
        );
        window.webContents.on('before-input-event', (event, input) => {
          if (isCloseKey(input)) {
            event.preventDefault();
            window.hide();
          }
        });
        window.on('close', (event) => {
          if (!quitting) {
            event.preventDefault();
            window.hide();
          }
        });
        quick = track(window, QUICK_SEND_URL);
      } else {
        if (!quick.window.isVisible()) {
          const { x, y } = placeQuickSend();
          quick.window.setPosition(x, y);
        }
        bringForward(quick.window);
      }
      quick.queue.push(request ? ['compose:open', request] : ['view:show', { view: 'compose' }]);
    },
    isOurWindow(id) {
      return [main, quick].some((entry) => alive(entry) && entry.window.id === id);
    },
    markReady(sender) {
      for (const entry of [main, quick])
        if (alive(entry) && entry.window.webContents === sender) entry.queue.markReady();
    },
    setQuitting() {
      quitting = true;
    },
  };
}
