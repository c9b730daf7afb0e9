// Wall-clock jumps (NTP corrections, a changed date, a VM resumed) while messages wait:
// retries must be neither stuck until the old time comes round again nor all at once.
import { afterEach, expect, it, vi } from 'vitest';
import { ACCOUNT, createHarness, type Harness } from '../../../fakes/mail-harness';

const harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) {
    h.sender.release();
    await h.service.stop();
  }
});

async function retryingMessage() {
  const h = await createHarness();
  harnesses.push(h);
  h.undoMs.value = 0;
  h.sender.script.push({ network: 'ECONNECTION' });
  const { id } = await h.service.send({ accountId: ACCOUNT.id, to: ['a@example.com'], subject: 's', text: 't' });
  await h.waitFor((s) => s.items[0]?.state === 'retrying' && s.items[0].attempts === 1, 10_000);
  // The retry timer is set once the failed attempt has settled.
  await vi.waitFor(() => expect(h.clock.pending()).toContain(750), { timeout: 10_000 });
  return { h, id };
}

it('a clock set back an hour while a retry waits does not hold it for an hour', async () => {
  const { h, id } = await retryingMessage();
  // First retry after 750 ms (harness backoff: base 1 s, jitter 0.5).
  h.clock.jump(-3_600_000);
  h.clock.advance(750);
  await h.waitFor((s) => !s.items.some((i) => i.id === id), 10_000);
  expect(h.sender.calls).toHaveLength(2);
});

it('a restart after the clock went back attempts at once instead of an hour later', async () => {
  const { h, id } = await retryingMessage();
  await h.service.stop();
  h.clock.jump(-3_600_000);
  // The new process starts on the corrected clock; the stored attempt time is an hour ahead.
  const again = await h.restart();
  harnesses.push(again);
  await vi.waitFor(() => expect(again.clock.pending()).toContain(0), { timeout: 10_000 });
  again.clock.advance(0);
  await again.waitFor((s) => !s.items.some((i) => i.id === id), 10_000);
  expect(again.sender.calls).toHaveLength(1);
});

it('a clock set forward sends each waiting message once, not in a burst of repeats', async () => {
  const { h, id } = await retryingMessage();
  h.sender.script.push({ network: 'ECONNECTION' });
  h.clock.jump(24 * 3_600_000);
  h.clock.advance(750);
  const retried = await h.waitFor((s) => s.items[0]?.attempts === 2, 10_000);
  // Back on a normal backoff from the new time, not due again at once.
  expect(new Date(retried.items[0]!.nextAttemptAt!).getTime() - h.clock.now()).toBe(1_500);
  expect(h.sender.calls).toHaveLength(2);
  h.clock.advance(1_500);
  await h.waitFor((s) => !s.items.some((i) => i.id === id), 10_000);
  expect(h.sender.calls).toHaveLength(3);
});
