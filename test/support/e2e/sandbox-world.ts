/**
 * One end-to-end world with the sandbox: the identity provider and SMTP server, a real core
 * in its own data directory wired to them (startAppHost), the web host, and a Chromium page on
 * the app. Sign-in URLs open in a NEW page of the same browser context, as a desktop browser
 * would; tests complete the provider's login form there. Delays and backoff are short.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { CoreOptions } from '../../../electron/core';
import type {
  Channel,
  EventName,
  EventPayloadOf,
  OutboxItem,
  OutboxList,
  RequestOf,
} from '../../../electron/ipc/contract';
import type { BrowserLauncher } from '../../../electron/shared/ports';
import { startAppHost, type AppHost } from '../app-host';
import { launchBrowser } from '../browser';
import { tempDataDir } from '../node-ports';
import { watchOutbox, type OutboxWatch } from '../outbox-watch';
import type { SandboxOptions } from '../sandbox/identity-provider';

export const SCREENSHOTS = path.resolve('test-results/screenshots');

/** Short, deterministic sending tunables: failures surface in milliseconds, retries in about a second. */
export const FAST_MAIL: NonNullable<CoreOptions['mail']> = {
  backoff: { baseMs: 800, capMs: 1_600, factor: 2, random: () => 0.5 },
  timeouts: { connectionMs: 3_000, greetingMs: 3_000, socketMs: 5_000, idleMs: 5_000, sendMs: 20_000 },
  offlineRecheckMs: 1_000,
};

export type SandboxWorldOptions = {
  sandbox?: SandboxOptions;
  core?: Partial<CoreOptions>;
  /** Seconds; applied before the page loads. Default 1. */
  undoDelaySeconds?: number;
  viewport?: { width: number; height: number };
};

export type SandboxWorld = {
  app: AppHost;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Resolves with the next page the core opened for a sign-in (already navigated). */
  nextSignInPage(timeoutMs?: number): Promise<Page>;
  /** Calls the core's router as the app page would. */
  call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<unknown>;
  /** The outbox as a window sees it (list, then changes): `world.outbox.waitFor(test)`. */
  outbox: OutboxWatch;
  /** Resolves with the first payload of `event` (from now on) that satisfies `test`. */
  waitForEvent<E extends EventName>(
    event: E,
    test: (payload: EventPayloadOf<E>) => boolean,
    timeoutMs?: number,
  ): Promise<EventPayloadOf<E>>;
  /** Page errors and console errors seen so far. */
  problems: string[];
  close(): Promise<void>;
};

export async function openSandboxWorld(options: SandboxWorldOptions = {}): Promise<SandboxWorld> {
  const browser = await launchBrowser();
  let app: AppHost | undefined;
  try {
    const context = await browser.newContext({ viewport: options.viewport ?? { width: 480, height: 720 } });
    const opened: Page[] = [];
    const waiters: Array<(page: Page) => void> = [];
    const launcher: BrowserLauncher = {
      open: async (url) => {
        const page = await context.newPage();
        // The core only hands the URL over; it never waits for the page. Neither do we.
        await page.goto(url).catch(() => undefined);
        const waiter = waiters.shift();
        if (waiter) waiter(page);
        else opened.push(page);
      },
    };
    app = await startAppHost({
      browser: launcher,
      dataDir: tempDataDir('quicksend-e2e-'),
      sandbox: options.sandbox ?? {},
      core: { signInTimeoutMs: 20_000, ...options.core, mail: { ...FAST_MAIL, ...options.core?.mail } },
    });
    const started = app;
    const sender = () => ({ frameUrl: `${started.host.origin}/`, isMainFrame: true });
    const call = async (channel: string, request: unknown) => {
      const result = (await started.core.router.handle(channel, request, sender())) as {
        ok: boolean;
        value?: unknown;
        error?: unknown;
      };
      if (!result.ok) throw new Error(`${channel} failed: ${JSON.stringify(result.error)}`);
      return result.value;
    };
    await call('settings:set', { undoDelaySeconds: options.undoDelaySeconds ?? 1 });
    const outbox = watchOutbox(started.core.events, () => call('outbox:list', {}) as Promise<OutboxList>);
    await outbox.ready;

    const problems: string[] = [];
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    await page.goto(started.host.openUrl);
    await page.getByRole('textbox', { name: 'To' }).waitFor({ state: 'visible', timeout: 10_000 });

    return {
      app: started,
      browser,
      context,
      page,
      problems,
      outbox,
      call: call as SandboxWorld['call'],
      nextSignInPage(timeoutMs = 10_000) {
        const ready = opened.shift();
        if (ready) return Promise.resolve(ready);
        return new Promise<Page>((resolve, reject) => {
          const timer = setTimeout(() => {
            waiters.splice(waiters.indexOf(done), 1);
            reject(new Error(`no sign-in page opened within ${timeoutMs} ms`));
          }, timeoutMs);
          const done = (p: Page) => {
            clearTimeout(timer);
            resolve(p);
          };
          waiters.push(done);
        });
      },
      waitForEvent(event, test, timeoutMs = 15_000) {
        return new Promise((resolve, reject) => {
          const timer = setTimeout(() => {
            off();
            reject(new Error(`no matching ${event} within ${timeoutMs} ms`));
          }, timeoutMs);
          const off = started.core.events.on(event, (payload) => {
            if (!test(payload)) return;
            clearTimeout(timer);
            off();
            resolve(payload);
          });
        });
      },
      async close() {
        outbox.stop();
        await browser.close();
        await started.stop();
      },
    };
  } catch (error) {
    await browser.close();
    await app?.stop();
    throw error;
  }
}

/** Navigates with the view switcher. */
export async function go(page: Page, view: 'Quick send' | 'Accounts' | 'Outbox' | 'Settings'): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Views' })
    .getByRole('button', { name: new RegExp(`^${view}`) })
    .click();
}

/**
 * Completes the sandbox provider's sign-in as a person would: type the address, press Sign in.
 * With a live provider session (a second sign-in in the same browser) the provider skips its
 * login form and consents at once, as Google does; then there is nothing to type.
 * Returns whether the login form was shown.
 */
export async function completeProviderLogin(signIn: Page, email: string, shot?: string): Promise<boolean> {
  const field = signIn.getByLabel('Email');
  const done = signIn.getByRole('heading', { name: 'Signed in' });
  await field.or(done).first().waitFor({ state: 'visible', timeout: 10_000 });
  const typed = await field.isVisible();
  if (typed) {
    await field.fill(email);
    if (shot) await screenshot(signIn, shot);
    await signIn.getByRole('button', { name: 'Sign in' }).click();
  }
  // The provider sends the browser back to the app's loopback receiver.
  await done.waitFor({ timeout: 10_000 });
  await signIn.close();
  return typed;
}

/** The newcomer's path: Accounts → Add account → Sandbox → Sign in with browser → login page. */
export async function addSandboxAccount(world: SandboxWorld, email: string, shots?: string): Promise<void> {
  const { page } = world;
  await go(page, 'Accounts');
  await page.getByRole('button', { name: 'Add account' }).click();
  await page.getByRole('heading', { name: 'Add account' }).waitFor();
  await page.getByRole('radio', { name: /Sandbox/ }).check();
  if (shots) await screenshot(page, `${shots}-add-account-pick`);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { name: /^Sign in to Sandbox/ }).waitFor();
  if (shots) await screenshot(page, `${shots}-add-account-consent`);
  const opened = world.nextSignInPage();
  await page.getByRole('button', { name: 'Sign in with browser' }).click();
  const typed = await completeProviderLogin(await opened, email, shots ? `${shots}-provider-login` : undefined);
  if (!typed) throw new Error('the provider did not show its login page for a first sign-in');
  await page.getByText(`Added ${email}. You can send from it now.`).waitFor({ timeout: 10_000 });
}

/** Types recipients (Enter makes a chip), subject and body into the composer. */
export async function compose(page: Page, message: { to: string[]; subject: string; text: string }): Promise<void> {
  await go(page, 'Quick send');
  const to = page.getByRole('textbox', { name: 'To' });
  for (const address of message.to) {
    await to.fill(address);
    await to.press('Enter');
    await page.getByRole('button', { name: `Remove ${address}` }).waitFor();
  }
  await page.getByRole('textbox', { name: 'Subject' }).fill(message.subject);
  await page.getByRole('textbox', { name: 'Message' }).fill(message.text);
}

export type DropFile = { name: string; type: string } & ({ base64: string } | { zeroBytes: number });

/**
 * A real drop of browser `File` objects: builds a DataTransfer in the page and dispatches
 * dragenter, dragover and drop on the composer, as Chromium does for a drag from the desktop.
 */
export async function dropFiles(page: Page, files: DropFile[]): Promise<void> {
  await page.evaluate((list) => {
    const transfer = new DataTransfer();
    for (const f of list) {
      let bytes: Uint8Array<ArrayBuffer>;
      if ('base64' in f) {
        const raw = atob(f.base64);
        bytes = new Uint8Array(raw.length);
        for (let i = 0; i < raw.length; i += 1) bytes[i] = raw.charCodeAt(i);
      } else bytes = new Uint8Array(f.zeroBytes);
      transfer.items.add(new File([bytes], f.name, { type: f.type }));
    }
    const target = document.querySelector('.composer') ?? document.body;
    for (const type of ['dragenter', 'dragover', 'drop']) {
      target.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }
  }, files);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

/** axe-core: serious and critical violations on what the page shows now. */
export async function seriousViolations(page: Page, where: string): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${where}: ${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** The one outbox item, whatever its id, when the outbox holds exactly one. */
export const onlyItem = (payload: { items: OutboxItem[] }): OutboxItem | undefined =>
  payload.items.length === 1 ? payload.items[0] : undefined;
