/**
 * The wired core end to end, without a browser: sign in at the sandbox provider through
 * `accounts:add`, send through `mail:send`, and find the message in the sandbox mailbox.
 */
import { afterEach, expect, test } from 'vitest';
import { simpleParser } from 'mailparser';
import type { Account } from '../../../electron/ipc/contract';
import { startAppHost, type AppHost } from '../../support/app-host';
import { completeLogin } from '../../support/sandbox/browser-login';

let app: AppHost | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

const SENDER = () => ({ frameUrl: `${app!.host.origin}/`, isMainFrame: true });

test('sign in, send, delivered over STARTTLS + XOAUTH2', async () => {
  app = await startAppHost({ browser: { open: async (url) => void completeLogin(url, 'demo@quicksend.test', { visitCallback: true }).catch(() => {}) } });
  await app.core.router.handle('settings:set', { undoDelaySeconds: 0 }, SENDER());
  const added = await app.core.router.handle('accounts:add', { providerId: 'sandbox' }, SENDER());
  expect(added).toMatchObject({ ok: true, value: { address: 'demo@quicksend.test', health: 'ready' } });
  const accountId = (added as { value: Account }).value.id;

  const sent = await app.core.router.handle('mail:send', { accountId, to: ['Ann <ann@example.com>'], subject: 'Grüße aus Quicksend', text: 'Hello from the sandbox.' }, SENDER());
  expect(sent).toMatchObject({ ok: true, value: { id: expect.any(String) } });
  const [message] = await app.sandbox.smtp.waitForMessages(1, 10_000);
  const parsed = await simpleParser(await app.sandbox.smtp.read(message!.id));
  expect(parsed.subject).toBe('Grüße aus Quicksend');
  expect(parsed.text?.trim()).toBe('Hello from the sandbox.');
  expect(parsed.from?.text).toContain('demo@quicksend.test');
});
