/**
 * `files:choose` (the native dialog, through the `FileDialog` port) and `files:describe`
 * (paths from a drop). Main never trusts a path from the renderer: every one is stat'ed here
 * and anything that cannot be attached gets a plain-words `problem` instead of an exception.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FileInfo } from '../ipc/contract';
import type { Handlers } from '../ipc/router';
import type { FileDialog } from '../shared/ports';

async function describeOne(file: string): Promise<FileInfo> {
  const name = path.basename(file) || file;
  const info = (sizeBytes: number, problem: string | null): FileInfo => ({ path: file, name, sizeBytes, problem });
  if (!path.isAbsolute(file)) return info(0, 'This is not a full file path.');
  let stats;
  try {
    // stat follows links, so a link to a real file is fine and a dangling one is "missing".
    stats = await stat(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return info(0, 'This file no longer exists.');
    if (code === 'EACCES' || code === 'EPERM') return info(0, 'Quicksend is not allowed to read this file.');
    return info(0, 'This file cannot be read.');
  }
  if (stats.isDirectory()) return info(0, 'This is a folder. Attach the files inside it, or a zip of it.');
  if (!stats.isFile()) return info(0, 'This is not a regular file (a device, pipe or socket).');
  try {
    await access(file, constants.R_OK);
  } catch {
    return info(stats.size, 'Quicksend is not allowed to read this file.');
  }
  return info(stats.size, null);
}

/** Describes each path, in order; one unreadable file never hides the others. */
export function describeFiles(paths: readonly string[]): Promise<FileInfo[]> {
  return Promise.all(paths.map(describeOne));
}

export function createFileHandlers(options: { fileDialog: FileDialog }): Pick<Handlers, 'files:choose' | 'files:describe'> {
  return {
    'files:choose': async () => describeFiles(await options.fileDialog.chooseFiles()),
    'files:describe': async ({ paths }) => describeFiles(paths),
  };
}
