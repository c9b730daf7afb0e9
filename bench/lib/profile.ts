/**
 * Where the time goes: a V8 CPU profile of a piece of work in this process (node:inspector),
 * folded into inclusive milliseconds for a few named places. Used to explain a missed aim with
 * numbers from the same run, never as a figure of its own (profiling slows the work down).
 */
import { Session } from 'node:inspector/promises';

type ProfileNode = { id: number; callFrame: { functionName: string; url: string }; children?: number[] };
type CpuProfile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

export type Place = { label: string; url: string; functionName?: string };

export type Attribution = { totalCpuMs: number; places: Array<{ label: string; cpuMs: number }> };

export async function profileDuring(work: () => Promise<void>): Promise<CpuProfile> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
    await work();
    const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
    return profile;
  } finally {
    session.disconnect();
  }
}

/** Inclusive CPU time (idle and GC excluded from the total) spent under each place. */
export function attribute(profile: CpuProfile, places: Place[]): Attribution {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfMs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const matches = (node: ProfileNode, place: Place) =>
    node.callFrame.url.includes(place.url) &&
    (place.functionName === undefined || node.callFrame.functionName === place.functionName);
  let totalCpuMs = 0;
  const sums = places.map(() => 0);
  for (const [id, ms] of selfMs) {
    const name = byId.get(id)?.callFrame.functionName ?? '';
    if (name === '(idle)' || name === '(program)' || name === '(root)') continue;
    totalCpuMs += ms;
    const hit = new Set<number>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const node = byId.get(cur)!;
      places.forEach((place, index) => {
        if (matches(node, place)) hit.add(index);
      });
    }
    for (const index of hit) sums[index]! += ms;
  }
  return { totalCpuMs, places: places.map((p, i) => ({ label: p.label, cpuMs: sums[i]! })) };
}
