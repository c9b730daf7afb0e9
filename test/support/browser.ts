/**
 * Finds and launches a Chromium for end-to-end tests: $QUICKSEND_CHROMIUM or $CHROME_PATH,
 * then Debian's /usr/bin/chromium, then an installed Chrome. Fails in one line when none exists.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function launchBrowser(): Promise<Browser> {
  const fromEnv = process.env.QUICKSEND_CHROMIUM ?? process.env.CHROME_PATH;
  const executablePath = [fromEnv, '/usr/bin/chromium'].find((p): p is string => !!p && existsSync(p));
  if (executablePath) return chromium.launch({ executablePath, args: ARGS, headless: true });
  try {
    return await chromium.launch({ channel: 'chrome', args: ARGS, headless: true });
  } catch {
    throw new Error(
      'No Chromium found: install one (Debian: apt-get install chromium) or set QUICKSEND_CHROMIUM to its path.',
    );
  }
}
