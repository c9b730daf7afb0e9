import { expect, test } from 'vitest';
import { quickSendPosition } from '../../../../electron/shell/window-placement';

const size = { width: 440, height: 580 };

test('Windows taskbar at the bottom: above the icon, inside the work area', () => {
  const workArea = { x: 0, y: 0, width: 1920, height: 1040 };
  expect(quickSendPosition({ tray: { x: 1800, y: 1045, width: 24, height: 30 }, workArea, size })).toEqual({
    x: 1480,
    y: 457,
  });
});

test('macOS menu bar at the top: below the icon', () => {
  const workArea = { x: 0, y: 25, width: 1440, height: 875 };
  expect(quickSendPosition({ tray: { x: 1200, y: 0, width: 22, height: 24 }, workArea, size })).toEqual({
    x: 991,
    y: 32,
  });
});

test('panel on the left: beside it', () => {
  const workArea = { x: 48, y: 0, width: 1872, height: 1080 };
  expect(quickSendPosition({ tray: { x: 10, y: 1000, width: 28, height: 28 }, workArea, size })).toEqual({
    x: 56,
    y: 500,
  });
});

test('no tray bounds (Linux): centred on the display', () => {
  const workArea = { x: 1920, y: 0, width: 1920, height: 1080 };
  expect(quickSendPosition({ tray: null, workArea, size })).toEqual({ x: 2660, y: 167 });
  expect(quickSendPosition({ tray: { x: 0, y: 0, width: 0, height: 0 }, workArea, size })).toEqual({ x: 2660, y: 167 });
});

test('a work area smaller than the window pins it to the top-left', () => {
  expect(
    quickSendPosition({
      tray: { x: 100, y: 500, width: 20, height: 20 },
      workArea: { x: 0, y: 0, width: 300, height: 400 },
      size,
    }),
  ).toEqual({ x: 0, y: 0 });
});
