/**
 * Issue 12 item 5 at the level a person sees: with 60-second access tokens, 100 sends spread
 * over 30 s go out with at most 2 requests at the provider's token endpoint (one send or one
 * new SMTP connection asks for a token once; a cached token lives most of its life). Each
 * batch goes over new connections (the machine "wakes" between batches), so each asks. The
 * clock is manual, the provider (the sandbox) counts its token requests, the SMTP server
 * checks every token it is shown.
 */
import { afterEach, expect, test } from 'vitest';
import type { Account } from '../../../electron/ipc/contract';
import { createFakeNetwork } from '../../fakes/fake-network';
import { createManualClock } from '../../fakes/manual-clock';
import { startAppHost, type AppHost } from '../../support/app-host';
import { completeLogin } from '../../support/sandbox/browser-login';

let app: AppHost | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

const SENDER = () => ({ frameUrl: `${app!.host.origin}/`, isMainFrame: true });

test('100 sends over 30 s with 60-second tokens: at most 2 token requests at the provider, every message delivered', async () => {
  const clock = createManualClock(Date.now());
  const network = createFakeNetwork();
  app = await startAppHost({
    browser: {
      open: async (url) => void completeLogin(url, 'demo@quicksend.test', { visitCallback: true }).catch(() => {}),
    },
    sandbox: { accessTokenTtlSeconds: 60 },
    ports: { clock, network },
  });
  await app.core.router.handle('settings:set', { undoDelaySeconds: 0 }, SENDER());
  const added = await app.core.router.handle('accounts:add', { providerId: 'sandbox' }, SENDER());
  const accountId = (added as { ok: true; value: Account }).value.id;
  const before = app.sandbox.tokenRequests().total;

  // 40 s into the token's life, so the 30 s of sending cross the point where it must be renewed.
  clock.advance(40_000);
  for (let batch = 0; batch < 20; batch += 1) {
    const sent = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        app!.core.router.handle(
          'mail:send',
          { accountId, to: ['ann@example.com'], subject: `Batch ${batch} #${i}`, text: 'Hello' },
          SENDER(),
        ),
      ),
    );
    expect(sent.every((r) => r.ok)).toBe(true);
    await app.sandbox.smtp.waitForMessages((batch + 1) * 5, 10_000);
    clock.advance(1_500);
    // Woken from sleep: pooled connections are closed, so every batch opens new ones, and
    // each new connection asks for a token.
    network.resume();
  }

  expect(app.sandbox.smtp.messages()).toHaveLength(100);
  const requests = app.sandbox.tokenRequests().total - before;
  expect(requests).toBeLessThanOrEqual(2);
  // 100 real deliveries: about 7 s alone, near 15 s while the whole suite loads the machine.
}, 60_000);
