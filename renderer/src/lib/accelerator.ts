/**
 * Turns a key press into an Electron accelerator string (`CommandOrControl+Shift+M`) for the
 * global-shortcut recorder in Settings. Ctrl on Windows/Linux and Cmd on macOS both become
 * `CommandOrControl`, so a shortcut recorded on one platform means the same on the others.
 */

export type KeyPress = {
  key: string;
  code: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
};

const MODIFIER_KEYS = new Set(['Control', 'Meta', 'Alt', 'Shift', 'AltGraph', 'OS']);

function keyName(press: KeyPress): string | null {
  // `code` is layout-independent for letters and digits: Alt+Shift+M stays "M", not "Â".
  const letter = /^Key([A-Z])$/.exec(press.code);
  if (letter) return letter[1]!;
  const digit = /^Digit([0-9])$/.exec(press.code);
  if (digit) return digit[1]!;
  if (/^F([1-9]|1[0-9]|2[0-4])$/.test(press.key)) return press.key;
  const named: Record<string, string> = {
    ' ': 'Space',
    Enter: 'Enter',
    Tab: 'Tab',
    Backspace: 'Backspace',
    Delete: 'Delete',
    Insert: 'Insert',
    Home: 'Home',
    End: 'End',
    PageUp: 'PageUp',
    PageDown: 'PageDown',
    ArrowUp: 'Up',
    ArrowDown: 'Down',
    ArrowLeft: 'Left',
    ArrowRight: 'Right',
  };
  if (press.key in named) return named[press.key]!;
  if (/^[\x21-\x7e]$/.test(press.key)) return press.key.toUpperCase();
  return null;
}

/**
 * The accelerator for a key press, or null while only modifiers are held or when the press
 * is not usable as a global shortcut (one needs Ctrl/Cmd or Alt, else it would steal typing).
 */
export function toAccelerator(press: KeyPress): string | null {
  if (MODIFIER_KEYS.has(press.key)) return null;
  const key = keyName(press);
  if (!key) return null;
  const parts: string[] = [];
  if (press.ctrlKey || press.metaKey) parts.push('CommandOrControl');
  if (press.altKey) parts.push('Alt');
  if (press.shiftKey) parts.push('Shift');
  if (!press.ctrlKey && !press.metaKey && !press.altKey && !/^F\d+$/.test(key)) return null;
  return [...parts, key].join('+');
}

/** A readable form for the current platform: "Ctrl+Shift+M" or "⌘⇧M". */
export function describeAccelerator(accelerator: string, mac: boolean): string {
  const parts = accelerator.split('+');
  if (mac) {
    const symbols: Record<string, string> = {
      CommandOrControl: '⌘',
      Command: '⌘',
      Cmd: '⌘',
      Control: '⌃',
      Ctrl: '⌃',
      Alt: '⌥',
      Option: '⌥',
      Shift: '⇧',
    };
    return parts.map((p) => symbols[p] ?? p).join('');
  }
  return parts.map((p) => (p === 'CommandOrControl' || p === 'CmdOrCtrl' ? 'Ctrl' : p)).join('+');
}
