/**
 * Incremental == batch: random sequences of what the host sends (ticks on the forming bar, new bars, its last rows
 * resent or rewritten, an occasional deep rewrite) applied through IncrementalIndicator.update must leave exactly the
 * values a fresh batch computes over the final bars, bit for bit, for every kind.
 */
import { describe, expect, it } from 'vitest';
import { prng } from './bars.test-util.js';
import { computeAll, IncrementalIndicator, REWIND_BARS, type BarCols, type Kernel } from './index.js';
import { EmaKernel, RsiKernel, SmaKernel, VolumeKernel, VwapKernel } from './kernels.js';

const CAP = 2048;

class Tape {
  readonly cols = { time: new Float64Array(CAP), high: new Float64Array(CAP), low: new Float64Array(CAP), close: new Float64Array(CAP), volume: new Float64Array(CAP) };
  len = 0;
  constructor(private readonly rnd: () => number) {}
  /** Writes bar i with a random close near the previous one; `sameTime` keeps its time (a tick on the forming bar). */
  write(i: number, sameTime: boolean): void {
    const c = this.cols;
    const prev = i > 0 ? c.close[i - 1]! : 100;
    // Prices on a 0.01 grid with repeats (flat moves), volumes sometimes 0; bars 0-3 h apart so UTC days roll over.
    const close = Math.max(0.01, Math.round((prev + (this.rnd() - 0.5) * 4) * 100) / 100);
    if (!sameTime) c.time[i] = i === 0 ? 1_700_000_000 : c.time[i - 1]! + 60 * Math.floor(1 + this.rnd() * 180);
    c.close[i] = this.rnd() < 0.1 ? prev : close;
    c.high[i] = c.close[i]! + this.rnd();
    c.low[i] = c.close[i]! - this.rnd();
    c.volume[i] = this.rnd() < 0.15 ? 0 : Math.round(this.rnd() * 1000) / 10;
  }
  view(): BarCols {
    return this.cols;
  }
}

const KERNELS: [string, () => Kernel][] = [
  ['volume', () => new VolumeKernel()],
  ['vwap day', () => new VwapKernel('day')],
  ['vwap week', () => new VwapKernel('week')],
  ['sma 1', () => new SmaKernel(1)],
  ['sma 20', () => new SmaKernel(20)],
  ['ema 1', () => new EmaKernel(1)],
  ['ema 9', () => new EmaKernel(9)],
  ['rsi 1', () => new RsiKernel(1)],
  ['rsi 14', () => new RsiKernel(14)],
];

function run(make: () => Kernel, seed: number, steps: number): { incremental: number; batches: number } {
  const rnd = prng(seed);
  const tape = new Tape(rnd);
  const ind = new IncrementalIndicator(make());
  let vals = new Float64Array(CAP);
  let incremental = 0;
  let batches = 0;
  const apply = (from: number) => {
    if (ind.update(tape.view(), tape.len, from)) {
      vals.set(ind.changed, ind.changedFrom);
      incremental++;
    } else {
      vals = new Float64Array(CAP);
      ind.batch(tape.view(), tape.len, vals);
      batches++;
    }
  };
  for (let step = 0; step < steps && tape.len < CAP - 1; step++) {
    const r = rnd();
    const len = tape.len;
    if (len === 0 || r < 0.35) {
      // a trade on the forming bar
      if (len === 0) tape.len = 1;
      tape.write(tape.len - 1, len > 0);
      apply(tape.len - 1);
    } else if (r < 0.55) {
      // a new bar alone
      tape.write(len, false);
      tape.len++;
      apply(len);
    } else if (r < 0.8) {
      // a new bar with the previous one resent (the host's two-row tail), maybe with a last trade in it
      if (rnd() < 0.5) tape.write(len - 1, true);
      tape.write(len, false);
      tape.len++;
      apply(len - 1);
    } else if (r < 0.88) {
      // several new bars in one frame
      const k = 1 + Math.floor(rnd() * 5);
      for (let j = 0; j < k; j++) tape.write(len + j, false);
      tape.len += k;
      apply(len);
    } else if (r < 0.96) {
      // the last few rows rewritten (a late trade, a repaired bar)
      const k = Math.min(len, 1 + Math.floor(rnd() * 4));
      for (let j = len - k; j < len; j++) tape.write(j, true);
      apply(len - k);
    } else if (r < 0.98) {
      // a deep rewrite: more rows than the kept states
      const k = Math.min(len, REWIND_BARS + 1 + Math.floor(rnd() * 20));
      for (let j = len - k; j < len; j++) tape.write(j, true);
      apply(len - k);
    } else {
      // an update that changed nothing
      apply(len);
    }
    if (step % 97 === 0 || step === steps - 1) {
      const want = computeAll(make(), tape.view(), tape.len);
      expect(Array.from(vals.subarray(0, tape.len))).toEqual(Array.from(want));
    }
  }
  return { incremental, batches };
}

describe('IncrementalIndicator', () => {
  it.each(KERNELS)('%s: incremental updates == batch after random update sequences', (_name, make) => {
    for (const seed of [1, 2, 3, 4]) {
      const { incremental, batches } = run(make, seed, 1500);
      expect(incremental).toBeGreaterThan(batches * 10);
    }
  });

  it('rewinds at most REWIND_BARS bars; an older change asks for a batch and changes nothing', () => {
    const close = Array.from({ length: 100 }, (_, i) => 10 + Math.sin(i));
    const b = { time: Float64Array.from(close, (_, i) => i * 60), high: Float64Array.from(close), low: Float64Array.from(close), close: Float64Array.from(close), volume: new Float64Array(100).fill(1) };
    const ind = new IncrementalIndicator(new SmaKernel(5));
    ind.batch(b, 100, new Float64Array(100));
    expect(ind.update(b, 100, 100 - REWIND_BARS)).toBe(true);
    expect(ind.changedFrom).toBe(100 - REWIND_BARS);
    expect(ind.changedCount).toBe(REWIND_BARS);
    expect(ind.update(b, 100, 100 - REWIND_BARS - 1)).toBe(false);
    // still usable after the refusal
    expect(ind.update(b, 100, 99)).toBe(true);
    expect(ind.changed[0]).toBeCloseTo((close[95]! + close[96]! + close[97]! + close[98]! + close[99]!) / 5, 12);
  });

  it('a tick costs one value: only the forming bar is reported', () => {
    const b = { time: new Float64Array([0, 60, 120]), high: new Float64Array([1, 2, 3]), low: new Float64Array([1, 2, 3]), close: new Float64Array([1, 2, 3]), volume: new Float64Array([1, 1, 1]) };
    const ind = new IncrementalIndicator(new EmaKernel(2));
    ind.batch(b, 3, new Float64Array(3));
    b.close[2] = 5;
    expect(ind.update(b, 3, 2)).toBe(true);
    expect([ind.changedFrom, ind.changedCount]).toEqual([2, 1]);
    expect(ind.changed[0]).toBeCloseTo(1.5 + (2 / 3) * (5 - 1.5), 12);
  });

  it('starts from nothing and survives an emptied series', () => {
    const ind = new IncrementalIndicator(new RsiKernel(2));
    const b = { time: new Float64Array([0, 60, 120]), high: new Float64Array(3), low: new Float64Array(3), close: new Float64Array([1, 2, 1]), volume: new Float64Array(3) };
    expect(ind.update(b, 0, 0)).toBe(true);
    expect(ind.changedCount).toBe(0);
    expect(ind.update(b, 3, 0)).toBe(true);
    expect(Array.from(ind.changed)).toEqual([NaN, NaN, 50]);
    const out = new Float64Array(0);
    ind.batch(b, 0, out);
    expect(ind.length).toBe(0);
  });
});
