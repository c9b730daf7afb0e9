/**
 * Start at login on Linux: an XDG autostart entry, `quicksend.desktop` in
 * `$XDG_CONFIG_HOME/autostart` (default `~/.config/autostart`).
 * https://specifications.freedesktop.org/autostart-spec/latest/
 * The content builder is pure; the writer takes the directory, so tests use a temp folder.
 */
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../shared/atomic-file';

export const AUTOSTART_FILE = 'quicksend.desktop';

/** The autostart folder for this user. */
export function autostartDirectory(env: Record<string, string | undefined>, home: string): string {
  const configHome =
    env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(home, '.config');
  return path.join(configHome, 'autostart');
}

// Desktop Entry spec, "The Exec key": these characters need the argument quoted.
const RESERVED = /[\s"'\\><~|&;$*?#()`]/;

/**
 * Quotes one Exec argument per the Desktop Entry spec: inside double quotes, `"`, `` ` ``,
 * `$` and `\` take a backslash; then the string-value escape doubles every backslash again;
 * `%` (field codes) is written `%%`. A line break cannot be represented and is refused.
 */
export function quoteExecArgument(arg: string): string {
  if (/[\r\n]/.test(arg)) throw new Error('An autostart command cannot contain a line break.');
  // eslint-disable-next-line no-control-regex -- control characters cannot appear in an Exec value
  if (/[\u0000-\u001F\u007F]/.test(arg)) throw new Error('An autostart command cannot contain control characters.');
  const percent = arg.replace(/%/g, '%%');
  if (arg.length > 0 && !RESERVED.test(arg)) return percent;
  const quoted = `"${percent.replace(/(["`$\\])/g, '\\$1')}"`;
  // The string-type escape rule applies before the quoting rule: every backslash is doubled.
  return quoted.replace(/\\/g, '\\\\');
}

/** The whole `.desktop` file for `command` (executable first, then arguments). */
export function autostartEntry(command: readonly string[]): string {
  if (command.length === 0) throw new Error('An autostart entry needs a command.');
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    'Name=Quicksend',
    'Comment=Send email from the tray',
    `Exec=${command.map(quoteExecArgument).join(' ')}`,
    'Icon=quicksend',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** Writes (or, with `null`, removes) the autostart entry in `directory`. */
export async function applyAutostart(directory: string, content: string | null): Promise<void> {
  const file = path.join(directory, AUTOSTART_FILE);
  if (content === null) {
    await rm(file, { force: true });
    return;
  }
  await mkdir(directory, { recursive: true, mode: 0o700 });
  await writeFileAtomic(file, content, 0o644);
}

/** Whether our entry exists and is not disabled (`Hidden=true` or autostart disabled). */
export async function isAutostartEnabled(directory: string): Promise<boolean> {
  let text: string;
  try {
    text = await readFile(path.join(directory, AUTOSTART_FILE), 'utf8');
  } catch {
    return false;
  }
  return !/^Hidden\s*=\s*true\s*$/m.test(text) && !/^X-GNOME-Autostart-enabled\s*=\s*false\s*$/m.test(text);
}
