/** The tray icon and its menu, built from the pure menu model. */
import { Menu, nativeImage, Tray } from 'electron';
import { trayMenuModel, type TrayState } from './tray-menu';

export type TrayActions = Record<string, () => void>;

export function createTray(iconPath: string, state: TrayState, actions: TrayActions): Tray {
  const image = nativeImage.createFromPath(iconPath);
  if (process.platform === 'darwin') image.setTemplateImage(true);
  const tray = new Tray(image);
  tray.setToolTip('Quicksend');
  const template = trayMenuModel(state).map((item) =>
    item.type === 'separator'
      ? { type: 'separator' as const }
      : { label: item.label, enabled: item.enabled, click: () => actions[item.id]?.() },
  );
  tray.setContextMenu(Menu.buildFromTemplate(template));
  tray.on('click', () => actions.open?.());
  return tray;
}
