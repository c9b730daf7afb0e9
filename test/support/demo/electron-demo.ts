/** Starts Electron on the sandbox entry for `npm run demo` (only where a binary exists). */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import { buildSandboxEntry, sandboxEntryConfig } from '../../electron/app/build-entry';
import type { Sandbox } from '../sandbox';

export async function startElectronDemo(
  binary: string,
  sandbox: Sandbox,
  onExit: () => void,
): Promise<() => Promise<void>> {
  const entry = await buildSandboxEntry('demo-electron-');
  const config = sandboxEntryConfig(sandbox, mkdtempSync(`${os.tmpdir()}/quicksend-demo-`));
  // Chromium refuses to start as root without this (containers).
  const args = [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), entry];
  const child = spawn(binary, args, { stdio: 'inherit', env: { ...process.env, QUICKSEND_ELECTRON_SANDBOX: config } });
  child.on('exit', onExit);
  return async () => {
    if (child.exitCode === null) child.kill();
  };
}
