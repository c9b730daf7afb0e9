/**
 * Item 7: scale. (a) Restart with 10,000 waiting messages: one setup process writes them, then
 * fresh processes restart on that data directory, each reporting the time from `createCore` to
 * the first message accepted by the server, and memory then; beside it the same restart with 1
 * waiting message (a new one written before each restart). (b) The tray menu model for 50
 * accounts and a 10,000-item outbox in fresh processes (bench/tray-child.ts).
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tempDataDir } from '../test/support/node-ports';
import { runBenchProcess } from './lib/child';
import { progress, runWorker } from './lib/worker';
import type { ScaleRestart, ScaleSetup } from './scale-child';
import type { TraySample } from './tray-child';

const WAITING = Number(process.env.BENCH_SCALE_MESSAGES ?? 10_000);
const RESTARTS = Number(process.env.BENCH_SCALE_RESTARTS ?? 5);
const TRAY_PROCESSES = Number(process.env.BENCH_TRAY_PROCESSES ?? 5);

export type ScaleResult = {
  waiting: number;
  setupMs: number;
  large: ScaleRestart[];
  small: ScaleRestart[];
  /** One sample per fresh process. */
  tray: TraySample[];
};

async function prepare(count: number): Promise<{ dir: string; key: string; setup: ScaleSetup }> {
  const dir = tempDataDir('quicksend-bench-scale-');
  const key = randomBytes(32).toString('hex');
  const { result } = await runBenchProcess<ScaleSetup>('scale-child.ts', {
    BENCH_SCALE_MODE: 'setup',
    BENCH_SCALE_DATA_DIR: dir,
    BENCH_SCALE_KEY: key,
    BENCH_SCALE_MESSAGES: String(count),
  });
  return { dir, key, setup: result };
}

const restart = async (dir: string, key: string) =>
  (
    await runBenchProcess<ScaleRestart>('scale-child.ts', {
      BENCH_SCALE_MODE: 'restart',
      BENCH_SCALE_DATA_DIR: dir,
      BENCH_SCALE_KEY: key,
    })
  ).result;

runWorker('scale', async (): Promise<ScaleResult> => {
  const tray: TraySample[] = [];
  for (let i = 0; i < TRAY_PROCESSES; i += 1)
    tray.push((await runBenchProcess<TraySample>('tray-child.ts', { BENCH_TRAY_OUTBOX: String(WAITING) })).result);
  progress(`scale: writing ${WAITING} waiting messages`);
  const large = await prepare(WAITING);
  const result: ScaleResult = { waiting: WAITING, setupMs: large.setup.ms, large: [], small: [], tray };
  try {
    for (let i = 0; i < RESTARTS; i += 1) {
      result.large.push(await restart(large.dir, large.key));
      const small = await prepare(1);
      try {
        result.small.push(await restart(small.dir, small.key));
      } finally {
        rmSync(small.dir, { recursive: true, force: true });
      }
      progress(
        `scale: restart ${i + 1}/${RESTARTS}: first send after ${result.large.at(-1)!.firstSendMs.toFixed(0)} ms with ${result.large.at(-1)!.waitingAtStart} waiting, ${result.small.at(-1)!.firstSendMs.toFixed(0)} ms with 1`,
      );
    }
  } finally {
    rmSync(large.dir, { recursive: true, force: true });
  }
  return result;
});
