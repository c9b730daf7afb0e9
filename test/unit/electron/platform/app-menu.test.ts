import type { MenuItemConstructorOptions } from 'electron';
import { expect, test } from 'vitest';
import { applicationMenu } from '../../../../electron/platform/app-menu';

const PLATFORMS = ['darwin', 'win32', 'linux'] as const;

/** Every role in a template, submenus included. */
const roles = (items: MenuItemConstructorOptions[]): string[] =>
  items.flatMap((item) => [
    ...(item.role ? [item.role] : []),
    ...(Array.isArray(item.submenu) ? roles(item.submenu) : []),
  ]);

test("a development build keeps Electron's default menu (View has Reload and Toggle Developer Tools)", () => {
  for (const platform of PLATFORMS)
    expect(applicationMenu({ packaged: false, platform }), platform).toEqual({ kind: 'electron-default' });
});

test('a packaged build on Windows and Linux has no application menu at all', () => {
  for (const platform of ['win32', 'linux'] as const)
    expect(applicationMenu({ packaged: true, platform }), platform).toEqual({ kind: 'none' });
});

test('a packaged build on macOS keeps only the app menu (Quit), File (Close Window) and Edit (copy and paste)', () => {
  const plan = applicationMenu({ packaged: true, platform: 'darwin' });
  expect(plan).toEqual({
    kind: 'template',
    template: [{ role: 'appMenu' }, { role: 'fileMenu' }, { role: 'editMenu' }],
  });
  const template = plan.kind === 'template' ? plan.template : [];
  expect(roles(template).filter((role) => /devtools|reload|viewmenu/i.test(role))).toEqual([]);
});

test('any other platform a packaged build runs on gets no menu either', () => {
  expect(applicationMenu({ packaged: true, platform: 'freebsd' })).toEqual({ kind: 'none' });
});
