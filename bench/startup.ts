/**
 * Item 6: start-up. The core and Node ports bundled like main.js (esbuild, dependencies
 * external), then 10 fresh processes each load the bundle and build the core with no network
 * (fetch throws, network offline, a new empty data directory). Also: which packages the bundle
 * loads at start (its static imports, from esbuild's metafile) and what each costs to import
 * alone in a fresh process, so a miss can be traced to a module that could load on first use.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { mainExternals } from '../main-bundling.mjs';
import { benchDir, repoRoot, runBenchProcess } from './lib/child';
import { progress, runWorker } from './lib/worker';

const PROCESSES = Number(process.env.BENCH_STARTUP_PROCESSES ?? 10);
const IMPORT_SAMPLES = Number(process.env.BENCH_STARTUP_IMPORT_SAMPLES ?? 5);

export type StartupSample = {
  loadMs: number;
  constructMs: number;
  totalMs: number;
  sinceProcessStartMs: number;
  rssMb: number;
};
export type StartupResult = {
  processes: StartupSample[];
  bundleKb: number;
  eagerPackages: string[];
  /** Packages bundled into the file (main-bundling.mjs), so not imported from node_modules. */
  bundledPackages?: string[];
  importCostMs: Array<{ pkg: string; samples: number[] }>;
  emptyProcessMs: number[];
};

function packageOf(specifier: string): string | null {
  if (specifier.startsWith('node:') || specifier.startsWith('.') || specifier.startsWith('/')) return null;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

/** Milliseconds to import `pkg` in a fresh process (ESM import, as the bundle does). */
function importCost(pkg: string | null): number {
  const code = pkg
    ? `const t = performance.now(); await import(${JSON.stringify(pkg)}); process.stdout.write(String(performance.now() - t));`
    : 'process.stdout.write(String(performance.now()));';
  const out = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: repoRoot, encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`importing ${pkg} failed: ${out.stderr}`);
  return Number(out.stdout);
}

runWorker('startup', async (): Promise<StartupResult> => {
  const { dependencies } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const outDir = path.join(repoRoot, 'node_modules', '.cache', 'quicksend-bench');
  mkdirSync(outDir, { recursive: true });
  const outfile = path.join(outDir, 'startup-core.mjs');
  const built = await build({
    entryPoints: [path.join(benchDir, 'startup-core.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    // The same split as dist/main/main.js; conf stands for electron-store (which loads it in
    // production, bundled the same way), as the Node ports use it.
    external: mainExternals(dependencies),
    metafile: true,
    logLevel: 'warning',
    define: { QUICKSEND_BUILD_CLIENT_IDS: '{}' },
    banner: {
      js: "import { createRequire as __qsCreateRequire } from 'node:module'; const require = __qsCreateRequire(import.meta.url);",
    },
  });
  const output = Object.values(built.metafile.outputs)[0]!;
  const bundledPackages = [
    ...new Set(
      Object.keys(built.metafile.inputs)
        .map((file) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)?.[1])
        .filter((p): p is string => !!p),
    ),
  ].sort();
  const eagerPackages = [
    ...new Set(
      output.imports
        .filter((i) => i.external && i.kind === 'import-statement')
        .map((i) => packageOf(i.path))
        .filter((p): p is string => p !== null),
    ),
  ].sort();

  const processes: StartupSample[] = [];
  for (let i = 0; i < PROCESSES; i += 1) {
    processes.push(
      (
        await runBenchProcess<StartupSample>(
          path.join(benchDir, 'startup-entry.mjs'),
          {},
          { tsx: false, args: [outfile] },
        )
      ).result,
    );
  }
  const sorted = processes.map((p) => p.totalMs).sort((a, b) => a - b);
  progress(
    `start-up: load + construct median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} ms over ${PROCESSES} processes`,
  );

  // Bundled packages too: what each would cost loaded from node_modules, beside the bundle.
  const importCostMs = [...eagerPackages, ...bundledPackages.filter((p) => ['zod', 'conf'].includes(p))].map((pkg) => ({
    pkg,
    samples: Array.from({ length: IMPORT_SAMPLES }, () => importCost(pkg)),
  }));
  const emptyProcessMs = Array.from({ length: IMPORT_SAMPLES }, () => importCost(null));
  return { processes, bundleKb: output.bytes / 1024, eagerPackages, bundledPackages, importCostMs, emptyProcessMs };
});
