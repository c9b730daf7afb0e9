/**
 * One end-to-end world per test: a core in its own data directory, a web host serving the
 * built renderer, and a Chromium page opened on it. `close()` tears it all down.
 */
import type { Browser, Page } from 'playwright-core';
import { createCore, type Core } from '../../../electron/core';
import { launchBrowser } from '../browser';
import { createNodePorts, type NodePorts } from '../node-ports';
import { startWebHost, type WebHost } from '../web-host/server';

export type World = {
  core: Core;
  ports: NodePorts;
  host: WebHost;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
};

export async function openWorld(): Promise<World> {
  const ports = createNodePorts();
  let host: WebHost | undefined;
  let browser: Browser | undefined;
  const core = await createCore(ports, {
    development: true,
    version: '0.0.0-e2e',
    platform: process.platform,
    // The web host's origin is known only once it listens; the policy reads it lazily.
    senderPolicy: {
      get allowedOrigins() {
        return host ? [host.origin] : [];
      },
    },
  });
  try {
    host = await startWebHost({ core });
    browser = await launchBrowser();
    const page = await browser.newPage();
    await page.goto(host.openUrl);
    const h = host;
    const b = browser;
    return {
      core,
      ports,
      host: h,
      browser: b,
      page,
      async close() {
        await b.close();
        await h.stop();
        await core.dispose();
      },
    };
  } catch (error) {
    await browser?.close();
    await host?.stop();
    throw error;
  }
}
