// `npm run demo`: try Quicksend with no Google or Microsoft account. Starts the sandbox (an
// OpenID provider and an SMTP server on 127.0.0.1), then the app: Electron where its binary
// exists, otherwise the real UI in your browser through the web host. Also serves a mailbox
// page that lists what the sandbox received. Runs until Ctrl+C.
//   DEMO_NO_OPEN=1           print URLs only, open no browser
//   DEMO_WEB=1               use the web host even where Electron could start
//   DEMO_EXIT_AFTER_START=1  stop right after printing (a smoke check)
import { findElectronBinary } from '../electron/electron-binary';
import { startAppHost } from './app-host';
import { startElectronDemo } from './demo/electron-demo';
import { startMailboxPage } from './demo/mailbox-page';
import { openInDefaultBrowser } from './demo/open-url';

const noOpen = process.env.DEMO_NO_OPEN === '1';
const open = (url: string) => {
  if (!noOpen) openInDefaultBrowser(url);
};

const app = await startAppHost({
  browser: {
    open: async (url) => {
      console.log(`\nSign-in page (opened in your browser${noOpen ? ' if you open it' : ''}):\n  ${url}\n`);
      open(url);
    },
  },
  version: '0.1.0-demo',
});
const mailbox = await startMailboxPage(app.sandbox.smtp);
const [user] = app.sandbox.users;

console.log('Quicksend demo (everything runs on 127.0.0.1):');
console.log(`  identity provider: ${app.sandbox.issuer}  (sign in as ${user?.email}; no password)`);
console.log(`  SMTP server:       127.0.0.1:${app.sandbox.smtp.port}  (STARTTLS + XOAUTH2)`);
console.log(`  mailbox:           ${mailbox.url}`);

const electron = process.env.DEMO_WEB === '1' ? { found: false as const, reason: 'DEMO_WEB=1' } : findElectronBinary();
let stopElectron: (() => Promise<void>) | undefined;
if (electron.found && process.env.DEMO_EXIT_AFTER_START !== '1') {
  console.log(`  app:               Electron (${electron.path})`);
  stopElectron = await startElectronDemo(electron.path, app.sandbox, () => void shutdown());
} else {
  console.log(`  app:               ${app.host.openUrl}`);
  if (!electron.found) console.log(`                     (web host in your browser: ${electron.reason})`);
  open(app.host.openUrl);
  open(mailbox.url);
}
console.log('\nAdd account -> Sandbox, sign in, then send yourself a message and watch the mailbox page.');

let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  await stopElectron?.();
  await mailbox.stop();
  await app.stop();
  console.log('Demo stopped.');
}

function onSignal(): void {
  shutdown().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}

if (process.env.DEMO_EXIT_AFTER_START === '1') {
  await shutdown();
} else {
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  console.log('Press Ctrl+C to stop.');
}
