/**
 * The Electron entry for the `_electron` suite: the real shell (`runShell`) with a
 * development core against the sandbox (identity provider + SMTP on 127.0.0.1), its own data
 * folder, and either a scripted "browser" that completes the sandbox login (tests) or the
 * person's own browser through the shell's checked launcher (`npm run demo`). Built by esbuild
 * at run time; never shipped (the packaged main.js has no sandbox).
 */
import path from 'node:path';
import { app } from 'electron';
import { createCore } from '../../../electron/core';
import { createAppSenderPolicy } from '../../../electron/ipc/app-sender-policy';
import { runShell } from '../../../electron/platform/app-shell';
import { createElectronPorts } from '../../../electron/platform/ports';
import { completeLogin } from '../../support/sandbox/browser-login';

type SandboxConfig = {
  distRoot: string;
  resourcesRoot: string;
  userData: string;
  issuer: string;
  clientId: string;
  mailScope: string;
  smtp: { host: string; port: number; security: 'starttls'; extraCa: string };
  /** Tests: complete the sandbox login as this user. Without it (the demo) the person's browser opens. */
  email?: string;
};

const config = JSON.parse(process.env.QUICKSEND_ELECTRON_SANDBOX ?? 'null') as SandboxConfig | null;
if (!config) throw new Error('QUICKSEND_ELECTRON_SANDBOX is not set: this entry is for test/electron only.');
// Before the single-instance lock: the lock is per user-data folder.
app.setPath('userData', path.resolve(config.userData));

runShell({
  distRoot: config.distRoot,
  resourcesRoot: config.resourcesRoot,
  packaged: app.isPackaged,
  createCore: ({ browser, notifier, isOurWindow }) =>
    createCore(
      createElectronPorts({
        notifier,
        browser: config.email
          ? { open: async (url) => void completeLogin(url, config.email!, { visitCallback: true }).catch(() => {}) }
          : browser,
      }),
      {
        development: true,
        version: '0.0.0-electron',
        platform: process.platform,
        senderPolicy: createAppSenderPolicy(isOurWindow),
        sandbox: { issuer: config.issuer, clientId: config.clientId, mailScope: config.mailScope, smtp: config.smtp },
      },
    ),
});
