/**
 * Issue 12, item 5: with 60-second access tokens every send used to refresh (a token was reused
 * only while more than 60 s remained). Real provider (the sandbox), manual clock: time moves
 * only when the test says so, and the provider counts its token requests.
 */
import { afterEach, expect, test } from 'vitest';
import type { Account } from '../../../electron/ipc/contract';
import { createManualClock } from '../../fakes/manual-clock';
import { addSandboxAsCustomProvider, openAccountsWorld, type AccountsWorld } from '../../support/accounts/world';

let world: AccountsWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

test('100 token requests spread over 30 s cause at most 2 token-endpoint requests with 60-second tokens', async () => {
  const clock = createManualClock(Date.now());
  world = await openAccountsWorld({ clock, sandbox: { accessTokenTtlSeconds: 60 } });
  const provider = await addSandboxAsCustomProvider(world);
  const added = await world.call<Account>('accounts:add', { providerId: provider.id });
  if (!added.ok) throw new Error(added.error.message);
  const accountId = added.value.id;
  const before = world.sandbox.tokenRequests().total;

  // Start 40 s into the token's life, so the window crosses the point where it must be renewed.
  clock.advance(40_000);
  const handedOut: string[] = [];
  for (let batch = 0; batch < 20; batch += 1) {
    // Five callers at once (a few sends and a connection test), every 1.5 s.
    handedOut.push(
      ...(await Promise.all(Array.from({ length: 5 }, () => world!.core.accounts.tokens.getAccessToken(accountId)))),
    );
    clock.advance(1_500);
  }

  expect(handedOut).toHaveLength(100);
  const requests = world.sandbox.tokenRequests().total - before;
  expect(requests).toBeLessThanOrEqual(2);
  // It did renew once the token neared its end, and what it handed out last is live.
  expect(requests).toBeGreaterThanOrEqual(1);
  expect(new Set(handedOut).size).toBe(requests + 1);
  expect((await world.sandbox.introspect(handedOut.at(-1)!)).active).toBe(true);
});
