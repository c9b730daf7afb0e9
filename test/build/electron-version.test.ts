// Electron is pinned exactly, and everything that names its version agrees: package.json, the
// lock, the installed package (what electron-builder packages and `npm start` runs) and the
// stand-in distribution `check:builder` packs against. 45.6.0 is the newest 45.x (issue 13).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getElectronVersion } from 'app-builder-lib/out/electron/electronVersion.js';
import { expect, test } from 'vitest';
import { REPO_ROOT } from '../support/builder/check-builder';
import { createStandInElectron, STAND_IN_ELECTRON_VERSION } from '../support/builder/stand-in-electron';

const ELECTRON = '45.6.0';
const readJson = async <T>(file: string): Promise<T> =>
  JSON.parse(await readFile(path.join(REPO_ROOT, file), 'utf8')) as T;

test(`package.json pins electron exactly at ${ELECTRON}`, async () => {
  const pkg = await readJson<{ devDependencies: Record<string, string> }>('package.json');
  expect(pkg.devDependencies.electron).toBe(ELECTRON);
});

test('package-lock.json agrees, at the root and for node_modules/electron, a devDependency with no install script', async () => {
  type LockEntry = {
    version?: string;
    dev?: boolean;
    hasInstallScript?: boolean;
    devDependencies?: Record<string, string>;
  };
  const lock = await readJson<{ packages: Record<string, LockEntry> }>('package-lock.json');
  expect(lock.packages['']!.devDependencies!.electron).toBe(ELECTRON);
  expect(lock.packages['node_modules/electron']).toMatchObject({ version: ELECTRON, dev: true });
  // `npm ci` must not try to download the Electron binary (it cannot here): no install script.
  expect(lock.packages['node_modules/electron']!.hasInstallScript).toBeUndefined();
});

test('the installed electron package is that version, and it is the one electron-builder would package', async () => {
  const installed = await readJson<{ version: string; scripts?: Record<string, string> }>(
    'node_modules/electron/package.json',
  );
  expect(installed.version).toBe(ELECTRON);
  expect(Object.keys(installed.scripts ?? {}).filter((name) => /install/.test(name))).toEqual([]);
  expect(await getElectronVersion(REPO_ROOT)).toBe(ELECTRON);
});

test("the stand-in Electron distribution carries the same version in its 'version' file", async () => {
  expect(STAND_IN_ELECTRON_VERSION).toBe(ELECTRON);
  const parent = await mkdtemp(path.join(tmpdir(), 'quicksend-standin-'));
  try {
    expect(await readFile(path.join(await createStandInElectron(parent), 'version'), 'utf8')).toBe(`v${ELECTRON}`);
  } finally {
    await rm(parent, { recursive: true, force: true });
  }
});
