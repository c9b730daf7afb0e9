/**
 * The Electron smoke suite (`npm run test:electron`, never part of `npm test`): launches the
 * built shell against the sandbox (identity provider + SMTP on 127.0.0.1), signs in through
 * the real bridge, opens quick send the way a person's second launch does
 * (`quicksend --compose ...`, handed to the first instance), presses Send, and checks the
 * sandbox SMTP server received the message. Mirrors the web-host e2e compose scenario.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startSandbox, type Sandbox, type SandboxSmtp } from '../support/sandbox';
import { buildSandboxEntry, sandboxEntryConfig } from './app/build-entry';
import { findElectronBinary } from './electron-binary';

const EMAIL = 'demo@quicksend.test';
const RECIPIENT = 'friend@example.com';

let sandbox: Sandbox;
let smtp: SandboxSmtp;
let app: ElectronApplication;
let entry: string;
let env: Record<string, string>;
let binary: string;

/** Chromium refuses to start as root without this (CI containers). */
const chromiumArgs = () => (process.getuid?.() === 0 ? ['--no-sandbox'] : []);

async function windowMatching(predicate: (url: string) => boolean, timeoutMs = 15_000): Promise<Page> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const page = app.windows().find((p) => predicate(p.url()));
    if (page) return page;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the expected window did not open');
}

beforeAll(async () => {
  const found = findElectronBinary();
  if (!found.found) throw new Error(`no Electron binary: ${found.reason}`);
  binary = found.path;
  sandbox = await startSandbox({ users: [{ email: EMAIL, name: 'Demo User' }] });
  smtp = sandbox.smtp;
  entry = await buildSandboxEntry('electron-app-');
  env = {
    ...(process.env as Record<string, string>),
    QUICKSEND_ELECTRON_SANDBOX: sandboxEntryConfig(
      sandbox,
      mkdtempSync(path.join(os.tmpdir(), 'quicksend-electron-')),
      EMAIL,
    ),
  };
  app = await electron.launch({ executablePath: binary, args: [...chromiumArgs(), entry], env });
});

afterAll(async () => {
  await app?.close();
  await sandbox?.stop();
});

test('a plain launch opens the main window over app:// with the bridge', async () => {
  const main = await app.firstWindow();
  await main.waitForLoadState('domcontentloaded');
  expect(main.url()).toBe('app://quicksend/index.html');
  const info = await main.evaluate(() =>
    (window as unknown as { quicksend: { app: { info(): Promise<unknown> } } }).quicksend.app.info(),
  );
  expect(info).toMatchObject({ ok: true, value: { name: 'Quicksend', version: '0.0.0-electron', development: true } });
  // Node stays out of the page.
  expect(await main.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
});

test('sign in, open quick send from a second launch, press Send, and the sandbox receives it', async () => {
  const main = await app.firstWindow();
  const added = await main.evaluate(() =>
    (
      window as unknown as { quicksend: { accounts: { add(r: unknown): Promise<{ ok: boolean }> } } }
    ).quicksend.accounts.add({ providerId: 'sandbox' }),
  );
  expect(added).toMatchObject({ ok: true });

  // A second launch hands its arguments to this instance and exits.
  const second = spawn(
    binary,
    [
      ...chromiumArgs(),
      entry,
      '--compose',
      '--to',
      RECIPIENT,
      '--subject',
      'Hello from Electron',
      '--body',
      'Sent by the _electron suite.',
    ],
    { env, stdio: 'ignore' },
  );
  const exitCode = await new Promise<number | null>((resolve) => second.on('exit', resolve));
  expect(exitCode).toBe(0);

  const quick = await windowMatching((url) => url.includes('window=quick-send'));
  await quick.getByRole('button', { name: `Remove ${RECIPIENT}` }).waitFor({ timeout: 15_000 });
  expect(await quick.getByRole('textbox', { name: 'Subject' }).inputValue()).toBe('Hello from Electron');
  expect(smtp.messages()).toEqual([]); // prefilled, not sent
  await quick.getByRole('button', { name: /Send/ }).first().click();

  const [message] = await smtp.waitForMessages(1, 30_000);
  expect(message!.to).toEqual([RECIPIENT]);
  expect(message!.user).toBe(EMAIL);
  expect((await smtp.read(message!.id)).toString('utf8')).toContain('Subject: Hello from Electron');
});
