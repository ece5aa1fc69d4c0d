import { describe, expect, it } from 'vitest';
import { BarStore } from './bar-store.js';
import { makeRows } from './test-rows.js';
import {
  bucketBase,
  bucketCount,
  bucketRows,
  planStride,
  planStridedWindow,
  rowAt,
  toAbs,
  toLogical,
  type SeriesWindow,
  type WindowOptions,
} from './windowing.js';

const opts: WindowOptions = { margin: 2000, edge: 500, initial: 2500 };
const data = { from: 0, to: 1_000_000 };

describe('planStride', () => {
  it('keeps one candle per row while every row has a pixel column', () => {
    expect(planStride(200, 1000, 1)).toBe(1);
    expect(planStride(1000, 1000, 1)).toBe(1);
  });

  it('buckets rows in powers of two, at most one bucket per pixel column', () => {
    expect(planStride(1001, 1000, 1)).toBe(2);
    expect(planStride(2000, 1000, 1)).toBe(2);
    expect(planStride(1_000_000, 1000, 1)).toBe(1024);
    for (const rows of [3000, 65_000, 400_000, 1_000_000]) {
      const s = planStride(rows, 800, 1);
      expect(rows / s).toBeLessThanOrEqual(800);
      expect(rows / s).toBeGreaterThan(400);
    }
  });

  it('keeps its stride inside the hysteresis band, so a small zoom does not rebuild the series', () => {
    // 1024 rows a bucket over 1000 px: 300k rows is 293 buckets (0.29 a column), still kept; 200k is not.
    expect(planStride(300_000, 1000, 1024)).toBe(1024);
    expect(planStride(200_000, 1000, 1024)).toBe(256);
    // Zooming in below one row a column from a stride: kept while buckets fill a quarter of the columns, then 1.
    expect(planStride(900, 1000, 2)).toBe(2);
    expect(planStride(400, 1000, 2)).toBe(1);
    // Past one bucket a column: the next power of two.
    expect(planStride(1_100_000, 1000, 1024)).toBe(2048);
  });
});

describe('bucket mapping', () => {
  const w: SeriesWindow = { from: 1000, to: 5000, stride: 64 };

  it('aligns buckets on absolute rows; the first and last may be partial', () => {
    expect(bucketBase(w)).toBe(15);
    expect(bucketCount(w)).toBe(79 - 15);
    expect(bucketRows(w, 15)).toEqual({ from: 1000, to: 1024 });
    expect(bucketRows(w, 16)).toEqual({ from: 1024, to: 1088 });
    expect(bucketRows(w, 78)).toEqual({ from: 4992, to: 5000 });
  });

  it('maps series logical positions to rows and back', () => {
    for (const l of [-0.5, 0, 3.25, 63.5]) expect(toLogical(w, toAbs(w, l))).toBeCloseTo(l, 9);
    // Logical 1 is bucket 16: rows 1024..1087, centre 1055.5.
    expect(toAbs(w, 1)).toBe(1055.5);
    expect(rowAt(w, 1)).toBe(1087);
    expect(rowAt(w, 0.4)).toBe(1023);
    expect(rowAt(w, 1000)).toBe(4999);
  });

  it('is the plain window at stride 1', () => {
    const p: SeriesWindow = { from: 1000, to: 5000, stride: 1 };
    expect(toAbs(p, 7)).toBe(1007);
    expect(toLogical(p, 1007)).toBe(7);
    expect(rowAt(p, 7.4)).toBe(1007);
    expect(bucketCount(p)).toBe(4000);
  });
});

describe('planStridedWindow', () => {
  it('at stride 1 is planWindow', () => {
    expect(planStridedWindow(data, null, null, 1, opts)).toEqual({ from: 997_500, to: 1_000_000, stride: 1 });
    const tail = { from: 997_500, to: 1_000_000, stride: 1 };
    expect(planStridedWindow(data, tail, { from: 999_700, to: 1_000_003 }, 1, opts)).toBeNull();
  });

  it('zoomed out to the whole series: every row in about a thousand buckets, never a million candles', () => {
    const tail = { from: 997_500, to: 1_000_000, stride: 1 };
    const next = planStridedWindow(data, tail, { from: -5, to: 1_000_005 }, 1024, opts)!;
    expect(next).toEqual({ from: 0, to: 1_000_000, stride: 1024 });
    expect(bucketCount(next)).toBe(977);
  });

  it('holds the visible buckets plus margins counted in buckets, around the view', () => {
    const w = { from: 997_500, to: 1_000_000, stride: 1 };
    // 64k rows in view in the middle of the series at stride 64: 1000 buckets + 2000 each side.
    const next = planStridedWindow(data, w, { from: 400_000, to: 464_000 }, 64, opts)!;
    expect(next.stride).toBe(64);
    expect(next.from).toBe((400_000 / 64 - 2000) * 64);
    expect(next.to).toBe((464_000 / 64 + 2000) * 64);
    expect(bucketCount(next)).toBe(5000);
    // Panning a little keeps it; panning near its edge moves it.
    expect(planStridedWindow(data, next, { from: 390_000, to: 454_000 }, 64, opts)).toBeNull();
    const moved = planStridedWindow(data, next, { from: 300_000, to: 364_000 }, 64, opts)!;
    expect(moved.from).toBeLessThan(300_000);
    expect(moved.to).toBeGreaterThan(364_000);
  });

  it('reaches the newest row when the view does, so the bucketed series keeps following live bars', () => {
    const next = planStridedWindow(data, { from: 997_500, to: 1_000_000, stride: 1 }, { from: 990_000, to: 1_000_006 }, 16, opts)!;
    expect(next.to).toBe(1_000_000);
  });

  it('goes back to one candle a row when zoomed in again', () => {
    const wide = { from: 0, to: 1_000_000, stride: 1024 };
    const next = planStridedWindow(data, wide, { from: 500_000, to: 500_200 }, 1, opts)!;
    expect(next).toEqual({ from: 498_000, to: 502_200, stride: 1 });
  });
});

describe('BarStore.aggregate', () => {
  it('folds rows into one bar: first open, max high, min low, last close, summed volume, first time', () => {
    const s = new BarStore();
    s.set(100, makeRows(10, 6000, 60));
    expect(s.aggregate({ from: 102, to: 106 })).toEqual({ index: 105, time: 6120, open: 102, high: 107, low: 100, close: 106, volume: 3 + 4 + 5 + 6 });
    // Clipped to the held rows; one row is that row.
    expect(s.aggregate({ from: 90, to: 101 })).toEqual(s.bar(100));
    expect(s.aggregate({ from: 200, to: 300 })).toBeNull();
  });
});
