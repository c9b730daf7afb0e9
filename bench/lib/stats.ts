/** Small statistics for benchmark samples: median and spread, nothing that needs a library. */

export type Summary = { n: number; median: number; min: number; max: number; p25: number; p75: number };

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    median: quantile(sorted, 0.5),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
    p25: quantile(sorted, 0.25),
    p75: quantile(sorted, 0.75),
  };
}

/** Rounds for display: 3 significant digits, never more than 3 decimals. */
export function fmt(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  const abs = Math.abs(value);
  const decimals = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return value.toFixed(decimals);
}

/** "12.3 (min 11.0 – max 14.2, n=5)" */
export function describe(summary: Summary, unit = ''): string {
  const u = unit ? ` ${unit}` : '';
  return `${fmt(summary.median)}${u} (min ${fmt(summary.min)} – max ${fmt(summary.max)}, n=${summary.n})`;
}
