/**
 * Registering as the `mailto:` handler only when the person turns it on in Settings, and
 * letting go when they turn it off (only if we are still the handler, so we never unset
 * another app). In development Electron must be told the app path as well. macOS needs
 * `mailto` in Info.plist (electron-builder.yml `protocols`); Linux needs `MimeType=
 * x-scheme-handler/mailto` in the .desktop file (the same setting).
 */
export type ProtocolClientArgs = { path?: string; args?: string[] };

export function protocolClientArgs(context: {
  defaultApp: boolean;
  execPath: string;
  appPath?: string;
}): ProtocolClientArgs {
  return context.defaultApp && context.appPath ? { path: context.execPath, args: [context.appPath] } : {};
}

export type MailtoStep = 'register' | 'unregister' | 'nothing';

export function mailtoStep(wanted: boolean, isDefault: boolean): MailtoStep {
  if (wanted) return isDefault ? 'nothing' : 'register';
  return isDefault ? 'unregister' : 'nothing';
}
