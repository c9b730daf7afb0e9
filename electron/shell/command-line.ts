/**
 * Reads Quicksend's own command line: `quicksend --compose [--to A] [--cc A] [--bcc A]
 * [--subject S] [--body B] [--attach PATH]...`, a `mailto:` URL (how Windows and Linux hand
 * us a clicked link), and `--hidden` (start at login, no window). Unknown switches are ignored
 * because Chromium adds its own (`--original-process-start-time`, ...). Pure: the caller
 * passes the arguments and the working directory they are relative to.
 */
import path from 'node:path';
import {
  addRecipients,
  cleanMultiLine,
  cleanSingleLine,
  emptyPrefill,
  PREFILL_LIMITS,
  type ComposePrefill,
} from './compose-prefill';
import { isMailtoUrl, parseMailto } from './mailto';

/** The flag a login item or autostart entry passes, so start-up opens no window. */
export const HIDDEN_FLAG = '--hidden';

export type LaunchRequest = {
  /** Open quick send prefilled with this (never sent without the person pressing Send). */
  compose: ComposePrefill | null;
  /** Started at login: stay in the tray. */
  hidden: boolean;
  /** Plain-words notes about ignored input (for the log; never shown as an error dialog). */
  problems: string[];
};

const VALUE_FLAGS = ['--to', '--cc', '--bcc', '--subject', '--body', '--attach'] as const;
type ValueFlag = (typeof VALUE_FLAGS)[number];
const isValueFlag = (name: string): name is ValueFlag => (VALUE_FLAGS as readonly string[]).includes(name);

/** More arguments than this are not looked at (a sane launch has a handful). */
export const MAX_ARGS = 1000;

/**
 * The arguments meant for us: drops the executable, and in development (`electron .` or
 * `electron dist/main/main.js`, where `process.defaultApp` is true) the app path as well.
 */
export function userArgs(argv: readonly string[], defaultApp: boolean): string[] {
  return argv.slice(defaultApp ? 2 : 1);
}

/** Parses `args` (already without the executable); relative `--attach` paths resolve against `cwd`. */
export function parseLaunchArgs(args: readonly unknown[], cwd: string): LaunchRequest {
  const problems: string[] = [];
  let hidden = false;
  let composeFlag = false;
  let mailto: ComposePrefill | null = null;
  const values: Array<[ValueFlag, string]> = [];
  const list = args.slice(0, MAX_ARGS);
  if (args.length > MAX_ARGS) problems.push(`only the first ${MAX_ARGS} arguments were read`);
  let positionalOnly = false;
  for (let i = 0; i < list.length; i++) {
    const arg = list[i];
    if (typeof arg !== 'string') continue;
    if (!positionalOnly && arg === '--') {
      positionalOnly = true;
      continue;
    }
    if (!positionalOnly && arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg : arg.slice(0, eq);
      if (name === HIDDEN_FLAG && eq === -1) hidden = true;
      else if (name === '--compose' && eq === -1) composeFlag = true;
      else if (isValueFlag(name)) {
        if (eq !== -1) values.push([name, arg.slice(eq + 1)]);
        else {
          const next = list[i + 1];
          // A following switch is not a value: `--subject --to a@x` is a missing subject.
          if (typeof next === 'string' && !next.startsWith('--')) {
            values.push([name, next]);
            i++;
          } else problems.push(`${name} needs a value`);
        }
      }
      // Anything else is Chromium's or not ours: ignored.
      continue;
    }
    if (isMailtoUrl(arg) && mailto === null) {
      mailto = parseMailto(arg);
      if (!mailto) problems.push('a mailto: link could not be read');
    }
  }

  if (!composeFlag) {
    if (values.length > 0) problems.push('--to, --cc, --bcc, --subject, --body and --attach need --compose');
    return { compose: mailto, hidden, problems };
  }
  const compose = mailto ?? emptyPrefill();
  let subject: string | undefined;
  let body: string | undefined;
  for (const [flag, value] of values) {
    switch (flag) {
      case '--to':
        addRecipients(compose.to, value);
        break;
      case '--cc':
        addRecipients(compose.cc, value);
        break;
      case '--bcc':
        addRecipients(compose.bcc, value);
        break;
      case '--subject':
        subject ??= value;
        break;
      case '--body':
        body ??= value;
        break;
      case '--attach': {
        const file = attachmentPath(value, cwd);
        if (!file) problems.push('an --attach path was empty, too long or not a path');
        else if (compose.attachmentPaths.length >= PREFILL_LIMITS.attachments)
          problems.push(`only ${PREFILL_LIMITS.attachments} attachments are taken`);
        else if (!compose.attachmentPaths.includes(file)) compose.attachmentPaths.push(file);
        break;
      }
    }
  }
  if (subject !== undefined) compose.subject = cleanSingleLine(subject, PREFILL_LIMITS.subjectLength);
  if (body !== undefined) compose.text = cleanMultiLine(body, PREFILL_LIMITS.textLength);
  return { compose, hidden, problems };
}

// eslint-disable-next-line no-control-regex -- a path with control characters is not a path anyone typed
const PATH_CONTROL = /[\u0000-\u001F\u007F]/;

/** An absolute path for `--attach`, or null. Main still checks the file (`files:describe`). */
export function attachmentPath(value: string, cwd: string): string | null {
  if (value.length === 0 || value.length > PREFILL_LIMITS.pathLength || PATH_CONTROL.test(value)) return null;
  // A URL is not a path; file:// in particular must not smuggle anything past the checks.
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return null;
  const resolved = path.resolve(cwd, value);
  return resolved.length > PREFILL_LIMITS.pathLength ? null : resolved;
}

/** What a second launch sends the first through `requestSingleInstanceLock(additionalData)`. */
export type Handoff = { quicksendHandoff: 1; args: string[]; cwd: string };

export function makeHandoff(args: readonly string[], cwd: string): Handoff {
  return { quicksendHandoff: 1, args: args.slice(0, MAX_ARGS), cwd };
}

/**
 * The second launch's arguments, preferring the `additionalData` it sent (exact, in order)
 * over Chromium's `argv` (which may be reordered and carries Chromium's own switches).
 * See Electron's `second-instance` event notes.
 */
export function readHandoff(
  additionalData: unknown,
  fallback: { argv: readonly string[]; workingDirectory: string; defaultApp: boolean },
): { args: string[]; cwd: string } {
  if (additionalData !== null && typeof additionalData === 'object') {
    const data = additionalData as Partial<Record<keyof Handoff, unknown>>;
    if (
      data.quicksendHandoff === 1 &&
      Array.isArray(data.args) &&
      data.args.length <= MAX_ARGS &&
      data.args.every((a) => typeof a === 'string') &&
      typeof data.cwd === 'string' &&
      path.isAbsolute(data.cwd)
    ) {
      return { args: data.args as string[], cwd: data.cwd };
    }
  }
  return { args: userArgs(fallback.argv, fallback.defaultApp), cwd: fallback.workingDirectory };
}
