/**
 * Makes Quicksend the `mailto:` handler when the person asks in Settings, and lets go when
 * they turn it off (only if we still are the handler). Windows 10+ lets the person confirm
 * the default in Settings > Default apps; macOS needs `mailto` in Info.plist (builder
 * `protocols`); on Linux Electron uses xdg-settings with our .desktop file's MimeType.
 */
import { app } from 'electron';
import { mailtoStep, protocolClientArgs } from '../shell/mailto-registration';

export function applyMailtoHandler(wanted: boolean): boolean {
  const context = {
    defaultApp: Boolean(process.defaultApp),
    execPath: process.execPath,
    ...(process.defaultApp ? { appPath: app.getAppPath() } : {}),
  };
  const { path, args } = protocolClientArgs(context);
  const isDefault = app.isDefaultProtocolClient('mailto', path, args);
  switch (mailtoStep(wanted, isDefault)) {
    case 'register':
      return app.setAsDefaultProtocolClient('mailto', path, args);
    case 'unregister':
      return app.removeAsDefaultProtocolClient('mailto', path, args);
    case 'nothing':
      return true;
  }
}
