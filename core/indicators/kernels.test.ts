/**
 * Indicator values against worked reference values: small examples computed by hand, StockCharts' published
 * RSI-14 and 10-day EMA worksheets (ChartSchool), and plain textbook formulas over random bars.
 */
import { describe, expect, it } from 'vitest';
import { barsOf, prng } from './bars.test-util.js';
import { computeAll } from './index.js';
import { EmaKernel, RsiKernel, SmaKernel, VolumeKernel, VwapKernel, sessionStart } from './kernels.js';
import { smaAt, wilderRsi } from './textbook.test-util.js';

const round2 = (a: Float64Array) => Array.from(a, (v) => (Number.isNaN(v) ? null : Math.round(v * 100) / 100));

describe('SMA', () => {
  it('averages the last `period` closes, from bar period-1 on (by hand)', () => {
    const v = computeAll(new SmaKernel(3), barsOf([10, 11, 12, 13, 15, 14]));
    expect(Array.from(v.subarray(0, 2))).toEqual([NaN, NaN]);
    expect(v[2]).toBeCloseTo(11, 12);
    expect(v[3]).toBeCloseTo(12, 12);
    expect(v[4]).toBeCloseTo(40 / 3, 12);
    expect(v[5]).toBeCloseTo(14, 12);
  });

  it('period 1 is the close', () => {
    expect(Array.from(computeAll(new SmaKernel(1), barsOf([5, 7.5, 1])))).toEqual([5, 7.5, 1]);
  });

  it('stays on the exact window mean over a million bars of large prices (no drift of the moving sum)', () => {
    const rnd = prng(7);
    const n = 1_000_000;
    const close = new Float64Array(n);
    let p = 50_000;
    for (let i = 0; i < n; i++) close[i] = p += (rnd() - 0.5) * 50 + (i % 100_000 === 0 ? 1e7 * rnd() : 0);
    const b = barsOf([]);
    const bars = { ...b, time: new Float64Array(n), high: close, low: close, close, volume: new Float64Array(n) };
    const v = computeAll(new SmaKernel(50), bars);
    for (const i of [49, 1234, 500_000, n - 1]) {
      let sum = 0;
      for (let j = i - 49; j <= i; j++) sum += close[j]!;
      expect(Math.abs(v[i]! - sum / 50)).toBeLessThan(Math.abs(sum / 50) * 1e-13);
    }
  });
});

describe('EMA', () => {
  it('seeds with the SMA of the first `period` closes, then alpha = 2/(n+1) (by hand)', () => {
    const v = computeAll(new EmaKernel(3), barsOf([10, 11, 12, 13, 15, 14]));
    expect(round2(v)).toEqual([null, null, 11, 12, 13.5, 13.75]);
  });

  it("matches StockCharts' 10-day EMA worksheet", () => {
    const close = [
      22.27, 22.19, 22.08, 22.17, 22.18, 22.13, 22.23, 22.43, 22.24, 22.29, 22.15, 22.39, 22.38, 22.61, 23.36, 24.05, 23.75, 23.83, 23.95,
      23.63, 23.82, 23.87, 23.65, 23.19, 23.1, 23.33, 22.68, 23.1, 22.4, 22.17,
    ];
    const ema = [
      22.22, 22.21, 22.24, 22.27, 22.33, 22.52, 22.8, 22.97, 23.13, 23.28, 23.34, 23.43, 23.51, 23.53, 23.47, 23.4, 23.39, 23.26, 23.23,
      23.08, 22.92,
    ];
    const v = round2(computeAll(new EmaKernel(10), barsOf(close)));
    expect(v.slice(0, 9)).toEqual(Array(9).fill(null));
    expect(v.slice(9)).toEqual(ema);
  });
});

describe('RSI (Wilder)', () => {
  it("matches StockCharts' RSI-14 worksheet (its closes to 4 decimals, as in the sheet)", () => {
    const close = [
      44.3389, 44.0902, 44.1497, 43.6124, 44.3278, 44.8264, 45.0955, 45.4245, 45.8433, 46.0826, 45.8931, 46.0328, 45.614, 46.282, 46.282,
      46.0028, 46.0328, 46.4116, 46.2222, 45.6439, 46.2122, 46.2521, 45.7137, 46.4515, 45.7835, 45.3548, 44.0288, 44.1783, 44.2181, 44.5672,
      43.4205, 42.6628, 43.1314,
    ];
    const rsi = [
      70.53, 66.32, 66.55, 69.41, 66.36, 57.97, 62.93, 63.26, 56.06, 62.38, 54.71, 50.42, 39.99, 41.46, 41.87, 45.46, 37.3, 33.08, 37.77,
    ];
    const v = round2(computeAll(new RsiKernel(14), barsOf(close)));
    expect(v.slice(0, 14)).toEqual(Array(14).fill(null));
    expect(v.slice(14)).toEqual(rsi);
  });

  it('is 100 with no losses, 0 with no gains and 50 when flat (by hand: period 2)', () => {
    expect(Array.from(computeAll(new RsiKernel(2), barsOf([1, 2, 3, 4])))).toEqual([NaN, NaN, 100, 100]);
    expect(Array.from(computeAll(new RsiKernel(2), barsOf([4, 3, 2, 1])))).toEqual([NaN, NaN, 0, 0]);
    expect(Array.from(computeAll(new RsiKernel(2), barsOf([2, 2, 2])))).toEqual([NaN, NaN, 50]);
    // +1, -2: avg gain 0.5, avg loss 1 -> 100 - 100/1.5; then +3: gain (0.5 + 3)/2 = 1.75, loss 0.5 -> rs 3.5
    const v = computeAll(new RsiKernel(2), barsOf([10, 11, 9, 12]));
    expect(v[2]).toBeCloseTo(100 - 100 / 1.5, 10);
    expect(v[3]).toBeCloseTo(100 - 100 / 4.5, 10);
  });
});

describe('VWAP (session-anchored, typical price)', () => {
  const day = 86_400;
  const t0 = 1_700_006_400; // 2023-11-15 00:00 UTC
  it('weights (h+l+c)/3 by volume and restarts at 00:00 UTC (by hand)', () => {
    const b = barsOf([11, 12, 20, 30], {
      high: [12, 14, 21, 33],
      low: [10, 10, 19, 27],
      volume: [1, 3, 2, 0],
      time: [t0 + day - 120, t0 + day - 60, t0 + day, t0 + day + 60],
    });
    const v = computeAll(new VwapKernel('day'), b);
    // typical prices 11, 12, 20, 30
    expect(v[0]).toBeCloseTo(11, 12);
    expect(v[1]).toBeCloseTo((11 * 1 + 12 * 3) / 4, 12);
    expect(v[2]).toBeCloseTo(20, 12); // new UTC day: starts over
    expect(v[3]).toBeCloseTo(20, 12); // no volume: unchanged
  });

  it('is undefined until the session has volume', () => {
    const v = computeAll(new VwapKernel('day'), barsOf([5, 6], { volume: [0, 2], time: [t0, t0 + 60] }));
    expect(v[0]).toBeNaN();
    expect(v[1]).toBe(6);
  });

  it('anchors days at 00:00 UTC and weeks at Monday 00:00 UTC', () => {
    expect(sessionStart(t0 + 3600, 'day')).toBe(t0);
    // 2023-11-15 was a Wednesday: its week started Monday 2023-11-13.
    expect(sessionStart(t0 + 3600, 'week')).toBe(t0 - 2 * day);
    expect(sessionStart(t0 - 2 * day, 'week')).toBe(t0 - 2 * day);
    expect(sessionStart(t0 - 2 * day - 1, 'week')).toBe(t0 - 9 * day);
  });
});

describe('Volume', () => {
  it('is the bar volume', () => {
    expect(Array.from(computeAll(new VolumeKernel(), barsOf([1, 2], { volume: [3, 4.5] })))).toEqual([3, 4.5]);
  });
});

describe('against textbook formulas over random bars', () => {
  const rnd = prng(42);
  const n = 600;
  const close: number[] = [];
  const vol: number[] = [];
  let p = 100;
  for (let i = 0; i < n; i++) {
    close.push((p += (rnd() - 0.5) * 2));
    vol.push(rnd() < 0.1 ? 0 : rnd() * 10);
  }
  const b = barsOf(close, { volume: vol, high: close.map((c) => c + 1), low: close.map((c) => c - 0.5), time: close.map((_, i) => 1_700_006_400 + i * 300) });

  it.each([1, 2, 14, 50])('SMA %i', (period) => {
    const v = computeAll(new SmaKernel(period), b);
    for (let i = period - 1; i < n; i++) expect(v[i]).toBeCloseTo(smaAt(close, i, period), 9);
  });

  it.each([1, 5, 30])('EMA %i', (period) => {
    const v = computeAll(new EmaKernel(period), b);
    const a = 2 / (period + 1);
    let e = close.slice(0, period).reduce((s, x) => s + x, 0) / period;
    expect(v[period - 1]).toBeCloseTo(e, 9);
    for (let i = period; i < n; i++) expect(v[i]).toBeCloseTo((e = a * close[i]! + (1 - a) * e), 9);
  });

  it.each([2, 14])('RSI %i', (period) => {
    const v = computeAll(new RsiKernel(period), b);
    const want = wilderRsi(close, period);
    for (let i = 0; i < n; i++) {
      if (i >= period) expect(v[i]).toBeCloseTo(want[i]!, 8);
      else expect(v[i]).toBeNaN();
    }
  });

  it('VWAP per UTC day', () => {
    const v = computeAll(new VwapKernel('day'), b);
    for (let i = 0; i < n; i++) {
      const day = Math.floor(b.time[i]! / 86_400);
      let pv = 0;
      let vv = 0;
      for (let j = 0; j <= i; j++) {
        if (Math.floor(b.time[j]! / 86_400) !== day) continue;
        pv += ((b.high[j]! + b.low[j]! + b.close[j]!) / 3) * b.volume[j]!;
        vv += b.volume[j]!;
      }
      if (vv > 0) expect(v[i]).toBeCloseTo(pv / vv, 9);
      else expect(v[i]).toBeNaN();
    }
  });
});

describe('parameters', () => {
  it('refuses periods that are not positive integers', () => {
    expect(() => new SmaKernel(0)).toThrow(RangeError);
    expect(() => new EmaKernel(2.5)).toThrow(RangeError);
    expect(() => new RsiKernel(1e9)).toThrow(RangeError);
  });
});
