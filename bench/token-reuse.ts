/**
 * Issue 15 item 5: 60-second access tokens. 100 sends spread over 30 s (20 batches of 5, 1.5 s
 * apart on the app's clock, starting 40 s into the token's life so the run crosses the point
 * where it must be renewed) make at most 2 requests at the provider's token endpoint, counted
 * by the provider. Each batch goes over new connections (the machine "wakes" between batches),
 * so each asks the token manager. Same scenario as test/integration/app/token-reuse-sends.test.ts,
 * which asserts the count; here it is repeated and written down.
 *
 * The app host runs its own sandbox in this process (the shared servers process issues
 * 1-hour tokens), with the app's clock manual so 30 s pass without waiting for them.
 */
import type { Account } from '../electron/ipc/contract';
import { createFakeNetwork } from '../test/fakes/fake-network';
import { createManualClock } from '../test/fakes/manual-clock';
import { startAppHost } from '../test/support/app-host';
import { completeLogin } from '../test/support/sandbox/browser-login';
import { progress, runWorker } from './lib/worker';

const REPS = Number(process.env.BENCH_TOKEN_REUSE_REPS ?? 3);
const BATCHES = 20;
const PER_BATCH = 5;

export type TokenReuseResult = {
  sends: number;
  spreadSeconds: number;
  tokenTtlSeconds: number;
  tokenRequests: number[];
  delivered: number[];
};

async function once(): Promise<{ tokenRequests: number; delivered: number }> {
  const clock = createManualClock(Date.now());
  const network = createFakeNetwork();
  const app = await startAppHost({
    browser: {
      open: async (url) => void completeLogin(url, 'demo@quicksend.test', { visitCallback: true }).catch(() => {}),
    },
    sandbox: { accessTokenTtlSeconds: 60 },
    ports: { clock, network },
  });
  try {
    const sender = { frameUrl: `${app.host.origin}/`, isMainFrame: true };
    await app.core.router.handle('settings:set', { undoDelaySeconds: 0 }, sender);
    const added = await app.core.router.handle('accounts:add', { providerId: 'sandbox' }, sender);
    if (!added.ok) throw new Error('the sandbox sign-in failed');
    const accountId = (added.value as Account).id;
    const before = app.sandbox.tokenRequests().total;
    clock.advance(40_000);
    for (let batch = 0; batch < BATCHES; batch += 1) {
      await Promise.all(
        Array.from({ length: PER_BATCH }, (_, i) =>
          app.core.router.handle(
            'mail:send',
            { accountId, to: ['ann@example.com'], subject: `Batch ${batch} #${i}`, text: 'Hello' },
            sender,
          ),
        ),
      );
      await app.sandbox.smtp.waitForMessages((batch + 1) * PER_BATCH, 30_000);
      clock.advance(1_500);
      network.resume();
    }
    return { tokenRequests: app.sandbox.tokenRequests().total - before, delivered: app.sandbox.smtp.messages().length };
  } finally {
    await app.stop();
  }
}

runWorker('token-reuse', async (): Promise<TokenReuseResult> => {
  const result: TokenReuseResult = {
    sends: BATCHES * PER_BATCH,
    spreadSeconds: BATCHES * 1.5,
    tokenTtlSeconds: 60,
    tokenRequests: [],
    delivered: [],
  };
  for (let rep = 0; rep < REPS; rep += 1) {
    const run = await once();
    result.tokenRequests.push(run.tokenRequests);
    result.delivered.push(run.delivered);
    progress(`token reuse rep ${rep + 1}/${REPS}: ${run.tokenRequests} token request(s), ${run.delivered} delivered`);
  }
  return result;
});
