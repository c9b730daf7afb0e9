/**
 * The files service: every way a file enters Quicksend, and describing given files again. Files
 * come only from the person, through main: a drop through the preload (`give`), main's own
 * dialog (`choose`, the `FileDialog` port), and main's own sources (`--compose --attach`,
 * a tray drop: `give`, called by the shell). Each is stat'ed here, registered, and the renderer gets its
 * name, size, problem and file id, never its path. Anything that cannot be attached gets a
 * plain-words `problem` instead of an exception.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FileInfo } from '../ipc/contract';
import type { FileDialog } from '../shared/ports';
import type { FileRegistry } from './file-registry';

type Described = Omit<FileInfo, 'fileId'>;

async function describeOne(file: string): Promise<Described> {
  const name = path.basename(file) || file;
  const info = (sizeBytes: number, problem: string | null): Described => ({ name, sizeBytes, problem });
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

/** Describes each path, in order (name, size, problem), without giving out ids. */
export function describeFiles(paths: readonly string[]): Promise<Described[]> {
  return Promise.all(paths.map(describeOne));
}

export type FileService = {
  /**
   * Files main got from the person (dialog, drop through the preload, command line, tray):
   * each described in order, and given an id. One unreadable file never hides the others.
   */
  give(paths: readonly string[]): Promise<FileInfo[]>;
  /** Asks the person for files with main's own dialog; cancelled answers no files. */
  choose(): Promise<FileInfo[]>;
  /** Checks given files again (still there, size now); throws `files.unknown_file` for an id main does not know. */
  describe(fileIds: readonly string[]): Promise<FileInfo[]>;
};

export function createFileService(options: { fileDialog: FileDialog; registry: FileRegistry }): FileService {
  const { registry } = options;
  const describeWithId = async (file: string, fileId: string): Promise<FileInfo> => ({
    fileId,
    ...(await describeOne(file)),
  });
  const give = (paths: readonly string[]) =>
    Promise.all(paths.map((file) => describeWithId(file, registry.register(file))));
  return {
    give,
    choose: async () => give(await options.fileDialog.chooseFiles()),
    describe: async (fileIds) => {
      const paths = registry.resolveAll(fileIds, 'files');
      return Promise.all(paths.map((file, index) => describeWithId(file, fileIds[index]!)));
    },
  };
}
