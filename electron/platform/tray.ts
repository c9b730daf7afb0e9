/**
 * The tray icon and its menu, rebuilt from the pure model (shell/tray-menu.ts) whenever the
 * state changes. macOS: a click opens quick send and a right-click shows the menu (a context
 * menu set with setContextMenu would take the left click), files dropped on the icon open
 * quick send with them. Windows and Linux: the menu is set on the icon (AppIndicator shows
 * nothing else) and a click, where the desktop reports one, opens quick send.
 */
import path from 'node:path';
import { Menu, nativeImage, nativeTheme, Tray, type MenuItemConstructorOptions, type Rectangle } from 'electron';
import {
  trayIconFile,
  trayMenuModel,
  trayTooltip,
  type TrayAction,
  type TrayMenuItem,
  type TrayState,
} from '../shell/tray-menu';

export type TrayController = {
  update(state: TrayState): void;
  /** Where the icon is, or null where the platform does not say (Linux). */
  bounds(): Rectangle | null;
  destroy(): void;
};

export type TrayOptions = {
  iconDirectory: string;
  platform: NodeJS.Platform;
  initial: TrayState;
  onAction(action: TrayAction): void;
  onDropFiles(paths: string[]): void;
};

function toTemplate(items: TrayMenuItem[], onAction: (action: TrayAction) => void): MenuItemConstructorOptions[] {
  return items.map((item) =>
    item.kind === 'separator'
      ? { type: 'separator' as const }
      : {
          label: item.label,
          enabled: item.enabled,
          ...(item.checked === undefined ? {} : { type: 'checkbox' as const, checked: item.checked }),
          click: () => onAction(item.action),
        },
  );
}

function darkPanel(platform: NodeJS.Platform): boolean {
  // Windows distinguishes the taskbar (system) theme from the apps' theme.
  return platform === 'win32' ? nativeTheme.shouldUseDarkColorsForSystemIntegratedUI : nativeTheme.shouldUseDarkColors;
}

function icon(options: TrayOptions) {
  const image = nativeImage.createFromPath(
    path.join(options.iconDirectory, trayIconFile(options.platform, darkPanel(options.platform))),
  );
  if (options.platform === 'darwin') image.setTemplateImage(true);
  return image;
}

export function createTray(options: TrayOptions): TrayController {
  const tray = new Tray(icon(options));
  let menu = Menu.buildFromTemplate([]);
  const apply = (state: TrayState) => {
    menu = Menu.buildFromTemplate(toTemplate(trayMenuModel(state), options.onAction));
    tray.setToolTip(trayTooltip(state));
    // Linux needs setContextMenu again for any change to show (AppIndicator).
    if (options.platform !== 'darwin') tray.setContextMenu(menu);
  };
  apply(options.initial);
  tray.on('click', () => options.onAction({ type: 'quick-send' }));
  if (options.platform === 'darwin') {
    tray.on('right-click', () => tray.popUpContextMenu(menu));
    tray.on('drop-files', (_event, files) => options.onDropFiles(files));
  }
  const onTheme = () => tray.setImage(icon(options));
  nativeTheme.on('updated', onTheme);
  return {
    update: apply,
    bounds() {
      const b = tray.getBounds();
      return b.width > 0 && b.height > 0 ? b : null;
    },
    destroy() {
      nativeTheme.off('updated', onTheme);
      tray.destroy();
    },
  };
}
