/**
 * Starts benchmark processes: `node --import tsx <script>` (Node 20 cannot run .ts by itself),
 * progress passed through to our stderr, the `@@RESULT` line parsed from stdout.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RESULT_PREFIX } from './worker';

export const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = path.resolve(benchDir, '..');

export type ChildRun<T> = { result: T; wallMs: number };

/** Runs `script` (relative to bench/) in a fresh process and returns its result. */
export function runBenchProcess<T>(
  script: string,
  env: Record<string, string> = {},
  options: { tsx?: boolean; timeoutMs?: number; args?: string[] } = {},
): Promise<ChildRun<T>> {
  const file = path.isAbsolute(script) ? script : path.join(benchDir, script);
  const args = [...(options.tsx === false ? [file] : ['--import', 'tsx', file]), ...(options.args ?? [])];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (stdout += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 10 * 60_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (code !== 0 || !line) {
        reject(
          new Error(`${path.relative(repoRoot, file)} exited with ${signal ?? code}${line ? '' : ' and no result'}`),
        );
        return;
      }
      resolve({ result: JSON.parse(line.slice(RESULT_PREFIX.length)) as T, wallMs: performance.now() - started });
    });
  });
}
