/**
 * Carries out "Start at login" (plan in shell/login-item.ts): login items on macOS and
 * Windows, the XDG autostart entry on Linux.
 */
import os from 'node:os';
import { app } from 'electron';
import { loginItemPlan, loginItemQuery, type LoginItemContext } from '../shell/login-item';
import { applyAutostart, autostartDirectory } from '../shell/xdg-autostart';

export function loginItemContext(): LoginItemContext {
  return {
    platform: process.platform,
    execPath: process.execPath,
    defaultApp: Boolean(process.defaultApp),
    ...(process.defaultApp ? { appPath: app.getAppPath() } : {}),
    ...(process.env.APPIMAGE ? { appImage: process.env.APPIMAGE } : {}),
  };
}

export async function applyStartAtLogin(enabled: boolean, context = loginItemContext()): Promise<void> {
  const plan = loginItemPlan(enabled, context);
  switch (plan.kind) {
    case 'login-item':
      app.setLoginItemSettings(plan.settings);
      return;
    case 'autostart':
      await applyAutostart(autostartDirectory(process.env, os.homedir()), plan.content);
      return;
    case 'unsupported':
      throw new Error(plan.reason);
  }
}

/** macOS says when it started us at login; elsewhere the login command carries --hidden. */
export function wasOpenedAtLogin(context = loginItemContext()): boolean {
  if (context.platform !== 'darwin') return false;
  return app.getLoginItemSettings(loginItemQuery(context)).wasOpenedAtLogin;
}
