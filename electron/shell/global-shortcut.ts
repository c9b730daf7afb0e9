/**
 * The quick-send global shortcut: the accelerator is checked before Electron sees it (an
 * invalid one throws inside `globalShortcut.register`), re-registered when the setting
 * changes, freed on quit, and a clash (another app holds it; the OS makes `register` return
 * false) is reported rather than silently ignored. The registry is injected, so this is tested
 * without Electron. https://www.electronjs.org/docs/latest/api/accelerator
 */

export type ShortcutStatus =
  | { state: 'off' }
  | { state: 'registered'; accelerator: string }
  | { state: 'clash'; accelerator: string }
  | { state: 'invalid'; accelerator: string; reason: string };

export interface ShortcutRegistry {
  /** False when another application holds it. May throw for an accelerator Electron rejects. */
  register(accelerator: string, callback: () => void): boolean;
  unregister(accelerator: string): void;
}

const MODIFIERS = new Map([
  ['command', 'Command'],
  ['cmd', 'Command'],
  ['control', 'Control'],
  ['ctrl', 'Control'],
  ['commandorcontrol', 'CommandOrControl'],
  ['cmdorctrl', 'CommandOrControl'],
  ['alt', 'Alt'],
  ['option', 'Option'],
  ['altgr', 'AltGr'],
  ['shift', 'Shift'],
  ['super', 'Super'],
  ['meta', 'Meta'],
] as const);

const NAMED_KEYS = new Map(
  [
    'Plus',
    'Space',
    'Tab',
    'Capslock',
    'Numlock',
    'Scrolllock',
    'Backspace',
    'Delete',
    'Insert',
    'Return',
    'Enter',
    'Up',
    'Down',
    'Left',
    'Right',
    'Home',
    'End',
    'PageUp',
    'PageDown',
    'Escape',
    'Esc',
    'VolumeUp',
    'VolumeDown',
    'VolumeMute',
    'MediaNextTrack',
    'MediaPreviousTrack',
    'MediaStop',
    'MediaPlayPause',
    'PrintScreen',
    'num0',
    'num1',
    'num2',
    'num3',
    'num4',
    'num5',
    'num6',
    'num7',
    'num8',
    'num9',
    'numdec',
    'numadd',
    'numsub',
    'nummult',
    'numdiv',
  ].map((key) => [key.toLowerCase(), key]),
);
const PUNCTUATION = new Set([...'~!@#$%^&*()_-=[]{}|\\;:\'",<.>/?`']);

export type AcceleratorCheck = { ok: true; accelerator: string } | { ok: false; reason: string };

/**
 * Checks and normalises an accelerator (`ctrl+shift+m` -> `Control+Shift+M`). A global
 * shortcut needs a modifier (a bare key would be stolen from every other app), except F1-F24.
 */
export function checkAccelerator(raw: string): AcceleratorCheck {
  const text = raw.trim();
  if (text.length === 0 || text.length > 64) return { ok: false, reason: 'The shortcut is empty or too long.' };
  // '+' is the separator; the plus key itself is spelt "Plus".
  const parts = text.split('+').map((p) => p.trim());
  if (parts.some((p) => p === '')) return { ok: false, reason: 'Write the plus key as "Plus".' };
  const key = parts.pop()!;
  const modifiers: string[] = [];
  for (const part of parts) {
    const modifier = MODIFIERS.get(part.toLowerCase() as never);
    if (!modifier) return { ok: false, reason: `"${part}" is not a modifier key.` };
    if (modifiers.includes(modifier)) return { ok: false, reason: `"${modifier}" is there twice.` };
    modifiers.push(modifier);
  }
  if (MODIFIERS.has(key.toLowerCase() as never))
    return { ok: false, reason: 'The shortcut needs a key after the modifiers.' };
  let keyName: string | undefined;
  if (/^[a-z0-9]$/i.test(key)) keyName = key.toUpperCase();
  else if (/^f([1-9]|1[0-9]|2[0-4])$/i.test(key)) keyName = key.toUpperCase();
  else if (key.length === 1 && PUNCTUATION.has(key)) keyName = key;
  else keyName = NAMED_KEYS.get(key.toLowerCase());
  if (!keyName) return { ok: false, reason: `"${key}" is not a key Quicksend knows.` };
  if (modifiers.length === 0 && !/^F\d+$/.test(keyName))
    return { ok: false, reason: 'A global shortcut needs Ctrl, Alt, Shift or Command (or an F key).' };
  return { ok: true, accelerator: [...modifiers, keyName].join('+') };
}

export type ShortcutManager = {
  /** Registers `accelerator` (empty: none), releasing the previous one. */
  apply(accelerator: string): ShortcutStatus;
  status(): ShortcutStatus;
  /** Frees the shortcut (on quit). */
  dispose(): void;
};

export function createShortcutManager(registry: ShortcutRegistry, onPress: () => void): ShortcutManager {
  let status: ShortcutStatus = { state: 'off' };
  const release = () => {
    if (status.state === 'registered') {
      try {
        registry.unregister(status.accelerator);
      } catch {
        // Already gone (e.g. during quit): nothing to free.
      }
    }
    status = { state: 'off' };
  };
  return {
    apply(accelerator) {
      const check = accelerator.trim() === '' ? null : checkAccelerator(accelerator);
      if (check?.ok && status.state === 'registered' && status.accelerator === check.accelerator) return status;
      release();
      if (check === null) return status;
      if (!check.ok) return (status = { state: 'invalid', accelerator, reason: check.reason });
      let registered: boolean;
      try {
        registered = registry.register(check.accelerator, onPress);
      } catch (error) {
        return (status = {
          state: 'invalid',
          accelerator,
          reason: error instanceof Error ? error.message : 'Electron refused the shortcut.',
        });
      }
      status = registered
        ? { state: 'registered', accelerator: check.accelerator }
        : { state: 'clash', accelerator: check.accelerator };
      return status;
    },
    status: () => status,
    dispose: release,
  };
}

/** What to tell the person about a shortcut that could not be set, or null when all is well. */
export function shortcutProblem(status: ShortcutStatus): { title: string; body: string } | null {
  switch (status.state) {
    case 'clash':
      return {
        title: 'Shortcut not available',
        body: `${status.accelerator} is already used by another app. Choose another quick-send shortcut in Settings.`,
      };
    case 'invalid':
      return { title: 'Shortcut not valid', body: `${status.reason} Choose another quick-send shortcut in Settings.` };
    default:
      return null;
  }
}
