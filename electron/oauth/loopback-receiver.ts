/**
 * Receives the browser's redirect after sign-in (RFC 8252 section 7.3): an HTTP server on
 * 127.0.0.1, port chosen by the OS, exact path `/callback`, GET only. The first callback that
 * carries our `state` settles the sign-in and the server closes; so do cancel and timeout.
 * A callback with a wrong or missing `state` is treated as an attack and ends the sign-in.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '../shared/errors';
import type { Clock } from '../shared/ports';

export type LoopbackReceiver = {
  /** `http://127.0.0.1:<port>/callback`, to send as redirect_uri. */
  redirectUri: string;
  port: number;
  /** Resolves with the full callback URL, or rejects with a typed AppError. */
  callback: Promise<URL>;
  /** Ends the wait (cancel); safe to call more than once. */
  close(reason?: AppError): void;
};

export type LoopbackOptions = {
  expectedState: string;
  timeoutMs: number;
  clock: Clock;
  /** Longest request line accepted; sign-in callbacks are short. */
  maxUrlLength?: number;
};

const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  Connection: 'close',
};

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>body{font:16px system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1b1f24}</style>
</head><body><h1>${title}</h1><p>${body}</p></body></html>`;
}

export async function startLoopbackReceiver(options: LoopbackOptions): Promise<LoopbackReceiver> {
  const maxUrlLength = options.maxUrlLength ?? 8192;
  let settle: { resolve: (url: URL) => void; reject: (error: AppError) => void } | undefined;
  const callback = new Promise<URL>((resolve, reject) => (settle = { resolve, reject }));
  // The caller may never await (e.g. it failed earlier); avoid an unhandled rejection.
  callback.catch(() => {});
  let done = false;
  let hostHeader = '';

  const server = http.createServer((req, res) => {
    const reply = (status: number, title: string, body: string) => {
      res.writeHead(status, PAGE_HEADERS);
      res.end(page(title, body));
    };
    const rawUrl = req.url ?? '';
    // DNS rebinding: a page on another name that resolves to 127.0.0.1 must not reach us.
    if (req.headers.host !== hostHeader)
      return reply(400, 'Wrong address', 'This address does not belong to Quicksend.');
    if (rawUrl.length > maxUrlLength) return reply(414, 'Request too long', 'That request is too long.');
    let url: URL;
    try {
      url = new URL(rawUrl, `http://${hostHeader}`);
    } catch {
      return reply(400, 'Not understood', 'That request was not understood.');
    }
    if (url.pathname !== '/callback') return reply(404, 'Not found', 'Nothing here.');
    if (req.method !== 'GET') {
      res.setHeader('Allow', 'GET');
      return reply(405, 'Not allowed', 'Only the browser redirect is accepted here.');
    }
    if (done) return reply(410, 'Already finished', 'This sign-in is already over. Return to Quicksend.');
    const state = url.searchParams.get('state');
    if (state !== options.expectedState) {
      reply(
        400,
        'Sign-in refused',
        'This sign-in link did not match the one Quicksend started. Start again from Quicksend.',
      );
      return finish(
        new AppError(
          'signin.state_mismatch',
          'The sign-in answer did not match the sign-in Quicksend started, so it was refused.',
          {
            hint: 'Start the sign-in again from Quicksend. If this keeps happening, another program may be interfering.',
          },
        ),
      );
    }
    reply(200, 'Signed in', 'Quicksend received your sign-in. You can close this tab and return to Quicksend.');
    finish(url);
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 10_000;
  server.keepAliveTimeout = 1;

  const timer = options.clock.setTimeout(() => {
    finish(
      new AppError('signin.timeout', 'The sign-in took too long and was stopped.', {
        hint: 'Start it again and finish it in your browser.',
      }),
    );
  }, options.timeoutMs);

  function finish(outcome: URL | AppError): void {
    if (done) return;
    done = true;
    options.clock.clearTimeout(timer);
    server.close();
    // Let the landing page go out, then drop whatever else is still connected.
    setImmediate(() => server.closeAllConnections());
    if (outcome instanceof URL) settle!.resolve(outcome);
    else settle!.reject(outcome);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  hostHeader = `127.0.0.1:${port}`;
  return {
    redirectUri: `http://127.0.0.1:${port}/callback`,
    port,
    callback,
    close: (reason) => finish(reason ?? new AppError('signin.cancelled', 'The sign-in was cancelled.')),
  };
}
