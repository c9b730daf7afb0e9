/**
 * The shell's view of the app: accounts, outbox and settings, kept current from the core's
 * events, turned into the tray state, notifications, the global shortcut, the login item and
 * the mailto: registration; and the tray's actions carried out by calling the services.
 * Electron arrives injected (`platform/app-shell.ts`), so this is tested in plain Node.
 */
import type { AccountService } from '../accounts/account-service';
import type { Core } from '../core';
import type { Account, OutboxItem, RelayStatus, Settings } from '../ipc/contract';
import type { MailService } from '../outbox/mail-service';
import type { RelayService } from '../relay/relay-service';
import type { ComposePrefill } from './compose-prefill';
import { createShortcutManager, shortcutProblem, type ShortcutRegistry, type ShortcutStatus } from './global-shortcut';
import { createOutboxMirror } from '../outbox/outbox-mirror';
import {
  diffOutbox,
  failedNotifications,
  sentNotifications,
  signInNotifications,
  type ShellNotification,
} from './notifications';
import { signOutPrompt, type SignOutPrompt } from './sign-out-prompt';
import { pendingCount, type TrayAction, type TrayState, type TrayView } from './tray-menu';

export type ShellStateDeps = {
  /** The services the shell reads and acts through (main calls them directly, not over IPC). */
  core: Pick<Core, 'events' | 'settings' | 'logger'> & {
    accounts: Pick<AccountService, 'list' | 'signOutAll'>;
    mail: Pick<MailService, 'outbox' | 'history' | 'setPaused'>;
    relay: Pick<RelayService, 'status'>;
  };
  windows: { showMain(view?: TrayView): void; showQuickSend(): void };
  platform: string;
  notify(notification: ShellNotification): void;
  /** Shows the sign-out question; answers the chosen button's index. */
  askSignOut(prompt: SignOutPrompt): Promise<number>;
  registry: ShortcutRegistry;
  onTrayState(state: TrayState): void;
  openCompose(prefill: ComposePrefill): Promise<void>;
  applyStartAtLogin(enabled: boolean): Promise<void>;
  startAtLoginAvailable: boolean;
  applyMailtoHandler(wanted: boolean): boolean;
  quit(): void;
};

export type ShellState = {
  trayState(): TrayState;
  outbox(): readonly OutboxItem[];
  shortcut(): ShortcutStatus;
  onTrayAction(action: TrayAction): Promise<void>;
  dispose(): void;
};

export async function createShellState(deps: ShellStateDeps): Promise<ShellState> {
  const { core } = deps;
  const log = core.logger.child('shell');
  let accounts: Account[] = [];
  let settings: Settings = core.settings.get();
  // Pause/resume from the tray answers before its event arrives: the tray shows the answer.
  let pausedAnswer: boolean | null = null;
  let ready = false;
  let relay: RelayStatus = core.relay.status();

  try {
    accounts = core.accounts.list();
  } catch (error) {
    log.warn('could not list accounts for the tray', { error });
  }
  const outbox = createOutboxMirror({
    list: () => core.mail.outbox(),
    onUpdate: ({ before, after, first }) => {
      pausedAnswer = null;
      if (!ready) return;
      refreshTray();
      if (first) return; // nothing to compare with: no notifications
      const diff = diffOutbox(before, after);
      notifyAll(failedNotifications(diff.failed));
      if (diff.finished.length > 0) {
        void core.mail
          .history(100)
          .then((history) => notifyAll(sentNotifications(history.filter((entry) => diff.finished.includes(entry.id)))))
          .catch(() => {});
      }
    },
  });
  const offOutbox = core.events.on('outbox:changed', (event) => outbox.apply(event));
  // Sending may still be starting (or the data folder is unwritable): no count until it says.
  await outbox.resync().catch(() => {});
  const paused = () => pausedAnswer ?? outbox.paused();

  const trayState = (): TrayState => ({
    platform: deps.platform,
    accounts,
    outbox: outbox.items(),
    paused: paused(),
    startAtLogin: settings.startAtLogin,
    startAtLoginAvailable: deps.startAtLoginAvailable,
    relay: { state: relay.state, port: relay.settings.port },
  });
  const refreshTray = () => deps.onTrayState(trayState());
  const notifyAll = (list: ShellNotification[]) => list.forEach((n) => deps.notify(n));

  const shortcuts = createShortcutManager(deps.registry, () => deps.windows.showQuickSend());
  const applyShortcut = (accelerator: string) => {
    const status = shortcuts.apply(accelerator);
    const problem = shortcutProblem(status);
    if (problem) {
      log.warn('quick-send shortcut not registered', { state: status.state });
      deps.notify({ ...problem, view: 'settings' });
    }
  };
  const applyLogin = (enabled: boolean) =>
    deps.applyStartAtLogin(enabled).catch((error: unknown) => {
      log.error('could not change start at login', { error });
      deps.notify({
        title: 'Start at login could not be changed',
        body: 'Quicksend could not update your login items.',
        view: 'settings',
      });
    });
  const applyMailto = (wanted: boolean) => {
    let ok = false;
    try {
      ok = deps.applyMailtoHandler(wanted);
    } catch (error) {
      log.error('could not change the mailto: handler', { error });
    }
    if (!ok && wanted)
      deps.notify({
        title: 'Not set as your mail app',
        body: 'Your system did not accept Quicksend as the handler for mail links. You can choose it in your system settings.',
        view: 'settings',
      });
  };

  const stops = [
    core.events.on('accounts:changed', ({ accounts: next }) => {
      notifyAll(signInNotifications(accounts, next));
      accounts = next;
      refreshTray();
    }),
    offOutbox,
    core.events.on('relay:changed', ({ status }) => {
      relay = status;
      refreshTray();
    }),
    core.settings.onChange((next, previous) => {
      settings = next;
      if (next.globalShortcut !== previous.globalShortcut) applyShortcut(next.globalShortcut);
      if (next.startAtLogin !== previous.startAtLogin) void applyLogin(next.startAtLogin);
      if (next.mailtoHandler !== previous.mailtoHandler) applyMailto(next.mailtoHandler);
      refreshTray();
    }),
  ];

  // Start-up: the shortcut, and refresh what the person turned on (an update may move the app).
  applyShortcut(settings.globalShortcut);
  if (settings.startAtLogin && deps.startAtLoginAvailable) void applyLogin(true);
  if (settings.mailtoHandler) applyMailto(true);
  notifyAll(signInNotifications(null, accounts));
  ready = true;

  async function signOutAll(): Promise<void> {
    const prompt = signOutPrompt(accounts.length, pendingCount(outbox.items()));
    const choice = prompt.choices[await deps.askSignOut(prompt)];
    if (!choice?.signOut) return;
    try {
      await core.accounts.signOutAll({ deleteWaitingMessages: choice.deleteWaitingMessages });
    } catch (error) {
      log.error('sign out of all accounts failed', { error });
      deps.windows.showMain('accounts');
    }
  }

  return {
    trayState,
    outbox: () => outbox.items(),
    shortcut: () => shortcuts.status(),
    async onTrayAction(action) {
      switch (action.type) {
        case 'quick-send':
          if (accounts.length === 0) deps.windows.showMain('accounts');
          else deps.windows.showQuickSend();
          return;
        case 'show':
          deps.windows.showMain(action.view);
          return;
        case 'toggle-pause':
          try {
            const result = await core.mail.setPaused(!paused());
            pausedAnswer = result.paused;
          } catch (error) {
            log.warn('could not pause or resume sending', { error });
          }
          refreshTray();
          return;
        case 'toggle-start-at-login':
          try {
            core.settings.set({ startAtLogin: !settings.startAtLogin });
          } catch (error) {
            log.error('could not save start at login', { error });
          }
          return;
        case 'sign-out-all':
          await signOutAll();
          return;
        case 'quit':
          deps.quit();
          return;
      }
    },
    dispose() {
      for (const stop of stops) stop();
      shortcuts.dispose();
    },
  };
}
