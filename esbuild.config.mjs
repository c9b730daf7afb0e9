// Builds the main process (ESM) and the sandboxed preload (one CommonJS file, as Electron
// requires for sandboxed preloads). The renderer is built by Vite (vite.config.ts).
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { mainExternals } from './main-bundling.mjs';

const { dependencies } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  sourcemap: true,
  logLevel: 'warning',
};

// Client ids from the build environment only (never committed); see electron/accounts/client-ids.ts.
const buildClientIds = {};
for (const [provider, prefix] of [
  ['google', 'GOOGLE'],
  ['microsoft', 'MICROSOFT'],
]) {
  const clientId = process.env[`QUICKSEND_${prefix}_CLIENT_ID`];
  const clientSecret = process.env[`QUICKSEND_${prefix}_CLIENT_SECRET`];
  if (clientId) buildClientIds[provider] = clientSecret ? { clientId, clientSecret } : { clientId };
}

await Promise.all([
  build({
    ...common,
    entryPoints: { main: 'electron/main.ts' },
    outdir: 'dist/main',
    format: 'esm',
    // Production dependencies ship in app.asar and load at run time, except the few every
    // start needs, which are bundled in (main-bundling.mjs); electron is the runtime.
    external: mainExternals(dependencies),
    define: { QUICKSEND_BUILD_CLIENT_IDS: JSON.stringify(buildClientIds) },
    // ESM output still needs require() for the CommonJS packages nodemailer etc. import.
    banner: {
      js: "import { createRequire as __qsCreateRequire } from 'node:module'; const require = __qsCreateRequire(import.meta.url);",
    },
  }),
  build({
    ...common,
    entryPoints: { preload: 'electron/preload.ts' },
    outdir: 'dist/preload',
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    // A sandboxed preload can only require('electron'); everything else is bundled in.
    packages: 'bundle',
    external: ['electron'],
  }),
]);
