/**
 * How "Start at login" is done on each platform, as a plan the Electron glue carries out:
 * macOS and Windows use `app.setLoginItemSettings` (Windows with `--hidden`, so the app starts
 * in the tray; macOS reports `wasOpenedAtLogin` instead), Linux an XDG autostart entry. An
 * AppImage must start from its `.AppImage` file ($APPIMAGE), not from the temporary mount it
 * runs from. In development (`electron .`) the app path is passed too.
 */
import type { Settings as LoginItemSettingsInput } from 'electron';
import { HIDDEN_FLAG } from './command-line';
import { autostartEntry } from './xdg-autostart';

export type LoginItemContext = {
  platform: string;
  execPath: string;
  /** `process.defaultApp`: started as `electron <app>`. */
  defaultApp: boolean;
  /** The app path given to Electron in development (absolute). */
  appPath?: string;
  /** `$APPIMAGE` when running from an AppImage. */
  appImage?: string;
};

export type LoginItemPlan =
  | { kind: 'login-item'; settings: LoginItemSettingsInput }
  | { kind: 'autostart'; content: string | null }
  | { kind: 'unsupported'; reason: string };

/** The command that starts Quicksend (hidden) at login. */
export function loginCommand(context: LoginItemContext): string[] {
  const executable = context.platform === 'linux' && context.appImage ? context.appImage : context.execPath;
  const app = context.defaultApp && context.appPath ? [context.appPath] : [];
  return [executable, ...app, HIDDEN_FLAG];
}

export function loginItemPlan(enabled: boolean, context: LoginItemContext): LoginItemPlan {
  switch (context.platform) {
    case 'darwin':
      // The default mainAppService; macOS tells us through wasOpenedAtLogin that it started us.
      return { kind: 'login-item', settings: { openAtLogin: enabled } };
    case 'win32': {
      const [path, ...args] = loginCommand(context);
      // The same path and args must be used to read the setting back (getLoginItemSettings).
      return { kind: 'login-item', settings: { openAtLogin: enabled, path: path!, args } };
    }
    case 'linux':
      return { kind: 'autostart', content: enabled ? autostartEntry(loginCommand(context)) : null };
    default:
      return { kind: 'unsupported', reason: `Start at login is not available on ${context.platform}.` };
  }
}

/** Query options for `app.getLoginItemSettings` matching what `loginItemPlan` wrote (Windows). */
export function loginItemQuery(context: LoginItemContext): { path?: string; args?: string[] } {
  if (context.platform !== 'win32') return {};
  const [path, ...args] = loginCommand(context);
  return { path: path!, args };
}
