// `npm run test:electron`: the Playwright `_electron` smoke suite. Not part of `npm test`.
// Where no Electron binary exists (our build and CI machines) it prints one line and exits 0.
import { spawnSync } from 'node:child_process';
import { findElectronBinary } from './electron-binary';

const binary = findElectronBinary();
if (!binary.found) {
  console.log(
    `test:electron skipped: no Electron binary (${binary.reason}); set QUICKSEND_ELECTRON_PATH or install Electron's binary to run it.`,
  );
  process.exit(0);
}
const build = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const run = spawnSync('npx', ['vitest', 'run', '--config', 'test/electron/vitest.config.ts'], {
  stdio: 'inherit',
  env: { ...process.env, QUICKSEND_ELECTRON_PATH: binary.path },
});
process.exit(run.status ?? 1);
