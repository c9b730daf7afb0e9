import { describe, expect, test, vi } from 'vitest';
import {
  checkAccelerator,
  createShortcutManager,
  shortcutProblem,
  type ShortcutRegistry,
} from '../../../../electron/shell/global-shortcut';

describe('checkAccelerator', () => {
  test.each([
    ['CommandOrControl+Shift+M', 'CommandOrControl+Shift+M'],
    ['ctrl+shift+m', 'Control+Shift+M'],
    ['CmdOrCtrl + Alt + Space', 'CommandOrControl+Alt+Space'],
    ['Super+F5', 'Super+F5'],
    ['F13', 'F13'],
    ['Alt+Plus', 'Alt+Plus'],
    ['Ctrl+/', 'Control+/'],
    ['Shift+num5', 'Shift+num5'],
  ])('%s -> %s', (raw, normal) => {
    expect(checkAccelerator(raw)).toEqual({ ok: true, accelerator: normal });
  });

  test.each([
    '',
    'M',
    'Space',
    'Ctrl+',
    'Ctrl++',
    'Shift',
    'Ctrl+Shift',
    'Hyper+M',
    'Ctrl+Ctrl+M',
    'Ctrl+Foo',
    'Ctrl+F25',
    'x'.repeat(65),
  ])('refuses %j', (raw) => {
    expect(checkAccelerator(raw).ok).toBe(false);
  });
});

function fakeRegistry(taken: string[] = []) {
  const held = new Set<string>();
  const registry: ShortcutRegistry & { held: Set<string> } = {
    held,
    register: vi.fn((accelerator: string) => {
      if (accelerator === 'Control+Shift+X') throw new Error('Error processing argument');
      if (taken.includes(accelerator)) return false;
      held.add(accelerator);
      return true;
    }),
    unregister: vi.fn((accelerator: string) => void held.delete(accelerator)),
  };
  return registry;
}

describe('shortcut manager', () => {
  test('registers, re-registers on change (freeing the old one) and frees on dispose', () => {
    const registry = fakeRegistry();
    const press = vi.fn();
    const manager = createShortcutManager(registry, press);
    expect(manager.apply('CmdOrCtrl+Shift+M')).toEqual({
      state: 'registered',
      accelerator: 'CommandOrControl+Shift+M',
    });
    expect([...registry.held]).toEqual(['CommandOrControl+Shift+M']);
    (registry.register as ReturnType<typeof vi.fn>).mock.calls[0]![1]();
    expect(press).toHaveBeenCalledOnce();
    manager.apply('Alt+Shift+Q');
    expect([...registry.held]).toEqual(['Alt+Shift+Q']);
    manager.dispose();
    expect(registry.held.size).toBe(0);
    expect(manager.status()).toEqual({ state: 'off' });
  });

  test('applying the same shortcut again does not re-register', () => {
    const registry = fakeRegistry();
    const manager = createShortcutManager(registry, () => {});
    manager.apply('Ctrl+Shift+M');
    manager.apply('control+shift+m');
    expect(registry.register).toHaveBeenCalledTimes(1);
  });

  test('a clash is reported with a plain-words notification', () => {
    const manager = createShortcutManager(fakeRegistry(['Control+Shift+M']), () => {});
    const status = manager.apply('Ctrl+Shift+M');
    expect(status).toEqual({ state: 'clash', accelerator: 'Control+Shift+M' });
    expect(shortcutProblem(status)!.body).toMatch(/already used by another app/);
  });

  test('invalid input and an Electron refusal are both "invalid", and nothing stays registered', () => {
    const registry = fakeRegistry();
    const manager = createShortcutManager(registry, () => {});
    manager.apply('Ctrl+Shift+M');
    expect(manager.apply('Ctrl+Nope')).toMatchObject({ state: 'invalid' });
    expect(registry.held.size).toBe(0);
    expect(manager.apply('Ctrl+Shift+X')).toMatchObject({ state: 'invalid', reason: 'Error processing argument' });
    expect(shortcutProblem(manager.status())!.title).toBe('Shortcut not valid');
  });

  test('an empty setting turns the shortcut off', () => {
    const registry = fakeRegistry();
    const manager = createShortcutManager(registry, () => {});
    manager.apply('Ctrl+Shift+M');
    expect(manager.apply('')).toEqual({ state: 'off' });
    expect(registry.held.size).toBe(0);
    expect(shortcutProblem({ state: 'off' })).toBeNull();
  });
});
