import { callAsUnprivileged, sharedTempDir } from '../../../support/unprivileged';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { createFileHandlers, describeFiles } from '../../../../electron/files/describe-files';
import { tempDataDir } from '../../../support/node-ports';

const ctx = { sender: { frameUrl: 'app://quicksend/', isMainFrame: true } };

describe('describe files', () => {
  const dir = tempDataDir('quicksend-files-');
  const report = path.join(dir, 'report.pdf');
  writeFileSync(report, Buffer.alloc(2048));

  test('a readable file is described with its name and size and no problem', async () => {
    expect(await describeFiles([report])).toEqual([{ path: report, name: 'report.pdf', sizeBytes: 2048, problem: null }]);
  });

  test('missing files, folders, relative paths and dangling links get a plain-words problem', async () => {
    const folder = path.join(dir, 'photos');
    mkdirSync(folder);
    const dangling = path.join(dir, 'gone-link');
    symlinkSync(path.join(dir, 'nowhere'), dangling);
    const [missing, isFolder, relative, link] = await describeFiles([path.join(dir, 'gone.txt'), folder, 'relative.txt', dangling]);
    expect(missing).toMatchObject({ name: 'gone.txt', problem: 'This file no longer exists.' });
    expect(isFolder?.problem).toMatch(/folder/);
    expect(relative?.problem).toMatch(/not a full file path/);
    expect(link?.problem).toBe('This file no longer exists.');
  });

  test('special files are refused', async () => {
    const [device] = await describeFiles(['/dev/null']);
    expect(device?.problem).toMatch(/not a regular file/);
  });

  // root reads any file whatever its mode, so the check runs as an unprivileged user.
  test('an unreadable file is refused', async () => {
    const secret = path.join(sharedTempDir(), 'locked.txt');
    writeFileSync(secret, 'x');
    chmodSync(secret, 0o000);
    const outcome = await callAsUnprivileged('electron/files/describe-files.ts', 'describeFiles', [[secret]]);
    const [locked] = outcome.value as Array<{ problem: string | null }>;
    expect(locked?.problem).toMatch(/not allowed to read/);
  });

  test('files:choose describes what the native dialog returned; cancel is an empty list', async () => {
    let answer: string[] = [report];
    const handlers = createFileHandlers({ fileDialog: { chooseFiles: async () => answer } });
    expect(await handlers['files:choose']({}, ctx)).toEqual([{ path: report, name: 'report.pdf', sizeBytes: 2048, problem: null }]);
    answer = [];
    expect(await handlers['files:choose']({}, ctx)).toEqual([]);
    expect(await handlers['files:describe']({ paths: [report] }, ctx)).toHaveLength(1);
  });
});
