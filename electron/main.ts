/**
 * Composition root of the Electron main process: builds the core's ports from Electron and
 * hands them to `createCore`; everything else (single instance, windows, tray, hardening...)
 * is the shell in platform/app-shell.ts, whose decisions live in tested shell/ modules.
 */
import nodeModule from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app } from 'electron';
import { createCore } from './core';
import { createAppSenderPolicy } from './ipc/app-sender-policy';
import { runShell } from './platform/app-shell';
import { createElectronPorts } from './platform/ports';

// V8's on-disk compile cache (Node 22.1+, which Electron 45 runs): what loads after this line
// (nodemailer, openid-client, smtp-server on first use) is compiled once, then read back on
// later starts. Node 20 lacks it, so it is looked up rather than called blindly.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const distRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Read once, here at the edge; the shell's window and menu decisions get it as a fact.
const packaged = app.isPackaged;

runShell({
  distRoot,
  // Tray icons ship as extraResources (<resources>/tray); in development they are in build/tray.
  resourcesRoot: packaged ? process.resourcesPath : path.resolve(distRoot, '..', 'build'),
  packaged,
  createCore: ({ browser, notifier, isOurWindow }) =>
    createCore(createElectronPorts({ browser, notifier }), {
      development: false,
      version: app.getVersion(),
      platform: process.platform,
      senderPolicy: createAppSenderPolicy(isOurWindow),
    }),
});
