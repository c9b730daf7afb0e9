/**
 * What a launch should do, first or second: open quick send prefilled (command line or
 * mailto:), stay in the tray (started at login), or show the main window. The last case is
 * also what makes Quicksend reachable where the desktop shows no tray icon (GNOME without the
 * AppIndicator extension): launching it again always opens a window.
 */
import type { LaunchRequest } from './command-line';
import type { ComposePrefill } from './compose-prefill';

export type LaunchAction =
  { type: 'compose'; prefill: ComposePrefill } | { type: 'show-main' } | { type: 'stay-hidden' };

export function launchAction(
  request: LaunchRequest,
  context: { first: boolean; openedAtLogin: boolean },
): LaunchAction {
  if (request.compose) return { type: 'compose', prefill: request.compose };
  // A second `--hidden` launch (a duplicate autostart) must not pop a window up.
  if (request.hidden || (context.first && context.openedAtLogin)) return { type: 'stay-hidden' };
  return { type: 'show-main' };
}
