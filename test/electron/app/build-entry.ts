/**
 * Bundles test/electron/app/sandbox-main.ts (the shell with a development core against the
 * sandbox) the way esbuild.config.mjs bundles main.js. Used by the `_electron` suite and by
 * `npm run demo` where an Electron binary exists.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { SANDBOX_MAIL_SCOPE, type Sandbox } from '../../support/sandbox';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export async function buildSandboxEntry(prefix: string): Promise<string> {
  mkdirSync(path.join(REPO, 'test-results'), { recursive: true });
  const outdir = mkdtempSync(path.join(REPO, 'test-results', prefix));
  await build({
    entryPoints: { main: path.join(REPO, 'test/electron/app/sandbox-main.ts') },
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    outExtension: { '.js': '.mjs' },
    packages: 'external',
    define: { QUICKSEND_BUILD_CLIENT_IDS: '{}' },
    banner: {
      js: "import { createRequire as __qsCreateRequire } from 'node:module'; const require = __qsCreateRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
  return path.join(outdir, 'main.mjs');
}

/** The entry's configuration (env QUICKSEND_ELECTRON_SANDBOX); `email` scripts the sign-in. */
export function sandboxEntryConfig(sandbox: Sandbox, userData: string, email?: string): string {
  return JSON.stringify({
    distRoot: path.join(REPO, 'dist'),
    resourcesRoot: path.join(REPO, 'build'),
    userData,
    issuer: sandbox.issuer,
    clientId: sandbox.clientId,
    mailScope: SANDBOX_MAIL_SCOPE,
    smtp: { host: sandbox.smtp.host, port: sandbox.smtp.port, security: 'starttls', extraCa: sandbox.smtp.ca },
    ...(email ? { email } : {}),
  });
}
