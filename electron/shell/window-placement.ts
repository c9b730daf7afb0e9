/**
 * Where the quick-send window appears: next to the tray icon, on the side away from the
 * panel, kept inside the work area. Linux reports no tray bounds (all zero), so there the
 * window is centred on the display under the pointer.
 */
export type Rect = { x: number; y: number; width: number; height: number };
export type Size = { width: number; height: number };

const GAP = 8;

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(value, Math.max(min, max)));
}

export function quickSendPosition(input: { tray: Rect | null; workArea: Rect; size: Size }): { x: number; y: number } {
  const { tray, workArea, size } = input;
  const maxX = workArea.x + workArea.width - size.width;
  const maxY = workArea.y + workArea.height - size.height;
  if (!tray || tray.width <= 0 || tray.height <= 0) {
    return {
      x: Math.round(workArea.x + (workArea.width - size.width) / 2),
      y: Math.round(workArea.y + (workArea.height - size.height) / 3),
    };
  }
  const trayCentreX = tray.x + tray.width / 2;
  const trayCentreY = tray.y + tray.height / 2;
  const workCentreY = workArea.y + workArea.height / 2;
  const workCentreX = workArea.x + workArea.width / 2;
  // Panel at the left or right edge (tray outside the work area horizontally): open beside it.
  if (tray.x + tray.width <= workArea.x || tray.x >= workArea.x + workArea.width) {
    const x = trayCentreX < workCentreX ? workArea.x + GAP : maxX - GAP;
    return {
      x: Math.round(clamp(x, workArea.x, maxX)),
      y: Math.round(clamp(trayCentreY - size.height / 2, workArea.y, maxY)),
    };
  }
  // Panel at the top or bottom: open below or above the icon.
  const y = trayCentreY < workCentreY ? tray.y + tray.height + GAP : tray.y - size.height - GAP;
  return {
    x: Math.round(clamp(trayCentreX - size.width / 2, workArea.x, maxX)),
    y: Math.round(clamp(y, workArea.y, maxY)),
  };
}
