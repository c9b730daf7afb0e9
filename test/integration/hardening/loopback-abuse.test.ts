/**
 * Abuse of the loopback receiver during a real sign-in: hundreds of concurrent junk requests,
 * a slow client holding a connection, an oversized URL, a foreign Host header (DNS rebinding),
 * other methods. Nothing crashes, no state changes, and the real callback still signs in.
 */
import net from 'node:net';
import { afterEach, expect, test } from 'vitest';
import type { Account } from '../../../electron/ipc/contract';
import { completeLogin } from '../../support/sandbox/browser-login';
import { openAccountsWorld, type AccountsWorld } from '../../support/accounts/world';

let world: AccountsWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** Sends raw bytes and resolves with the status code (0 when the server closed without one). */
function raw(port: number, text: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString()));
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0)));
    socket.on('error', () => resolve(0));
  });
}

test('junk, slow clients, rebinding and odd methods do not disturb the real sign-in', async () => {
  world = await openAccountsWorld();
  const statuses: number[] = [];
  let slow: net.Socket | undefined;
  world.browser.script = async (url) => {
    const redirect = new URL(new URL(url).searchParams.get('redirect_uri')!);
    const port = Number(redirect.port);
    const host = `127.0.0.1:${port}`;
    // A slow client: half a request line, then silence, held open through the sign-in.
    slow = net.connect(port, '127.0.0.1', () => slow!.write('GET /callback?state='));
    slow.on('error', () => {});
    const junk: Array<Promise<number>> = [];
    for (let i = 0; i < 300; i++) {
      const kind = i % 6;
      const request =
        kind === 0
          ? `GET /x${i} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`
          : kind === 1
            ? `POST /callback HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 4\r\nConnection: close\r\n\r\nabcd`
            : kind === 2
              ? `GET /callback?code=stolen&state=whatever HTTP/1.1\r\nHost: rebind.evil.example:${port}\r\nConnection: close\r\n\r\n`
              : kind === 3
                ? `GET /callback?${'a'.repeat(9000)} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`
                : kind === 4
                  ? `DELETE /callback HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`
                  : `\x16\x03\x01garbage-not-http\r\n\r\n`;
      junk.push(raw(port, request));
    }
    statuses.push(...(await Promise.all(junk)));
    await completeLogin(url, 'demo@quicksend.test', { visitCallback: true });
  };
  const result = await world.call<Account>('accounts:add', { providerId: 'sandbox' });
  expect(result).toMatchObject({ ok: true, value: { address: 'demo@quicksend.test', health: 'ready' } });
  // Every junk request was answered with a refusal (or dropped), never with success.
  expect(statuses).toHaveLength(300);
  expect(statuses.filter((s) => s === 200)).toEqual([]);
  expect(new Set(statuses.filter((s) => s !== 0))).toEqual(new Set([404, 405, 400, 414]));
  // The slow client was cut off when the sign-in finished.
  await new Promise<void>((resolve) => (slow!.destroyed ? resolve() : slow!.once('close', () => resolve())));
  const listed = await world.call<Account[]>('accounts:list');
  expect(listed.ok && listed.value).toHaveLength(1);
});
