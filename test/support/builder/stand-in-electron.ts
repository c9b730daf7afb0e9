// A stand-in for the Electron Linux distribution, so `electron-builder --linux dir` can pack
// offline (TOOLCHAIN.md pitfall 6): electron-builder copies this folder instead of downloading
// Electron, renames `electron` to the app's executable and flips the fuses in it.
//
// The fuse wire format is the one @electron/fuses 1.8.0 reads and writes (dist/index.js):
//   SENTINEL, one version byte (1 = FuseVersion.V1), one length byte, then one byte per fuse,
//   '0' (0x30, disabled) or '1' (0x31, enabled). V1 knows eight fuses (FuseV1Options 0..7).
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
export const STAND_IN_ELECTRON_VERSION = '45.6.0';

/**
 * The wire as a stock Electron binary ships it, index = FuseV1Options:
 * RunAsNode 1, EnableCookieEncryption 0, EnableNodeOptionsEnvironmentVariable 1,
 * EnableNodeCliInspectArguments 1, EnableEmbeddedAsarIntegrityValidation 0,
 * OnlyLoadAppFromAsar 0, LoadBrowserProcessSpecificV8Snapshot 0,
 * GrantFileProtocolExtraPrivileges 1.
 * Starting from Electron's defaults means every fuse our config sets must really be flipped
 * for the test to pass.
 */
export const DEFAULT_FUSE_WIRE = '10110001';

/** The bytes of the stand-in `electron` executable: a shell script that refuses to run, with the fuse wire after it. */
export function standInElectronBinary(wire: string = DEFAULT_FUSE_WIRE): Buffer {
  if (!/^[01]{1,255}$/.test(wire)) throw new Error(`fuse wire must be 0/1 characters, got ${JSON.stringify(wire)}`);
  const script =
    '#!/bin/sh\n' +
    'echo "Quicksend build check: this is a stand-in Electron binary, not a runnable app." >&2\n' +
    'exit 1\n' +
    '# fuse wire: ';
  return Buffer.concat([
    Buffer.from(script, 'utf8'),
    Buffer.from(FUSE_SENTINEL, 'latin1'),
    Buffer.from([0x01, wire.length]),
    Buffer.from(wire, 'latin1'),
    Buffer.from('\n', 'utf8'),
  ]);
}

/** Creates the stand-in Electron folder (inside `parentDir`, or a new temp dir) and returns its path. */
export async function createStandInElectron(parentDir?: string): Promise<string> {
  const base = parentDir ?? (await mkdtemp(path.join(tmpdir(), 'quicksend-electron-')));
  const dir = path.join(base, 'electron-dist');
  await mkdir(path.join(dir, 'resources'), { recursive: true });
  const binary = path.join(dir, 'electron');
  await writeFile(binary, standInElectronBinary());
  await chmod(binary, 0o755);
  await writeFile(path.join(dir, 'version'), `v${STAND_IN_ELECTRON_VERSION}`);
  await writeFile(path.join(dir, 'LICENSE'), 'Stand-in for the Electron MIT license (build check only).\n');
  await writeFile(
    path.join(dir, 'LICENSES.chromium.html'),
    '<!doctype html><title>Stand-in Chromium licenses</title>\n',
  );
  return dir;
}
