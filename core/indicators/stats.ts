import type { BarCols } from './kernels.js';

/** What a selection of bars [from, to] (inclusive, both ends in any order) says about them. */
export interface RangeStats {
  /** Bars selected. */
  bars: number;
  first: number;
  last: number;
  /** Close of the last bar against the close of the first, in percent. */
  changePct: number;
  /** Highest high minus lowest low. */
  range: number;
  high: number;
  low: number;
  /** Highest and lowest close. */
  max: number;
  min: number;
  /** Population standard deviation of the closes. */
  sigma: number;
}

/**
 * Statistics of bars a..b of `b` (local indices, clipped to [0, len)); null when no bar is selected. One pass; the
 * deviation is Welford's, so a million closes near 50,000 keep their digits.
 */
export function rangeStats(b: BarCols, a: number, z: number, len: number = b.close.length): RangeStats | null {
  const first = Math.max(0, Math.min(a, z));
  const last = Math.min(len - 1, Math.max(a, z));
  if (last < first) return null;
  let high = -Infinity;
  let low = Infinity;
  let max = -Infinity;
  let min = Infinity;
  let mean = 0;
  let m2 = 0;
  for (let i = first; i <= last; i++) {
    const c = b.close[i]!;
    if (b.high[i]! > high) high = b.high[i]!;
    if (b.low[i]! < low) low = b.low[i]!;
    if (c > max) max = c;
    if (c < min) min = c;
    const n = i - first + 1;
    const d = c - mean;
    mean += d / n;
    m2 += d * (c - mean);
  }
  const bars = last - first + 1;
  const c0 = b.close[first]!;
  return {
    bars,
    first,
    last,
    changePct: c0 === 0 ? NaN : ((b.close[last]! - c0) / c0) * 100,
    range: high - low,
    high,
    low,
    max,
    min,
    sigma: Math.sqrt(m2 / bars),
  };
}
