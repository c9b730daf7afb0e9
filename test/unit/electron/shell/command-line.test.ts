import path from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  attachmentPath,
  HIDDEN_FLAG,
  makeHandoff,
  MAX_ARGS,
  parseLaunchArgs,
  readHandoff,
  userArgs,
} from '../../../../electron/shell/command-line';
import { PREFILL_LIMITS } from '../../../../electron/shell/compose-prefill';

const cwd = path.resolve('/home/ada/work');

describe('parseLaunchArgs: --compose', () => {
  test('every option, repeated --to and --attach, relative paths resolved against cwd', () => {
    const r = parseLaunchArgs(
      [
        '--compose',
        '--to',
        'a@example.com',
        '--to',
        'b@example.com',
        '--cc',
        'c@example.com',
        '--bcc',
        'd@example.com',
        '--subject',
        'Report',
        '--body',
        'See attached.\nThanks',
        '--attach',
        'report.pdf',
        '--attach',
        '/tmp/data.csv',
      ],
      cwd,
    );
    expect(r).toEqual({
      hidden: false,
      problems: [],
      compose: {
        to: ['a@example.com', 'b@example.com'],
        cc: ['c@example.com'],
        bcc: ['d@example.com'],
        subject: 'Report',
        text: 'See attached.\nThanks',
        attachmentPaths: [path.join(cwd, 'report.pdf'), path.resolve('/tmp/data.csv')],
      },
    });
  });

  test('--name=value form, and comma lists that respect quotes', () => {
    const r = parseLaunchArgs(
      ['--compose', '--to="Doe, Jane" <jane@example.com>, bob@example.com', '--subject=a=b'],
      cwd,
    );
    expect(r.compose).toMatchObject({ to: ['"Doe, Jane" <jane@example.com>', 'bob@example.com'], subject: 'a=b' });
  });

  test('--compose alone opens an empty quick send', () => {
    expect(parseLaunchArgs(['--compose'], cwd).compose).toEqual({
      to: [],
      cc: [],
      bcc: [],
      subject: '',
      text: '',
      attachmentPaths: [],
    });
  });

  test('a following switch is not a value', () => {
    const r = parseLaunchArgs(['--compose', '--subject', '--to', 'a@example.com'], cwd);
    expect(r.compose).toMatchObject({ subject: '', to: ['a@example.com'] });
    expect(r.problems).toContain('--subject needs a value');
    expect(parseLaunchArgs(['--compose', '--subject=--dashes'], cwd).compose!.subject).toBe('--dashes');
  });

  test('a trailing option without a value is reported', () => {
    expect(parseLaunchArgs(['--compose', '--attach'], cwd).problems).toEqual(['--attach needs a value']);
  });

  test('compose options without --compose are ignored', () => {
    const r = parseLaunchArgs(['--to', 'a@example.com'], cwd);
    expect(r.compose).toBeNull();
    expect(r.problems[0]).toMatch(/need --compose/);
  });

  test("Chromium's own switches and unknown flags are ignored, wherever they are", () => {
    const r = parseLaunchArgs(
      [
        '--original-process-start-time=13345',
        '--compose',
        '--allow-file-access-from-files',
        '--to',
        'a@example.com',
        '--enable-logging',
      ],
      cwd,
    );
    expect(r.compose!.to).toEqual(['a@example.com']);
    expect(r.problems).toEqual([]);
  });

  test('the first --subject and --body win', () => {
    expect(
      parseLaunchArgs(['--compose', '--subject', 'one', '--subject', 'two', '--body', 'a', '--body', 'b'], cwd).compose,
    ).toMatchObject({ subject: 'one', text: 'a' });
  });

  test('duplicate attachments are taken once', () => {
    expect(
      parseLaunchArgs(['--compose', '--attach', 'a.txt', '--attach', './a.txt'], cwd).compose!.attachmentPaths,
    ).toEqual([path.join(cwd, 'a.txt')]);
  });

  test('--hidden', () => {
    expect(parseLaunchArgs([HIDDEN_FLAG], cwd)).toEqual({ compose: null, hidden: true, problems: [] });
    expect(parseLaunchArgs(['--hidden=1'], cwd).hidden).toBe(false);
  });

  test('nothing at all', () => {
    expect(parseLaunchArgs([], cwd)).toEqual({ compose: null, hidden: false, problems: [] });
  });
});

describe('parseLaunchArgs: mailto: on the command line (Windows, Linux)', () => {
  test('a mailto: URL opens quick send prefilled', () => {
    expect(parseLaunchArgs(['mailto:a@example.com?subject=Hi'], cwd).compose).toMatchObject({
      to: ['a@example.com'],
      subject: 'Hi',
    });
  });

  test('after -- too', () => {
    expect(parseLaunchArgs(['--', 'mailto:a@example.com'], cwd).compose!.to).toEqual(['a@example.com']);
  });

  test('--compose options add to a mailto: link', () => {
    expect(parseLaunchArgs(['mailto:a@example.com', '--compose', '--cc', 'b@example.com'], cwd).compose).toMatchObject({
      to: ['a@example.com'],
      cc: ['b@example.com'],
    });
  });

  test('an unreadable mailto: link is reported and opens nothing', () => {
    const r = parseLaunchArgs(['mailto:a@example.com?subject=a\nb'], cwd);
    expect(r.compose).toBeNull();
    expect(r.problems).toEqual(['a mailto: link could not be read']);
  });

  test('a mailto: link never attaches files, even with --compose elsewhere', () => {
    expect(parseLaunchArgs(['mailto:a@example.com?attach=/etc/passwd'], cwd).compose!.attachmentPaths).toEqual([]);
  });
});

describe('parseLaunchArgs: hostile input', () => {
  test('CR/LF in --subject cannot add headers', () => {
    expect(parseLaunchArgs(['--compose', '--subject', 'Hi\r\nBcc: x@evil.example'], cwd).compose!.subject).toBe(
      'Hi Bcc: x@evil.example',
    );
  });

  test('an address with a line break is dropped', () => {
    expect(
      parseLaunchArgs(['--compose', '--to', 'a@example.com\r\nBcc: x@evil.example', '--to', 'ok@example.com'], cwd)
        .compose!.to,
    ).toEqual(['ok@example.com']);
  });

  test('lone surrogates (invalid UTF-16 from a broken argv) become U+FFFD', () => {
    expect(parseLaunchArgs(['--compose', '--subject', 'a\uD800b'], cwd).compose!.subject).toBe('a\uFFFDb');
  });

  test('huge values are cut; too many attachments are capped', () => {
    const attach = Array.from({ length: 150 }, (_, i) => ['--attach', `f${i}`]).flat();
    const r = parseLaunchArgs(
      ['--compose', '--subject', 'x'.repeat(10_000), '--body', 'y'.repeat(PREFILL_LIMITS.textLength * 2), ...attach],
      cwd,
    );
    expect(r.compose!.subject).toHaveLength(PREFILL_LIMITS.subjectLength);
    expect(r.compose!.text).toHaveLength(PREFILL_LIMITS.textLength);
    expect(r.compose!.attachmentPaths).toHaveLength(PREFILL_LIMITS.attachments);
    expect(r.problems).toContain(`only ${PREFILL_LIMITS.attachments} attachments are taken`);
  });

  test('only the first MAX_ARGS arguments are read', () => {
    const r = parseLaunchArgs(
      ['--compose', ...Array.from({ length: MAX_ARGS + 10 }, () => '--x'), '--to', 'late@example.com'],
      cwd,
    );
    expect(r.compose!.to).toEqual([]);
    expect(r.problems[0]).toMatch(/first 1000 arguments/);
  });

  test('non-string entries are skipped', () => {
    expect(parseLaunchArgs([42, null, '--compose', { a: 1 }], cwd).compose).not.toBeNull();
  });
});

describe('attachmentPath', () => {
  test('resolves relative paths and keeps absolute ones', () => {
    expect(attachmentPath('a/../b.txt', cwd)).toBe(path.join(cwd, 'b.txt'));
    expect(attachmentPath('/etc/hosts', cwd)).toBe(path.resolve('/etc/hosts'));
  });

  test.each([
    '',
    'a\u0000b',
    'a\nb',
    'file:///etc/passwd',
    'https://example.com/x',
    'smb://server/share',
    'x'.repeat(PREFILL_LIMITS.pathLength + 1),
  ])('refuses %j', (value) => {
    expect(attachmentPath(value, cwd)).toBeNull();
  });
});

describe('second-launch hand-off', () => {
  test('userArgs drops the executable, and the app path in development', () => {
    expect(userArgs(['/opt/Quicksend/quicksend', '--compose'], false)).toEqual(['--compose']);
    expect(userArgs(['/usr/bin/electron', '.', '--compose'], true)).toEqual(['--compose']);
  });

  test('readHandoff prefers the exact additionalData', () => {
    const data = makeHandoff(['--compose', '--to', 'a@example.com'], '/home/ada');
    expect(readHandoff(data, { argv: ['/x', '--other'], workingDirectory: '/', defaultApp: false })).toEqual({
      args: ['--compose', '--to', 'a@example.com'],
      cwd: '/home/ada',
    });
  });

  test.each([
    null,
    'string',
    { args: ['--compose'], cwd: '/x' },
    { quicksendHandoff: 1, args: '--compose', cwd: '/x' },
    { quicksendHandoff: 1, args: [1, 2], cwd: '/x' },
    { quicksendHandoff: 1, args: ['--compose'], cwd: 'relative' },
    { quicksendHandoff: 1, args: Array.from({ length: MAX_ARGS + 1 }, () => 'a'), cwd: '/x' },
  ])('falls back to argv when additionalData is %j', (data) => {
    expect(
      readHandoff(data, { argv: ['/opt/q', 'mailto:a@example.com'], workingDirectory: '/w', defaultApp: false }),
    ).toEqual({ args: ['mailto:a@example.com'], cwd: '/w' });
  });
});
