import { mkdtemp, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { loginCommand, loginItemPlan, loginItemQuery } from '../../../../electron/shell/login-item';
import {
  applyAutostart,
  AUTOSTART_FILE,
  autostartDirectory,
  autostartEntry,
  isAutostartEnabled,
  quoteExecArgument,
} from '../../../../electron/shell/xdg-autostart';

describe('loginItemPlan', () => {
  test('macOS: a login item', () => {
    expect(
      loginItemPlan(true, {
        platform: 'darwin',
        execPath: '/Applications/Quicksend.app/Contents/MacOS/Quicksend',
        defaultApp: false,
      }),
    ).toEqual({ kind: 'login-item', settings: { openAtLogin: true } });
    expect(loginItemPlan(false, { platform: 'darwin', execPath: '/x', defaultApp: false })).toEqual({
      kind: 'login-item',
      settings: { openAtLogin: false },
    });
  });

  test('Windows: the executable with --hidden, and the same for reading it back', () => {
    const context = {
      platform: 'win32',
      execPath: 'C:\\Users\\Ada\\AppData\\Local\\Programs\\Quicksend\\Quicksend.exe',
      defaultApp: false,
    };
    expect(loginItemPlan(true, context)).toEqual({
      kind: 'login-item',
      settings: { openAtLogin: true, path: context.execPath, args: ['--hidden'] },
    });
    expect(loginItemQuery(context)).toEqual({ path: context.execPath, args: ['--hidden'] });
    expect(loginItemQuery({ ...context, platform: 'darwin' })).toEqual({});
  });

  test('Linux: an autostart entry, removed when turned off', () => {
    const plan = loginItemPlan(true, { platform: 'linux', execPath: '/opt/Quicksend/quicksend', defaultApp: false });
    expect(plan).toMatchObject({ kind: 'autostart' });
    expect((plan as { content: string }).content).toContain('Exec=/opt/Quicksend/quicksend --hidden\n');
    expect(loginItemPlan(false, { platform: 'linux', execPath: '/x', defaultApp: false })).toEqual({
      kind: 'autostart',
      content: null,
    });
  });

  test('an AppImage starts from its .AppImage file, not the temporary mount', () => {
    expect(
      loginCommand({
        platform: 'linux',
        execPath: '/tmp/.mount_QuickAbc/quicksend',
        appImage: '/home/ada/Apps/Quicksend.AppImage',
        defaultApp: false,
      }),
    ).toEqual(['/home/ada/Apps/Quicksend.AppImage', '--hidden']);
  });

  test('development passes the app path', () => {
    expect(
      loginCommand({
        platform: 'linux',
        execPath: '/repo/node_modules/electron/dist/electron',
        appPath: '/repo',
        defaultApp: true,
      }),
    ).toEqual(['/repo/node_modules/electron/dist/electron', '/repo', '--hidden']);
  });

  test('other platforms are unsupported', () => {
    expect(loginItemPlan(true, { platform: 'freebsd', execPath: '/x', defaultApp: false }).kind).toBe('unsupported');
  });
});

describe('XDG autostart entry', () => {
  test('the file content', () => {
    expect(autostartEntry(['/opt/Quicksend/quicksend', '--hidden'])).toBe(
      [
        '[Desktop Entry]',
        'Type=Application',
        'Version=1.0',
        'Name=Quicksend',
        'Comment=Send email from the tray',
        'Exec=/opt/Quicksend/quicksend --hidden',
        'Icon=quicksend',
        'Terminal=false',
        'X-GNOME-Autostart-enabled=true',
        '',
      ].join('\n'),
    );
  });

  test('Exec quoting per the Desktop Entry spec', () => {
    expect(quoteExecArgument('/opt/Quick Send/quicksend')).toBe('"/opt/Quick Send/quicksend"');
    expect(quoteExecArgument('/home/a$b')).toBe('"/home/a\\\\$b"');
    expect(quoteExecArgument('/x/"q"')).toBe('"/x/\\\\"q\\\\""');
    expect(quoteExecArgument('/x/back\\slash')).toBe('"/x/back\\\\\\\\slash"');
    expect(quoteExecArgument('/x/`cmd`')).toBe('"/x/\\\\`cmd\\\\`"');
    expect(quoteExecArgument('/x/100%')).toBe('/x/100%%');
    expect(quoteExecArgument('')).toBe('""');
  });

  test('a line break or control character cannot be written', () => {
    expect(() => quoteExecArgument('/x\n[Desktop Entry]')).toThrow(/line break/);
    expect(() => quoteExecArgument('/x\u0001')).toThrow(/control/);
    expect(() => autostartEntry([])).toThrow();
  });

  test('the autostart directory honours an absolute XDG_CONFIG_HOME', () => {
    expect(autostartDirectory({}, '/home/ada')).toBe(path.join('/home/ada', '.config', 'autostart'));
    expect(autostartDirectory({ XDG_CONFIG_HOME: '/cfg' }, '/home/ada')).toBe(path.join('/cfg', 'autostart'));
    expect(autostartDirectory({ XDG_CONFIG_HOME: 'relative' }, '/home/ada')).toBe(
      path.join('/home/ada', '.config', 'autostart'),
    );
  });

  test('writes, reads back and removes the entry in an injected directory', async () => {
    const dir = path.join(await mkdtemp(path.join(os.tmpdir(), 'qs-autostart-')), 'autostart');
    expect(await isAutostartEnabled(dir)).toBe(false);
    await applyAutostart(dir, autostartEntry(['/opt/q', '--hidden']));
    expect(await readFile(path.join(dir, AUTOSTART_FILE), 'utf8')).toContain('Exec=/opt/q --hidden');
    expect((await stat(path.join(dir, AUTOSTART_FILE))).mode & 0o777).toBe(0o644);
    expect(await isAutostartEnabled(dir)).toBe(true);
    await applyAutostart(
      dir,
      autostartEntry(['/opt/q']).replace('X-GNOME-Autostart-enabled=true', 'X-GNOME-Autostart-enabled=false'),
    );
    expect(await isAutostartEnabled(dir)).toBe(false);
    await applyAutostart(dir, null);
    expect(await isAutostartEnabled(dir)).toBe(false);
    await expect(applyAutostart(dir, null)).resolves.toBeUndefined();
  });
});
