/**
 * The indicator maths as incremental kernels over columnar bars. A kernel is a fold: a small fixed-size state S(i)
 * (the state after consuming bars 0..i-1, which are closed) gives the value of bar i with `value(S(i), i)`, and
 * `commit(S(i), i)` turns it into S(i+1) once bar i is final. The newest bar is the forming one: a tick that changes
 * it costs one `value` on the committed state; a new bar costs one `commit` and one `value`. Batch and incremental
 * runs go through the same two functions in the same order (see incremental.ts), so their results are identical.
 *
 * Values are NaN where the indicator is not defined yet (warm-up) or has no data (VWAP before any volume).
 * Pure: no DOM, no node:*; runs in the renderer's indicator worker, in tests and in benchmarks.
 */

/** The columns a kernel reads; index 0 is the oldest bar the indicator sees. Times are epoch seconds. */
export interface BarCols {
  readonly time: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

export interface Kernel {
  /** Numbers in the state (the ring of states in incremental.ts copies this many per bar). */
  readonly stateSize: number;
  /** Writes S(0), the state before any bar. */
  reset(s: Float64Array): void;
  /** The value at bar i from S(i); `s` is not changed. */
  value(s: Float64Array, b: BarCols, i: number): number;
  /** S(i) -> S(i+1): bar i is final. */
  commit(s: Float64Array, b: BarCols, i: number): void;
  /**
   * value + commit for bars [from, to), values to out[i - at]. Each kernel has its own copy of this loop, so its
   * calls stay monomorphic (one shared loop over five kernel classes runs several times slower in V8).
   */
  run(s: Float64Array, b: BarCols, from: number, to: number, out: Float64Array, at: number): void;
}

/** Bar volume. No state. */
export class VolumeKernel implements Kernel {
  readonly stateSize = 0;
  reset(): void {}
  value(_s: Float64Array, b: BarCols, i: number): number {
    return b.volume[i]!;
  }
  commit(): void {}
  run(_s: Float64Array, b: BarCols, from: number, to: number, out: Float64Array, at: number): void {
    if (to > from) out.set(b.volume.subarray(from, to), from - at);
  }
}

/**
 * Neumaier (compensated) addition of x into s[at] (sum) and s[at + 1] (compensation): a moving sum that adds and
 * subtracts a million prices stays within an ulp or two of the exact window sum instead of drifting.
 */
function addCompensated(s: Float64Array, at: number, x: number): void {
  const sum = s[at]!;
  const t = sum + x;
  s[at + 1]! += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
  s[at] = t;
}

/**
 * Simple moving average of closes over `period` bars: defined from bar period-1 on.
 * State: [sum, compensation] of the closes of the up to period-1 committed bars before i.
 */
export class SmaKernel implements Kernel {
  readonly stateSize = 2;
  constructor(readonly period: number) {
    checkPeriod(period);
  }
  reset(s: Float64Array): void {
    s[0] = 0;
    s[1] = 0;
  }
  value(s: Float64Array, b: BarCols, i: number): number {
    if (i < this.period - 1) return NaN;
    return (s[0]! + s[1]! + b.close[i]!) / this.period;
  }
  commit(s: Float64Array, b: BarCols, i: number): void {
    addCompensated(s, 0, b.close[i]!);
    const out = i - this.period + 1;
    if (out >= 0) addCompensated(s, 0, -b.close[out]!);
  }
  run(s: Float64Array, b: BarCols, from: number, to: number, out: Float64Array, at: number): void {
    for (let i = from; i < to; i++) {
      out[i - at] = this.value(s, b, i);
      this.commit(s, b, i);
    }
  }
}

/**
 * Exponential moving average of closes, alpha = 2 / (period + 1), seeded with the SMA of the first `period` closes
 * (TA-Lib's convention): defined from bar period-1 on. State: [ema of bar i-1, sum of the closes so far (warm-up)].
 */
export class EmaKernel implements Kernel {
  readonly stateSize = 2;
  private readonly alpha: number;
  constructor(readonly period: number) {
    checkPeriod(period);
    this.alpha = 2 / (period + 1);
  }
  reset(s: Float64Array): void {
    s[0] = NaN;
    s[1] = 0;
  }
  value(s: Float64Array, b: BarCols, i: number): number {
    const p = this.period;
    if (i < p - 1) return NaN;
    const c = b.close[i]!;
    if (i === p - 1) return (s[1]! + c) / p;
    const prev = s[0]!;
    return prev + this.alpha * (c - prev);
  }
  commit(s: Float64Array, b: BarCols, i: number): void {
    if (i < this.period - 1) s[1]! += b.close[i]!;
    else s[0] = this.value(s, b, i);
  }
  run(s: Float64Array, b: BarCols, from: number, to: number, out: Float64Array, at: number): void {
    for (let i = from; i < to; i++) {
      out[i - at] = this.value(s, b, i);
      this.commit(s, b, i);
    }
  }
}

/**
 * Wilder's RSI of closes: the first average gain/loss is the mean of the first `period` changes (so the first value
 * is at bar `period`), then avg = (avg * (period - 1) + x) / period. RSI = 100 - 100 / (1 + avgGain / avgLoss);
 * no losses gives 100, no gains 0, neither (a flat series) 50.
 * State: [previous close, gain sum or average, loss sum or average].
 */
export class RsiKernel implements Kernel {
  readonly stateSize = 3;
  constructor(readonly period: number) {
    checkPeriod(period);
  }
  reset(s: Float64Array): void {
    s[0] = NaN;
    s[1] = 0;
    s[2] = 0;
  }
  value(s: Float64Array, b: BarCols, i: number): number {
    const p = this.period;
    if (i < p) return NaN;
    const d = b.close[i]! - s[0]!;
    const g = d > 0 ? d : 0;
    const l = d < 0 ? -d : 0;
    const first = i === p;
    const ag = first ? (s[1]! + g) / p : (s[1]! * (p - 1) + g) / p;
    const al = first ? (s[2]! + l) / p : (s[2]! * (p - 1) + l) / p;
    return rsiOf(ag, al);
  }
  commit(s: Float64Array, b: BarCols, i: number): void {
    const c = b.close[i]!;
    const p = this.period;
    if (i > 0) {
      const d = c - s[0]!;
      const g = d > 0 ? d : 0;
      const l = d < 0 ? -d : 0;
      if (i < p) {
        s[1]! += g;
        s[2]! += l;
      } else if (i === p) {
        s[1] = (s[1]! + g) / p;
        s[2] = (s[2]! + l) / p;
      } else {
        s[1] = (s[1]! * (p - 1) + g) / p;
        s[2] = (s[2]! * (p - 1) + l) / p;
      }
    }
    s[0] = c;
  }
  run(s: Float64Array, b: BarCols, from: number, to: number, out: Float64Array, at: number): void {
    for (let i = from; i < to; i++) {
      out[i - at] = this.value(s, b, i);
      this.commit(s, b, i);
    }
  }
}

export function rsiOf(avgGain: number, avgLoss: number): number {
  if (avgLoss === 0) return avgGain === 0 ? 50 : 100;
  if (avgGain === 0) return 0;
  return 100 - 100 / (1 + avgGain / avgLoss);
}

export type VwapAnchor = 'day' | 'week';
export const VWAP_ANCHORS: readonly VwapAnchor[] = ['day', 'week'];

const DAY = 86_400;

/**
 * Start (epoch s) of the VWAP session holding time t: the UTC day (00:00 UTC, the convention of 24/7 crypto venues
 * and the sim), or the UTC week from Monday 00:00.
 */
export function sessionStart(t: number, anchor: VwapAnchor): number {
  const day = Math.floor(t / DAY);
  if (anchor === 'day') return day * DAY;
  // 1970-01-01 was a Thursday: Monday is 3 days before day 0 (mod 7).
  return (Math.floor((day + 3) / 7) * 7 - 3) * DAY;
}

/**
 * Session-anchored VWAP of the typical price (high + low + close) / 3, weighted by volume, restarting at each
 * session start (sessionStart). NaN while the session has no volume yet.
 * State: [session start of the last committed bar, sum of price * volume, sum of volume].
 */
export class VwapKernel implements Kernel {
  readonly stateSize = 3;
  constructor(readonly anchor: VwapAnchor = 'day') {}
  reset(s: Float64Array): void {
    s[0] = NaN;
    s[1] = 0;
    s[2] = 0;
  }
  value(s: Float64Array, b: BarCols, i: number): number {
    const same = sessionStart(b.time[i]!, this.anchor) === s[0];
    const v = b.volume[i]!;
    const pv = (same ? s[1]! : 0) + typical(b, i) * v;
    const vol = (same ? s[2]! : 0) + v;
    return vol > 0 ? pv / vol : NaN;
  }
  commit(s: Float64Array, b: BarCols, i: number): void {
    const key = sessionStart(b.time[i]!, this.anchor);
    const v = b.volume[i]!;
    if (key !== s[0]) {
      s[0] = key;
      s[1] = 0;
      s[2] = 0;
    }
    s[1]! += typical(b, i) * v;
    s[2]! += v;
  }
  run(s: Float64Array, b: BarCols, from: number, to: number, out: Float64Array, at: number): void {
    for (let i = from; i < to; i++) {
      out[i - at] = this.value(s, b, i);
      this.commit(s, b, i);
    }
  }
}

function typical(b: BarCols, i: number): number {
  return (b.high[i]! + b.low[i]! + b.close[i]!) / 3;
}

export const MAX_PERIOD = 5000;

function checkPeriod(p: number): void {
  if (!Number.isInteger(p) || p < 1 || p > MAX_PERIOD) throw new RangeError(`period must be an integer in [1, ${MAX_PERIOD}], got ${p}`);
}
