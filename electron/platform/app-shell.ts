/**
 * The desktop shell around the core: single instance with argument hand-off, app:// and
 * hardening, windows, tray, notifications, global shortcut, start at login, mailto: handler
 * and the quit prompt. `main.ts` calls `runShell` with a function that builds the ports and
 * the core; the Playwright suite's sandbox entry passes a development core instead.
 */
import path from 'node:path';
import { app, dialog, globalShortcut, Menu, shell } from 'electron';
import type { Core } from '../core';
import { events, MESSAGE_LIMITS, type ComposeRequest } from '../ipc/contract';
import { makeHandoff, parseLaunchArgs, readHandoff, userArgs, type LaunchRequest } from '../shell/command-line';
import type { ComposePrefill } from '../shell/compose-prefill';
import { createCheckedLauncher, HELP_LINKS, type ExternalUrlPolicy } from '../shell/external-url';
import { launchAction } from '../shell/launch-plan';
import { parseMailto } from '../shell/mailto';
import { viewForTarget } from '../shell/notifications';
import { createShellState } from '../shell/shell-state';
import { createSignInUrlRegistry } from '../shell/sign-in-urls';
import type { BrowserLauncher, Notifier } from '../shared/ports';
import { applicationMenu } from './app-menu';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { hardenWebContents } from './hardening';
import { registerIpc } from './ipc-main';
import { applyStartAtLogin, wasOpenedAtLogin } from './login-item';
import { applyMailtoHandler } from './mailto-handler';
import { showNotification } from './notifications';
import { messageBoxOptions } from './message-box';
import { installQuitGuard } from './quit-guard';
import { createTray } from './tray';
import { createWindowManager, type WindowManager } from './windows';

/** What the shell gives the core: the checked browser launcher, the notifier, our windows. */
export type ShellPorts = { browser: BrowserLauncher; notifier: Notifier; isOurWindow(id: number): boolean };

export type ShellOptions = {
  /** The built `dist/` folder (main, preload, renderer). */
  distRoot: string;
  /** Where `tray/` icons are (`process.resourcesPath` when packaged, `build/` otherwise). */
  resourcesRoot: string;
  /** `app.isPackaged`: a packaged build has no DevTools and no default menu (with Reload and DevTools). */
  packaged: boolean;
  createCore(ports: ShellPorts): Promise<Core>;
};

/** Longest a quit waits for the core to save a refresh answer and end sends in flight. */
const QUIT_WAIT_MS = 15_000;

export function runShell(options: ShellOptions): void {
  const defaultApp = Boolean(process.defaultApp);
  const ownArgs = userArgs(process.argv, defaultApp);
  // Exact arguments for the first instance; Chromium's argv may be reordered (see readHandoff).
  if (!app.requestSingleInstanceLock(makeHandoff(ownArgs, process.cwd()))) {
    app.quit();
    return;
  }
  registerAppScheme();
  if (process.platform === 'win32') app.setAppUserModelId('app.quicksend.desktop');

  let handleLaunch: ((request: LaunchRequest, first: boolean) => void) | null = null;
  const early: Array<[LaunchRequest, boolean]> = [];
  const launch = (request: LaunchRequest, first: boolean) =>
    handleLaunch ? handleLaunch(request, first) : early.push([request, first]);

  app.on('second-instance', (_event, argv, workingDirectory, additionalData) => {
    const { args, cwd } = readHandoff(additionalData, { argv, workingDirectory, defaultApp });
    launch(parseLaunchArgs(args, cwd), false);
  });
  // macOS delivers clicked mailto: links here (possibly before ready).
  app.on('open-url', (event, url) => {
    event.preventDefault();
    const prefill = parseMailto(url);
    if (prefill) launch({ compose: prefill, hidden: false, problems: [] }, false);
  });
  // A tray app keeps running with no window open.
  app.on('window-all-closed', () => {});

  app
    .whenReady()
    .then(async () => {
      // Before the first window, so none ever shows Electron's default menu in a packaged build.
      const menu = applicationMenu({ packaged: options.packaged, platform: process.platform });
      if (menu.kind !== 'electron-default')
        Menu.setApplicationMenu(menu.kind === 'none' ? null : Menu.buildFromTemplate(menu.template));
      const signInUrls = createSignInUrlRegistry();
      const policy: ExternalUrlPolicy = { isSignInUrl: (href) => signInUrls.has(href), helpLinks: HELP_LINKS };
      let warn: (message: string, data?: Record<string, unknown>) => void = (message) => console.warn(message);
      const browser = createCheckedLauncher(
        (href) => shell.openExternal(href),
        policy,
        (reason) => warn('refused to open a URL', { reason }),
      );
      hardenWebContents(policy, (href) => void browser.open(href).catch(() => {}));
      serveRenderer(path.join(options.distRoot, 'renderer'));

      let tray: ReturnType<typeof createTray> | null = null;
      const windows: WindowManager = createWindowManager({
        preloadPath: path.join(options.distRoot, 'preload', 'preload.cjs'),
        packaged: options.packaged,
        platform: process.platform,
        trayBounds: () => tray?.bounds() ?? null,
      });
      const notifier: Notifier = {
        notify: ({ title, body, target }) => {
          const view = viewForTarget(target);
          showNotification({ title, body, view: view ?? 'compose' }, () => windows.showMain(view ?? undefined));
        },
      };
      const core = await options.createCore({ browser, notifier, isOurWindow: (id) => windows.isOurWindow(id) });
      const log = core.logger.child('shell');
      warn = (message, data) => log.warn(message, data);
      core.events.on('signin:progress', (progress) => signInUrls.onProgress(progress));
      registerIpc(core, { onRequest: (sender) => windows.markReady(sender) });

      const openCompose = async (prefill: ComposePrefill) => {
        // Main checks every path (regular file, readable, size) and gives the page file ids.
        const { attachmentPaths, ...fields } = prefill;
        const attachments: ComposeRequest['attachments'] = await core.files.give(attachmentPaths).catch(() => []);
        windows.showQuickSend(events['compose:open'].parse({ ...fields, attachments }));
      };

      const state = await createShellState({
        core,
        windows,
        platform: process.platform,
        notify: (n) => showNotification(n, (view) => windows.showMain(view)),
        askSignOut: async (prompt) => {
          const { response } = await dialog.showMessageBox(messageBoxOptions(prompt));
          return response;
        },
        registry: {
          register: (accelerator, callback) => globalShortcut.register(accelerator, callback),
          unregister: (accelerator) => globalShortcut.unregister(accelerator),
        },
        onTrayState: (next) => tray?.update(next),
        openCompose,
        applyStartAtLogin: (enabled) => applyStartAtLogin(enabled),
        startAtLoginAvailable: ['darwin', 'win32', 'linux'].includes(process.platform),
        applyMailtoHandler,
        quit: () => app.quit(),
      });
      tray = createTray({
        iconDirectory: path.join(options.resourcesRoot, 'tray'),
        platform: process.platform,
        initial: state.trayState(),
        onAction: (action) => void state.onTrayAction(action),
        onDropFiles: (paths) =>
          void openCompose({
            to: [],
            cc: [],
            bcc: [],
            subject: '',
            text: '',
            attachmentPaths: paths.slice(0, MESSAGE_LIMITS.maxAttachments),
          }),
      });

      installQuitGuard({
        outbox: () => state.outbox(),
        parent: () => null,
        onQuitting: () => windows.setQuitting(),
      });
      // Quitting waits for the core to finish what must not be lost: a token refresh in flight
      // saves its rotated refresh token (else the next start replays the old one and the provider
      // revokes the grant), and sends in flight end. Bounded, so a hung server never keeps a
      // quitting app alive.
      let disposing = false;
      app.on('will-quit', (event) => {
        if (disposing) return;
        disposing = true;
        event.preventDefault();
        state.dispose();
        globalShortcut.unregisterAll();
        const cap = new Promise<void>((resolve) => setTimeout(resolve, QUIT_WAIT_MS).unref());
        void Promise.race([core.dispose(), cap])
          .catch((error: unknown) => log.error('shutdown failed', { error }))
          .finally(() => app.exit(0));
      });

      handleLaunch = (request, first) => {
        if (request.problems.length) log.info('launch arguments partly ignored', { problems: request.problems });
        const action = launchAction(request, { first, openedAtLogin: first && wasOpenedAtLogin() });
        if (action.type === 'compose') void openCompose(action.prefill);
        else if (action.type === 'show-main') windows.showMain();
      };
      handleLaunch(parseLaunchArgs(ownArgs, process.cwd()), true);
      for (const [request, first] of early.splice(0)) handleLaunch(request, first);
    })
    .catch((error: unknown) => {
      console.error('Quicksend failed to start', error);
      app.exit(1);
    });
}
