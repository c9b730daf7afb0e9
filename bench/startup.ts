/**
 * Item 6: start-up. The core and Node ports bundled like main.js (esbuild, dependencies
 * external), then 10 fresh processes each load the bundle and build the core with no network
 * (fetch throws, network offline, a new empty data directory). Also: which packages the bundle
 * loads at start (its static imports, from esbuild's metafile) and what each costs to import
 * alone in a fresh process, so a miss can be traced to a module that could load on first use.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { benchDir, repoRoot, runBenchProcess } from './lib/child';
import { progress, runWorker } from './lib/worker';

const PROCESSES = Number(process.env.BENCH_STARTUP_PROCESSES ?? 10);
const IMPORT_SAMPLES = Number(process.env.BENCH_STARTUP_IMPORT_SAMPLES ?? 5);

export type StartupSample = { loadMs: number; constructMs: number; totalMs: number; sinceProcessStartMs: number; rssMb: number };
export type StartupResult = {
  processes: StartupSample[];
  bundleKb: number;
  eagerPackages: string[];
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
    packages: 'external',
    metafile: true,
    logLevel: 'warning',
    define: { QUICKSEND_BUILD_CLIENT_IDS: '{}' },
    banner: { js: "import { createRequire as __qsCreateRequire } from 'node:module'; const require = __qsCreateRequire(import.meta.url);" },
  });
  const output = Object.values(built.metafile.outputs)[0]!;
  const eagerPackages = [...new Set(output.imports.filter((i) => i.external && i.kind === 'import-statement').map((i) => packageOf(i.path)).filter((p): p is string => p !== null))].sort();

  const processes: StartupSample[] = [];
  for (let i = 0; i < PROCESSES; i += 1) {
    processes.push((await runBenchProcess<StartupSample>(path.join(benchDir, 'startup-entry.mjs'), {}, { tsx: false, args: [outfile] })).result);
  }
  const sorted = processes.map((p) => p.totalMs).sort((a, b) => a - b);
  progress(`start-up: load + construct median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} ms over ${PROCESSES} processes`);

  const importCostMs = eagerPackages.map((pkg) => ({ pkg, samples: Array.from({ length: IMPORT_SAMPLES }, () => importCost(pkg)) }));
  const emptyProcessMs = Array.from({ length: IMPORT_SAMPLES }, () => importCost(null));
  return { processes, bundleKb: output.bytes / 1024, eagerPackages, importCostMs, emptyProcessMs };
});
