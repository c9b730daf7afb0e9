/**
 * Item 8: the renderer. (a) gzip size (zlib, default level) of the JavaScript and CSS the
 * quick-send view loads, taken from what Chromium actually fetched while opening it (the web
 * host's test-only bridge script excluded). (b) Time to first render of the view in headless
 * Chromium, median of 10 loads, each in a new browser context (nothing cached): from navigation
 * start until the composer form is in the page and painted (next animation frame), and until it
 * is ready to type (the From list filled from the signed-in account), and until it is
 * interactive: ready, then the first idle period of the main thread (requestIdleCallback), so
 * a key press would be handled at once rather than wait behind script still running. The built renderer
 * (dist/renderer, `npm run build`) is served by the web host over the same contract as in the app.
 */
import { gzipSync } from 'node:zlib';
import { launchBrowser } from '../test/support/browser';
import { startWebHost, type WebHost } from '../test/support/web-host/server';
import { signIn, startBenchCore } from './lib/bench-core';
import { serversFromEnv } from './lib/servers-protocol';
import { progress, runWorker } from './lib/worker';

const LOADS = Number(process.env.BENCH_RENDERER_LOADS ?? 10);

export type RendererResult = {
  assets: Array<{ url: string; type: string; bytes: number; gzipBytes: number }>;
  gzipTotalBytes: number;
  firstRenderMs: number[];
  readyMs: number[];
  /** Ready, then the main thread's first idle period (absent in results from older runs). */
  interactiveMs?: number[];
  firstContentfulPaintMs: number[];
  browserVersion: string;
};

type Timing = { firstRender: number | null; ready: number | null; interactive: number | null; fcp: number | null };

// Runs in the page before any of its scripts: notes when the composer appears and when its
// From list is filled, relative to navigation start (performance.now()).
const OBSERVER = `(() => {
  const marks = { firstRender: null, ready: null, interactive: null, fcp: null };
  window.__benchMarks = marks;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.name === 'first-contentful-paint') marks.fcp = e.startTime;
  }).observe({ type: 'paint', buffered: true });
  const check = () => {
    if (marks.firstRender === null && document.querySelector('form.composer #compose-body')) {
      requestAnimationFrame(() => { if (marks.firstRender === null) marks.firstRender = performance.now(); });
    }
    if (marks.ready === null && document.querySelector('select#compose-from option')) {
      requestAnimationFrame(() => {
        if (marks.ready !== null) return;
        marks.ready = performance.now();
        requestIdleCallback(() => { marks.interactive = performance.now(); });
      });
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true });
})();`;

runWorker('renderer', async (): Promise<RendererResult> => {
  const servers = serversFromEnv();
  const origins: string[] = []; // the web host's origin is known once it listens
  const bench = await startBenchCore(servers, { extraOrigins: () => origins });
  const { core } = bench;
  await signIn(core);
  const host: WebHost = await startWebHost({ core });
  origins.push(host.origin);
  const secret = new URL(host.openUrl).pathname.split('/').pop()!;
  const browser = await launchBrowser();
  try {
    const result: RendererResult = {
      assets: [],
      gzipTotalBytes: 0,
      firstRenderMs: [],
      readyMs: [],
      interactiveMs: [],
      firstContentfulPaintMs: [],
      browserVersion: browser.version(),
    };
    for (let i = 0; i < LOADS + 1; i += 1) {
      const context = await browser.newContext();
      await context.addCookies([{ name: 'qs_session', value: secret, url: host.origin }]);
      const page = await context.newPage();
      await page.addInitScript(OBSERVER);
      const fetched: Array<Promise<RendererResult['assets'][number] | null>> = [];
      page.on('response', (response) => {
        const type = response.request().resourceType();
        const url = new URL(response.url());
        if ((type !== 'script' && type !== 'stylesheet') || url.pathname === '/web-bridge.js') return;
        fetched.push(
          response.body().then(
            (body) => ({ url: url.pathname, type, bytes: body.length, gzipBytes: gzipSync(body).length }),
            () => null,
          ),
        );
      });
      await page.goto(`${host.origin}/`);
      await page.waitForFunction(
        () => {
          const marks = (window as unknown as { __benchMarks: Timing }).__benchMarks;
          return marks.firstRender !== null && marks.ready !== null && marks.interactive !== null;
        },
        undefined,
        { timeout: 30_000 },
      );
      const marks = await page.evaluate(() => (window as unknown as { __benchMarks: Timing }).__benchMarks);
      const assets = (await Promise.all(fetched)).filter((a): a is RendererResult['assets'][number] => a !== null);
      await context.close();
      if (i === 0) {
        // The first load warms up the browser process and the web host; it only supplies the asset list.
        result.assets = assets;
        result.gzipTotalBytes = assets.reduce((sum, a) => sum + a.gzipBytes, 0);
        if (assets.length === 0) throw new Error('the page loaded no script or stylesheet');
        continue;
      }
      result.firstRenderMs.push(marks.firstRender!);
      result.readyMs.push(marks.ready!);
      result.interactiveMs!.push(marks.interactive!);
      if (marks.fcp !== null) result.firstContentfulPaintMs.push(marks.fcp);
    }
    progress(`renderer: ${result.assets.length} assets, ${(result.gzipTotalBytes / 1024).toFixed(1)} kB gzip`);
    return result;
  } finally {
    await browser.close();
    await host.stop();
    await bench.dispose();
  }
});
