/**
 * `npm run bench`: starts the servers (bench/servers.ts, its own process, 127.0.0.1 only), runs
 * every benchmark in fresh processes against them, and rewrites bench/RESULTS.md. Benchmarks
 * assert nothing about speed: this exits non-zero only when a benchmark could not measure.
 * Options: `--only=pipeline,latency,...` runs a subset (RESULTS.md is then not written).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { benchDir, repoRoot, runBenchProcess } from './lib/child';
import type { ServersInfo } from './lib/servers-protocol';
import { renderResults, type BenchOutcome, type RunInfo } from './lib/report';

const BENCHMARKS = [
  { id: 'pipeline', script: 'send-pipeline.ts', title: 'Send pipeline' },
  { id: 'latency', script: 'latency.ts', title: 'Latency' },
  { id: 'coalescing', script: 'coalescing.ts', title: 'Refresh coalescing' },
  { id: 'token-reuse', script: 'token-reuse.ts', title: '60-second tokens' },
  { id: 'memory', script: 'memory.ts', title: 'Memory' },
  { id: 'startup', script: 'startup.ts', title: 'Start-up' },
  { id: 'scale', script: 'scale.ts', title: 'Scale' },
  { id: 'renderer', script: 'renderer.ts', title: 'Renderer' },
  { id: 'relay', script: 'relay.ts', title: 'Relay for other programs' },
] as const;

function startServers(): Promise<{ info: ServersInfo; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(benchDir, 'servers.ts')], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const stop = () => {
    child.stdin.end(); // the servers stop when their stdin closes
    setTimeout(() => child.kill('SIGKILL'), 3000).unref();
  };
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    const timer = setTimeout(() => {
      stop();
      reject(new Error('the servers did not start within 30 s'));
    }, 30_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve({ info: JSON.parse(line) as ServersInfo, stop });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the servers exited with ${code} before they were ready`));
    });
  });
}

function msmtpVersion(): string | null {
  const probe = spawnSync('msmtp', ['--version'], { encoding: 'utf8' });
  return probe.error || probe.status !== 0 ? null : (probe.stdout.split('\n')[0]?.trim() ?? 'msmtp');
}

async function main(): Promise<number> {
  const only = process.argv
    .find((a) => a.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',');
  const selected = BENCHMARKS.filter((b) => !only || only.includes(b.id));
  if (!existsSync(path.join(repoRoot, 'dist', 'renderer', 'index.html'))) {
    console.error('bench: no built renderer in dist/renderer: run `npm run build` first (`npm run bench` does).');
    return 1;
  }
  const started = performance.now();
  const cpus = os.cpus();
  const run: RunInfo = {
    date: new Date().toISOString(),
    commit:
      spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).stdout.trim() ||
      'unknown',
    uncommitted: spawnSync('git', ['status', '--porcelain', '--', '.', ':!bench'], { cwd: repoRoot, encoding: 'utf8' })
      .stdout.split('\n')
      .filter(Boolean).length,
    cores: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGb: os.totalmem() / 1024 ** 3,
    node: process.version,
    os: `${os.type()} ${os.release()} (${os.platform()}/${os.arch()})`,
    msmtp: msmtpVersion(),
    loadBefore: os.loadavg(),
    loadAfter: [],
    durationS: 0,
  };
  console.log(
    `bench: ${run.cores} cores, ${run.memoryGb.toFixed(1)} GB, Node ${run.node}, load average ${run.loadBefore.map((l) => l.toFixed(2)).join(' ')}`,
  );

  const servers = await startServers();
  const outcomes: BenchOutcome[] = [];
  try {
    for (const bench of selected) {
      console.log(`bench: ${bench.title} …`);
      const loadBefore = os.loadavg()[0]!;
      const t0 = performance.now();
      try {
        const { result } = await runBenchProcess<unknown>(bench.script, {
          BENCH_SERVERS: JSON.stringify(servers.info),
        });
        outcomes.push({
          id: bench.id,
          ok: true,
          result,
          seconds: (performance.now() - t0) / 1000,
          load: [loadBefore, os.loadavg()[0]!],
        });
      } catch (error) {
        outcomes.push({
          id: bench.id,
          ok: false,
          error: error instanceof Error ? error.message : String(error),
          seconds: (performance.now() - t0) / 1000,
          load: [loadBefore, os.loadavg()[0]!],
        });
        console.error(
          `bench: ${bench.title} could not measure: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      console.log(`bench: ${bench.title} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
  } finally {
    servers.stop();
  }
  run.loadAfter = os.loadavg();
  run.durationS = (performance.now() - started) / 1000;

  const markdown = renderResults(run, outcomes);
  if (only) {
    console.log(markdown);
    console.log('bench: --only given, bench/RESULTS.md left as it was');
  } else {
    writeFileSync(path.join(benchDir, 'RESULTS.md'), markdown);
    console.log(`bench: wrote bench/RESULTS.md in ${run.durationS.toFixed(0)} s`);
  }
  const failed = outcomes.filter((o) => !o.ok);
  if (failed.length) console.error(`bench: could not measure: ${failed.map((f) => f.id).join(', ')}`);
  return failed.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
