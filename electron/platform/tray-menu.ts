/**
 * The tray menu as plain data, built from app state by a pure function so each state is
 * unit-tested; `tray.ts` turns it into an Electron Menu.
 */
export type TrayMenuItem =
  | { type: 'item'; id: string; label: string; enabled: boolean }
  | { type: 'separator' };

export type TrayState = { windowVisible: boolean };

export function trayMenuModel(_state: TrayState): TrayMenuItem[] {
  return [
    { type: 'item', id: 'open', label: 'Open Quicksend', enabled: true },
    { type: 'separator' },
    { type: 'item', id: 'quit', label: 'Quit Quicksend', enabled: true },
  ];
}
