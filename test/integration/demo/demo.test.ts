/**
 * `npm run demo` as a newcomer uses it, minus the clicking: start the script, open the printed
 * app URL, sign in at the printed sign-in page, send a message, and see it on the mailbox page.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, expect, test } from 'vitest';
import { completeLogin } from '../../support/sandbox/browser-login';

let child: ChildProcess | undefined;
afterEach(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGINT');
    await once(child, 'exit');
  }
});

/** Everything the demo printed so far; waits check it from the start, so no line is missed. */
let printed = '';

/** Resolves with the first match of `pattern` in the demo's output, now or when it is printed. */
function waitForLine(proc: ChildProcess, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = pattern.exec(printed);
      if (!match) return false;
      proc.stdout!.off('data', onData);
      proc.off('exit', onExit);
      resolve(match);
      return true;
    };
    const onData = () => void check();
    const onExit = (code: number | null) =>
      reject(new Error(`demo exited (${code}) before printing ${pattern}: ${printed}`));
    if (check()) return;
    proc.stdout!.on('data', onData);
    proc.once('exit', onExit);
  });
}

test('the demo serves the app, signs in at the sandbox and shows delivered mail on the mailbox page', async () => {
  child = spawn(process.execPath, ['--import', 'tsx', 'test/support/demo.ts'], {
    env: { ...process.env, DEMO_NO_OPEN: '1', DEMO_WEB: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  printed = '';
  // Registered first, so the shared buffer has every chunk before any wait looks at it.
  child.stdout!.prependListener('data', (chunk: Buffer) => (printed += chunk.toString()));
  const [, mailboxUrl] = await waitForLine(child, /mailbox:\s+(http:\/\/127\.0\.0\.1:\d+\/)/);
  const [, openUrl] = await waitForLine(child, /app:\s+(http:\/\/127\.0\.0\.1:\d+\/open\/\S+)/);
  const origin = new URL(openUrl!).origin;

  // The browser: open the app URL for its session cookie.
  const opened = await fetch(openUrl!, { redirect: 'manual' });
  const cookie = opened.headers.get('set-cookie')!.split(';')[0]!;
  const call = async (channel: string, body: unknown) =>
    (await (
      await fetch(`${origin}/ipc/${channel}`, {
        method: 'POST',
        headers: { cookie, origin, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    ).json()) as { ok: boolean; value: Record<string, unknown> };

  const signInLine = waitForLine(child, /Sign-in page[^\n]*\n\s+(http:\/\/127\.0\.0\.1:\d+\/\S+)/);
  const adding = call('accounts:add', { providerId: 'sandbox' });
  const [, signInUrl] = await signInLine;
  await completeLogin(signInUrl!, 'demo@quicksend.test', { visitCallback: true });
  const account = await adding;
  expect(account).toMatchObject({ ok: true, value: { address: 'demo@quicksend.test' } });

  // Wait for the outbox to report the message gone (sent), through the app's own event stream.
  const events = await fetch(`${origin}/events`, { headers: { cookie } });
  const reader = events.body!.getReader();
  expect(await call('settings:set', { undoDelaySeconds: 0 })).toMatchObject({ ok: true });
  const sent = await call('mail:send', {
    accountId: account.value.id,
    to: ['you@example.com'],
    subject: 'Hello from the demo',
    text: 'It works.',
  });
  expect(sent).toMatchObject({ ok: true });
  let text = '';
  const removed = `"type":"removed","id":"${String(sent.value.id)}"`;
  while (!text.includes(removed)) {
    const { value, done } = await reader.read();
    if (done) throw new Error('event stream ended');
    text += new TextDecoder().decode(value);
  }
  await reader.cancel();

  const page = await (await fetch(mailboxUrl!)).text();
  expect(page).toContain('Hello from the demo');
  expect(page).toContain('demo@quicksend.test');
}, 60_000);
