import type { BarCols } from './kernels.js';

/** Bars for tests: closes (and optionally highs, lows, volumes, times) as plain arrays; missing columns derived. */
export function barsOf(close: readonly number[], extra: { high?: readonly number[]; low?: readonly number[]; volume?: readonly number[]; time?: readonly number[] } = {}): BarCols {
  const n = close.length;
  const col = (v: readonly number[] | undefined, f: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => v?.[i] ?? f(i));
  return {
    time: col(extra.time, (i) => 1_700_000_000 + i * 60),
    high: col(extra.high, (i) => close[i]!),
    low: col(extra.low, (i) => close[i]!),
    close: Float64Array.from(close),
    volume: col(extra.volume, () => 1),
  };
}

/** A small seeded PRNG (mulberry32), so property tests replay. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
