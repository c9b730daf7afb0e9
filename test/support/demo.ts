// `npm run demo` (or `npx tsx test/support/demo.ts`): starts the local sandbox so anyone can try
// Quicksend's sign-in without a Google or Microsoft account. Runs until Ctrl+C; with
// DEMO_EXIT_AFTER_START=1 it stops right after printing (a smoke check for CI).
import { startSandbox } from './sandbox';

const sandbox = await startSandbox();
const [user] = sandbox.users;

console.log(`Quicksend sandbox identity provider: ${sandbox.issuer}`);
console.log(`  discovery: ${sandbox.issuer}/.well-known/openid-configuration`);
console.log(`  client id: ${sandbox.clientId} (public native client, PKCE S256, any 127.0.0.1 port)`);
console.log(`  sign in as: ${user?.email} (${user?.name})`);

/** Stops the sandbox once, however the process is asked to end. */
async function shutdown(): Promise<void> {
  process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  await sandbox.stop();
  console.log('Sandbox stopped.');
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
