/** Item 5: memory with a 200 MB attachment, in fresh processes (bench/memory-child.ts does one). */
import { runBenchProcess } from './lib/child';
import { progress, runWorker } from './lib/worker';
import type { MemorySample } from './memory-child';

const PROCESSES = Number(process.env.BENCH_MEMORY_PROCESSES ?? 3);

export type MemoryResult = { samples: MemorySample[] };

runWorker('memory', async (): Promise<MemoryResult> => {
  const samples: MemorySample[] = [];
  for (let i = 0; i < PROCESSES; i += 1) {
    const { result } = await runBenchProcess<MemorySample>('memory-child.ts');
    samples.push(result);
    progress(
      `memory ${i + 1}/${PROCESSES}: +${result.growthMb.toFixed(1)} MB over ${result.baselineMb.toFixed(0)} MB idle, sent in ${(result.sendMs / 1000).toFixed(1)} s`,
    );
  }
  return { samples };
});
