/**
 * Finds an Electron binary WITHOUT loading the `electron` package: its index.js downloads the
 * binary when it is missing (TOOLCHAIN.md pitfall 2), which fails on our machines and kills
 * the process. We read what it would read instead: `path.txt` (written by its installer) and
 * `dist/<path.txt>`, honouring ELECTRON_OVERRIDE_DIST_PATH like it does, plus our own
 * QUICKSEND_ELECTRON_PATH for a binary installed elsewhere.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export type ElectronBinary = { found: true; path: string } | { found: false; reason: string };

export function findElectronBinary(
  env: Record<string, string | undefined> = process.env,
  packageDir = electronPackageDir(),
): ElectronBinary {
  if (env.QUICKSEND_ELECTRON_PATH) {
    return existsSync(env.QUICKSEND_ELECTRON_PATH)
      ? { found: true, path: env.QUICKSEND_ELECTRON_PATH }
      : {
          found: false,
          reason: `QUICKSEND_ELECTRON_PATH points at ${env.QUICKSEND_ELECTRON_PATH}, which does not exist`,
        };
  }
  if (!packageDir) return { found: false, reason: 'the electron package is not installed' };
  const pathFile = path.join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const binary = path.join(env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron');
    return existsSync(binary)
      ? { found: true, path: binary }
      : { found: false, reason: `no Electron binary at ${binary} (ELECTRON_OVERRIDE_DIST_PATH)` };
  }
  if (!relative)
    return { found: false, reason: `the electron package has no downloaded binary (${pathFile} is missing)` };
  const binary = path.join(packageDir, 'dist', relative);
  return existsSync(binary)
    ? { found: true, path: binary }
    : { found: false, reason: `no Electron binary at ${binary}` };
}

function electronPackageDir(): string | null {
  try {
    // package.json only: resolving it never runs the package's index.js.
    return path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
}
