/** Builds the demo's Electron entry and starts Electron on it (only where a binary exists). */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { SANDBOX_MAIL_SCOPE, type Sandbox } from '../sandbox';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export async function startElectronDemo(binary: string, sandbox: Sandbox, onExit: () => void): Promise<() => Promise<void>> {
  mkdirSync(path.join(REPO, 'test-results'), { recursive: true });
  const outdir = mkdtempSync(path.join(REPO, 'test-results', 'demo-electron-'));
  await build({
    entryPoints: { main: path.join(REPO, 'test/support/demo/electron-main.ts') },
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    outExtension: { '.js': '.mjs' },
    packages: 'external',
    define: { QUICKSEND_BUILD_CLIENT_IDS: '{}' },
    banner: { js: "import { createRequire as __qsCreateRequire } from 'node:module'; const require = __qsCreateRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  const config = {
    distRoot: path.join(REPO, 'dist'),
    resourcesRoot: path.join(REPO, 'build'),
    userData: mkdtempSync(path.join(os.tmpdir(), 'quicksend-demo-')),
    issuer: sandbox.issuer,
    clientId: sandbox.clientId,
    mailScope: SANDBOX_MAIL_SCOPE,
    smtp: { host: sandbox.smtp.host, port: sandbox.smtp.port, security: 'starttls' as const, extraCa: sandbox.smtp.ca },
  };
  const args = [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), path.join(outdir, 'main.mjs')];
  const child = spawn(binary, args, { stdio: 'inherit', env: { ...process.env, QUICKSEND_DEMO_SANDBOX: JSON.stringify(config) } });
  child.on('exit', onExit);
  return async () => {
    if (child.exitCode === null) child.kill();
  };
}
