/**
 * Benchmark output: one JSON object per figure on stdout (what `npm run bench` consumers parse), everything
 * else on stderr. Figures are printed, never asserted: `withinBudget` is information, not a test result.
 */
export interface Figure {
  bench: string;
  unit: string;
  value: number | null;
  budget?: string;
  withinBudget?: boolean;
  [extra: string]: unknown;
}

export function emit(f: Figure): void {
  process.stdout.write(JSON.stringify(f, (_k, v: unknown) => (typeof v === 'number' ? round(v) : v)) + '\n');
}

export function log(...parts: unknown[]): void {
  process.stderr.write(`[bench] ${parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(' ')}\n`);
}

/** Three significant decimals for small numbers, integers for large ones: readable JSON lines. */
function round(v: number): number {
  if (!Number.isFinite(v)) return v;
  const a = Math.abs(v);
  if (a >= 1000) return Math.round(v);
  if (a >= 1) return Math.round(v * 1000) / 1000;
  return Number(v.toPrecision(3));
}

/** p-th percentile (0..100) by nearest rank of an already sorted array; NaN when empty. */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const rank = Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1));
  return sorted[rank]!;
}

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarize(values: readonly number[]): Summary {
  const s = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of s) sum += v;
  return {
    n: s.length,
    p50: percentileSorted(s, 50),
    p95: percentileSorted(s, 95),
    p99: percentileSorted(s, 99),
    max: s.length ? s[s.length - 1]! : NaN,
    mean: s.length ? sum / s.length : NaN,
  };
}

export function median(values: readonly number[]): number {
  return percentileSorted(Float64Array.from(values).sort(), 50);
}
