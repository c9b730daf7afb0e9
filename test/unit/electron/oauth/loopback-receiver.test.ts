import http from 'node:http';
import { afterEach, expect, test } from 'vitest';
import { startLoopbackReceiver, type LoopbackReceiver } from '../../../../electron/oauth/loopback-receiver';
import { systemClock } from '../../../../electron/shared/ports';
import { createManualClock } from '../../../fakes/manual-clock';

let receiver: LoopbackReceiver | undefined;
afterEach(() => receiver?.close());

/** A raw request, so the Host header and URL can be anything. */
function raw(
  port: number,
  options: { path: string; method?: string; host?: string },
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: options.path,
        method: options.method ?? 'GET',
        headers: { host: options.host ?? `127.0.0.1:${port}` },
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

test('binds 127.0.0.1 on an ephemeral port with the exact /callback path', async () => {
  receiver = await startLoopbackReceiver({ expectedState: 's1', timeoutMs: 60_000, clock: systemClock });
  expect(receiver.redirectUri).toBe(`http://127.0.0.1:${receiver.port}/callback`);
  expect(receiver.port).toBeGreaterThan(1023);
});

test('the valid callback resolves with its URL and gets a hardened landing page', async () => {
  receiver = await startLoopbackReceiver({ expectedState: 's1', timeoutMs: 60_000, clock: systemClock });
  const answer = await raw(receiver.port, { path: '/callback?code=abc&state=s1&iss=http%3A%2F%2Fx' });
  expect(answer.status).toBe(200);
  expect(answer.headers['content-security-policy']).toMatch(/^default-src 'none'/);
  expect(answer.headers['cache-control']).toBe('no-store');
  expect(answer.body).not.toContain('abc');
  const url = await receiver.callback;
  expect(url.searchParams.get('code')).toBe('abc');
});

test.each([
  ['a foreign Host header (DNS rebinding)', { path: '/callback?code=abc&state=s1', host: 'evil.example:80' }, 400],
  ['another path', { path: '/favicon.ico' }, 404],
  ['a POST', { path: '/callback?code=abc&state=s1', method: 'POST' }, 405],
  ['an oversized URL', { path: `/callback?state=s1&code=${'a'.repeat(9000)}` }, 414],
])('%s is refused and changes nothing', async (_name, request, status) => {
  receiver = await startLoopbackReceiver({ expectedState: 's1', timeoutMs: 60_000, clock: systemClock });
  expect((await raw(receiver.port, request)).status).toBe(status);
  // Still waiting: the real callback completes afterwards.
  await raw(receiver.port, { path: '/callback?code=real&state=s1' });
  expect((await receiver.callback).searchParams.get('code')).toBe('real');
});

test('a wrong state rejects with a typed error and closes the port', async () => {
  receiver = await startLoopbackReceiver({ expectedState: 's1', timeoutMs: 60_000, clock: systemClock });
  const port = receiver.port;
  expect((await raw(port, { path: '/callback?code=abc&state=nope' })).status).toBe(400);
  await expect(receiver.callback).rejects.toMatchObject({ code: 'signin.state_mismatch' });
  await expect(raw(port, { path: '/callback?state=s1' })).rejects.toThrow();
});

test('the injected timeout rejects and closes; cancel does too', async () => {
  const clock = createManualClock();
  receiver = await startLoopbackReceiver({ expectedState: 's1', timeoutMs: 5 * 60_000, clock });
  clock.advance(5 * 60_000);
  await expect(receiver.callback).rejects.toMatchObject({ code: 'signin.timeout' });
  const second = await startLoopbackReceiver({ expectedState: 's1', timeoutMs: 60_000, clock });
  second.close();
  await expect(second.callback).rejects.toMatchObject({ code: 'signin.cancelled' });
  expect(clock.pending()).toEqual([]);
});
