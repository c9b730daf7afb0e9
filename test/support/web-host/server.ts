/**
 * The web host: serves the built renderer to a real browser and connects `window.quicksend`
 * to the real core over HTTP on 127.0.0.1, through the same router the Electron shell uses.
 * Guarded by a per-run secret: `/open/<secret>` sets an HttpOnly cookie; every other route
 * needs it, and requests must name our own Host and Origin (no DNS rebinding). Like the
 * preload, it never lets the page name a file: `/ipc/` reaches contract channels only (which
 * take file ids), and dropped files arrive as bytes on `/drop`.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createWriteStream, mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { pipeline } from 'node:stream/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Core } from '../../../electron/core';
import { contentTypeFor } from '../../../electron/platform/app-url';
import { contentSecurityPolicy } from '../../../electron/platform/csp';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');
const MAX_BODY = 16 * 1024 * 1024;

export type WebHost = {
  /** Open this in the browser: it sets the session cookie and redirects to the app. */
  openUrl: string;
  origin: string;
  stop(): Promise<void>;
};

export type WebHostOptions = { core: Core; rendererDir?: string };

async function buildBridgeScript(): Promise<string> {
  const result = await build({
    entryPoints: [path.join(here, 'web-bridge.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const rendererDir = options.rendererDir ?? path.join(repoRoot, 'dist', 'renderer');
  const indexHtml = await readFile(path.join(rendererDir, 'index.html'), 'utf8').catch(() => {
    throw new Error(`No built renderer in ${rendererDir}: run \`npm run build\` first.`);
  });
  // The bridge must exist before the renderer's module script runs.
  const page = indexHtml.replace('<head>', '<head>\n    <script src="./web-bridge.js"></script>');
  const bridgeScript = await buildBridgeScript();
  const secret = randomBytes(24).toString('base64url');
  const csp = contentSecurityPolicy({ allowSameOriginFetch: true });
  const streams = new Set<http.ServerResponse>();
  const uploadRoot = mkdtempSync(path.join(os.tmpdir(), 'quicksend-drops-'));
  let origin = '';

  const stopEvents = options.core.events.onAny((event, payload) => {
    const line = `data: ${JSON.stringify({ event, payload })}\n\n`;
    for (const res of streams) res.write(line);
  });

  const hasSession = (req: http.IncomingMessage): boolean => {
    const cookie = /(?:^|;\s*)qs_session=([^;]+)/.exec(req.headers.cookie ?? '')?.[1] ?? '';
    const a = Buffer.from(cookie);
    const b = Buffer.from(secret);
    return a.length === b.length && timingSafeEqual(a, b);
  };

  const server = http.createServer(async (req, res) => {
    const send = (status: number, body: string | Buffer, type = 'text/plain; charset=utf-8') => {
      res.writeHead(status, {
        'Content-Type': type,
        'Content-Security-Policy': csp,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      });
      res.end(body);
    };
    try {
      if (req.headers.host !== new URL(origin).host) return send(421, 'Wrong host');
      const url = new URL(req.url ?? '/', origin);
      if (req.method === 'GET' && url.pathname === `/open/${secret}`) {
        res.writeHead(302, { 'Set-Cookie': `qs_session=${secret}; HttpOnly; SameSite=Strict; Path=/`, Location: '/' });
        return res.end();
      }
      if (!hasSession(req)) return send(403, 'Open the URL the web host printed.');
      if (req.method === 'POST' && url.pathname.startsWith('/ipc/')) {
        const channel = decodeURIComponent(url.pathname.slice('/ipc/'.length));
        let payload: unknown;
        try {
          payload = JSON.parse(await readBody(req));
        } catch {
          return send(
            400,
            JSON.stringify({
              ok: false,
              error: { code: 'ipc.invalid_request', message: 'The request was not understood.' },
            }),
            'application/json',
          );
        }
        const senderOrigin = req.headers.origin;
        const result = await options.core.router.handle(channel, payload, {
          frameUrl: typeof senderOrigin === 'string' ? `${senderOrigin}/` : '',
          isMainFrame: true,
        });
        return send(200, JSON.stringify(result), 'application/json');
      }
      if (req.method === 'POST' && url.pathname === '/drop') {
        // Stands in for the preload and main's drop channel: a browser File has no path, so the
        // dropped bytes become a real file in the web host's own folder, which main registers.
        // The page gets a file id, never the path; it cannot name any other file (issue 13 item 2).
        if (req.headers.origin !== origin) return send(403, 'Drops come from the app page only.');
        const name = path.basename(url.searchParams.get('name') ?? 'file').replace(/[^\w.\- ]/g, '_') || 'file';
        const dir = mkdtempSync(path.join(uploadRoot, 'drop-'));
        const file = path.join(dir, name);
        await pipeline(req, createWriteStream(file, { mode: 0o600 }));
        const given = await options.core.files.give([file]);
        return send(200, JSON.stringify({ ok: true, value: given }), 'application/json');
      }
      if (req.method === 'GET' && url.pathname === '/events') {
        res.writeHead(200, {
          'Content-Type': 'text/event-stream',
          'Cache-Control': 'no-store',
          Connection: 'keep-alive',
        });
        res.write(': connected\n\n');
        streams.add(res);
        req.on('close', () => streams.delete(res));
        return;
      }
      if (req.method !== 'GET') return send(405, 'Method not allowed');
      if (url.pathname === '/' || url.pathname === '/index.html') return send(200, page, 'text/html; charset=utf-8');
      if (url.pathname === '/web-bridge.js') return send(200, bridgeScript, 'text/javascript; charset=utf-8');
      const file = path.resolve(rendererDir, `.${decodeURIComponent(url.pathname)}`);
      if (!file.startsWith(rendererDir + path.sep)) return send(404, 'Not found');
      const body = await readFile(file).catch(() => null);
      return body ? send(200, body, contentTypeFor(file)) : send(404, 'Not found');
    } catch {
      if (!res.headersSent) send(500, 'Internal error');
      else res.end();
    }
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  return {
    openUrl: `${origin}/open/${secret}`,
    origin,
    async stop() {
      stopEvents();
      for (const res of streams) res.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
