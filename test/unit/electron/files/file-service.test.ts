import { callAsUnprivileged, sharedTempDir } from '../../../support/unprivileged';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { createFileRegistry } from '../../../../electron/files/file-registry';
import { createFileService, describeFiles } from '../../../../electron/files/file-service';
import { tempDataDir } from '../../../support/node-ports';

const FILE_ID = /^[\w-]{22}$/;

describe('describe files', () => {
  const dir = tempDataDir('quicksend-files-');
  const report = path.join(dir, 'report.pdf');
  writeFileSync(report, Buffer.alloc(2048));

  test('a readable file is described with its name and size and no problem', async () => {
    expect(await describeFiles([report])).toEqual([{ name: 'report.pdf', sizeBytes: 2048, problem: null }]);
  });

  test('missing files, folders, relative paths and dangling links get a plain-words problem', async () => {
    const folder = path.join(dir, 'photos');
    mkdirSync(folder);
    const dangling = path.join(dir, 'gone-link');
    symlinkSync(path.join(dir, 'nowhere'), dangling);
    const [missing, isFolder, relative, link] = await describeFiles([
      path.join(dir, 'gone.txt'),
      folder,
      'relative.txt',
      dangling,
    ]);
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
    const outcome = await callAsUnprivileged('electron/files/file-service.ts', 'describeFiles', [[secret]]);
    const [locked] = outcome.value as Array<{ problem: string | null }>;
    expect(locked?.problem).toMatch(/not allowed to read/);
  });
});

describe('file service', () => {
  const dir = tempDataDir('quicksend-files-');
  const report = path.join(dir, 'report.pdf');
  writeFileSync(report, Buffer.alloc(2048));
  const setup = (chosen: string[] = []) => {
    const registry = createFileRegistry({ clock: { now: () => 0 } });
    return {
      registry,
      service: createFileService({ fileDialog: { chooseFiles: async () => chosen.splice(0) }, registry }),
    };
  };

  test('choose gives each file the person picked an id, never its path; cancel is an empty list', async () => {
    const { registry, service } = setup([report]);
    const [picked] = await service.choose();
    expect(picked).toEqual({
      fileId: expect.stringMatching(FILE_ID),
      name: 'report.pdf',
      sizeBytes: 2048,
      problem: null,
    });
    expect(registry.resolve(picked!.fileId)).toBe(report);
    expect(await service.choose()).toEqual([]);
  });

  test('describe checks given files again by id; an unknown id is refused', async () => {
    const { service } = setup([report]);
    const [picked] = await service.choose();
    expect(await service.describe([picked!.fileId])).toEqual([picked]);
    await expect(service.describe(['AAAAAAAAAAAAAAAAAAAAAA'])).rejects.toMatchObject({
      code: 'files.unknown_file',
      message: 'A file is not one Quicksend was given, or it is no longer attached.',
    });
  });

  test("dropped files and main's own sources (give) are described and register in order", async () => {
    const { registry, service } = setup();
    const gone = path.join(dir, 'gone.txt');
    const dropped = await service.give([report, gone]);
    expect(dropped).toEqual([
      { fileId: expect.stringMatching(FILE_ID), name: 'report.pdf', sizeBytes: 2048, problem: null },
      {
        fileId: expect.stringMatching(FILE_ID),
        name: 'gone.txt',
        sizeBytes: 0,
        problem: 'This file no longer exists.',
      },
    ]);
    // The same file given again while its id lives keeps that id: attached once.
    expect((await service.give([report]))[0]!.fileId).toBe(dropped[0]!.fileId);
    expect(dropped.map((f) => registry.resolve(f.fileId))).toEqual([report, gone]);
  });
});
