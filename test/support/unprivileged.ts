/**
 * Runs one exported function of a module as an unprivileged user, for checks that root can
 * never see (root reads any file whatever its mode). As a normal user it simply imports the
 * module in-process. The result must be JSON; a thrown error comes back as `{ error: { code, message } }`.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const NOBODY = 65534;

export type Outcome = { value?: unknown; error?: { code?: string; message: string } };

export async function callAsUnprivileged(modulePath: string, exportName: string, args: unknown[]): Promise<Outcome> {
  const url = pathToFileURL(path.resolve(modulePath)).href;
  if (process.getuid?.() !== 0) {
    const mod = (await import(url)) as Record<string, (...a: unknown[]) => Promise<unknown>>;
    return mod[exportName]!(...args).then(
      (value) => ({ value: JSON.parse(JSON.stringify(value ?? null)) as unknown }),
      (error: { code?: string; message: string }) => ({ error: { code: error.code, message: error.message } }),
    );
  }
  const script = `const m = await import(${JSON.stringify(url)});
try { const value = await m[${JSON.stringify(exportName)}](...${JSON.stringify(args)}); console.log('OUTCOME ' + JSON.stringify({ value: value ?? null })); }
catch (error) { console.log('OUTCOME ' + JSON.stringify({ error: { code: error.code, message: error.message } })); }`;
  const home = mkdtempSync(path.join(os.tmpdir(), 'qs-nobody-'));
  chmodSync(home, 0o777);
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    uid: NOBODY,
    gid: NOBODY,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, HOME: home, TMPDIR: home },
  });
  const line = /OUTCOME (.*)/.exec(run.stdout ?? '')?.[1];
  if (!line)
    throw new Error(`the unprivileged child failed (status ${run.status}): ${(run.stderr ?? '').slice(-1500)}`);
  return JSON.parse(line) as Outcome;
}

/** A world-traversable folder, so an unprivileged user reaches the files a test makes in it. */
export function sharedTempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'qs-shared-'));
  chmodSync(dir, 0o755);
  return dir;
}
