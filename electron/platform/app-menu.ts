/**
 * The application menu, decided from two facts the caller passes in (never read here):
 * whether this is a packaged build and which platform it runs on.
 *
 * Development keeps Electron's default menu: its View menu has Reload and Toggle Developer
 * Tools, with their shortcuts. A packaged build must offer neither, so:
 * - Windows and Linux: no menu at all. Quicksend's windows have no menu bar to show, quitting
 *   is in the tray menu, and Chromium handles Ctrl+C/V/X/A/Z in text fields without a menu.
 * - macOS: a minimal menu is still needed, because there the standard keyboard shortcuts are
 *   delivered through menu items with roles: without Edit, Cmd+C/V/X/A/Z do nothing in the
 *   composer; without the app menu, Cmd+Q does not quit; File holds only Close Window (Cmd+W),
 *   which keyboard users expect. No View menu, so no Reload and no DevTools shortcut.
 * https://www.electronjs.org/docs/latest/tutorial/application-menu
 * https://www.electronjs.org/docs/latest/api/menu#menusetapplicationmenumenu
 */
import type { MenuItemConstructorOptions } from 'electron';

export type ApplicationMenuPlan =
  /** Leave Electron's default menu in place (development only). */
  | { kind: 'electron-default' }
  /** `Menu.setApplicationMenu(null)`. */
  | { kind: 'none' }
  /** `Menu.setApplicationMenu(Menu.buildFromTemplate(template))`. */
  | { kind: 'template'; template: MenuItemConstructorOptions[] };

/** Which application menu this build gets. */
export function applicationMenu(facts: { packaged: boolean; platform: NodeJS.Platform }): ApplicationMenuPlan {
  if (!facts.packaged) return { kind: 'electron-default' };
  if (facts.platform !== 'darwin') return { kind: 'none' };
  return { kind: 'template', template: [{ role: 'appMenu' }, { role: 'fileMenu' }, { role: 'editMenu' }] };
}
