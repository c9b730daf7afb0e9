/**
 * The demo's Electron entry: the real shell with a development core against the sandbox.
 * Sign-in opens the person's browser through the shell's checked launcher. Built at demo time;
 * never shipped (the packaged main.js has no sandbox).
 */
import path from 'node:path';
import { app } from 'electron';
import { createCore } from '../../../electron/core';
import { createAppSenderPolicy } from '../../../electron/ipc/app-sender-policy';
import { runShell } from '../../../electron/platform/app-shell';
import { createElectronPorts } from '../../../electron/platform/ports';

type DemoConfig = {
  distRoot: string;
  resourcesRoot: string;
  userData: string;
  issuer: string;
  clientId: string;
  mailScope: string;
  smtp: { host: string; port: number; security: 'starttls'; extraCa: string };
};

const config = JSON.parse(process.env.QUICKSEND_DEMO_SANDBOX ?? 'null') as DemoConfig | null;
if (!config) throw new Error('QUICKSEND_DEMO_SANDBOX is not set: this entry is for npm run demo only.');
app.setPath('userData', path.resolve(config.userData));

runShell({
  distRoot: config.distRoot,
  resourcesRoot: config.resourcesRoot,
  createCore: ({ browser, notifier, isOurWindow }) =>
    createCore(createElectronPorts({ browser, notifier }), {
      development: true,
      version: '0.1.0-demo',
      platform: process.platform,
      senderPolicy: createAppSenderPolicy(isOurWindow),
      sandbox: { issuer: config.issuer, clientId: config.clientId, mailScope: config.mailScope, smtp: config.smtp },
    }),
});
