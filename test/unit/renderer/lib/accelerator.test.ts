import { expect, test } from 'vitest';
import { describeAccelerator, toAccelerator } from '../../../../renderer/src/lib/accelerator';

const press = (
  key: string,
  code: string,
  mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }> = {},
) => ({
  key,
  code,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

test('Ctrl or Cmd both record as CommandOrControl, letters by physical key', () => {
  expect(toAccelerator(press('m', 'KeyM', { ctrlKey: true, shiftKey: true }))).toBe('CommandOrControl+Shift+M');
  expect(toAccelerator(press('µ', 'KeyM', { metaKey: true, altKey: true }))).toBe('CommandOrControl+Alt+M');
  expect(toAccelerator(press('ArrowUp', 'ArrowUp', { altKey: true }))).toBe('Alt+Up');
  expect(toAccelerator(press('F9', 'F9'))).toBe('F9');
});

test('modifier-only presses and plain typing keys are not shortcuts', () => {
  expect(toAccelerator(press('Control', 'ControlLeft', { ctrlKey: true }))).toBeNull();
  expect(toAccelerator(press('m', 'KeyM'))).toBeNull();
  expect(toAccelerator(press('M', 'KeyM', { shiftKey: true }))).toBeNull();
});

test('described for the platform', () => {
  expect(describeAccelerator('CommandOrControl+Shift+M', false)).toBe('Ctrl+Shift+M');
  expect(describeAccelerator('CommandOrControl+Shift+M', true)).toBe('⌘⇧M');
});
