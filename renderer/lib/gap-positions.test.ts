import { describe, expect, it } from 'vitest';
import { BarStore } from './bar-store.js';
import { boundaryLogical, gapLabel, gapMarkers, gapRows, type GapRun } from './gap-positions.js';
import { makeRows } from './test-rows.js';
import { toAbs, type SeriesWindow } from './windowing.js';

const TF = 60;
const T0 = 1_700_000_000 - (1_700_000_000 % TF);
const LO = 1000;

/**
 * 100 one-minute rows at absolute indices [LO, LO + 100); `holes` maps a row offset k to the bars missing between
 * rows k - 1 and k (their times jump by that many minutes, as when the venue had no bars there).
 */
function storeWith(holes: Record<number, number>): BarStore {
  const rows = makeRows(100, T0, TF);
  let shift = 0;
  for (let k = 0; k < 100; k++) {
    shift += (holes[k] ?? 0) * TF;
    rows.time[k] = T0 + k * TF + shift;
  }
  const s = new BarStore();
  s.set(LO, rows);
  return s;
}

/** The recorded gap of `bars` missing bars just before row `LO + k` of `s`. */
function gapBefore(s: BarStore, k: number, bars: number, reason = 'the venue has no bars here (asked twice)'): GapRun {
  const end = s.time(LO + k);
  return { start: end - bars * TF, end, bars, reason };
}

const win = (from: number, to: number, stride = 1): SeriesWindow => ({ from, to, stride });

describe('gapRows', () => {
  const s = storeWith({ 40: 3 });

  it('finds the last bar before the gap and the first one after it', () => {
    expect(gapRows(s, gapBefore(s, 40, 3))).toEqual({ before: LO + 39, after: LO + 40 });
  });

  it('needs both bars held: a gap before the oldest row or after the newest one is not placed', () => {
    expect(gapRows(s, { start: T0 - 5 * TF, end: T0 })).toBeNull();
    const last = s.time(LO + 99);
    expect(gapRows(s, { start: last + TF, end: last + 4 * TF })).toBeNull();
    expect(gapRows(new BarStore(), { start: T0, end: T0 + TF })).toBeNull();
  });
});

describe('gapMarkers, one row a candle', () => {
  const s = storeWith({ 40: 3, 70: 1 });
  const gaps = [gapBefore(s, 70, 1, 'refetch failed: HTTP 500'), gapBefore(s, 40, 3)];

  it('puts a line between the two candles either side of each gap, left to right, with its bars and reason', () => {
    const w = win(LO + 10, LO + 100);
    const m = gapMarkers(s, w, gaps);
    expect(m.map((x) => [x.from, x.to, x.before, x.after, x.bars, x.gaps])).toEqual([
      [29.5, 29.5, LO + 39, LO + 40, 3, 1],
      [59.5, 59.5, LO + 69, LO + 70, 1, 1],
    ]);
    expect(m[1]!.reasons).toEqual(['refetch failed: HTTP 500']);
    expect([m[0]!.start, m[0]!.end]).toEqual([s.time(LO + 39) + TF, s.time(LO + 40)]);
    // The line sits halfway between the rows' own positions.
    expect(toAbs(w, m[0]!.from)).toBe(LO + 39.5);
  });

  it('draws nothing for gaps outside the window, or with a neighbour outside it', () => {
    expect(gapMarkers(s, win(LO + 41, LO + 69), gaps)).toEqual([]);
    // The window ends with the last bar before the gap (the first after it is not held) ...
    expect(gapMarkers(s, win(LO, LO + 40), gaps)).toEqual([]);
    // ... or starts with the first bar after it.
    expect(gapMarkers(s, win(LO + 40, LO + 70), gaps)).toEqual([]);
  });

  it('draws a gap whose neighbours are the first and last candles held', () => {
    const m = gapMarkers(s, win(LO + 39, LO + 41), gaps);
    expect(m.map((x) => [x.from, x.to])).toEqual([[0.5, 0.5]]);
  });

  it('draws nothing without a window or gaps', () => {
    expect(gapMarkers(s, null, gaps)).toEqual([]);
    expect(gapMarkers(s, win(LO, LO + 100), [])).toEqual([]);
  });
});

describe('gapMarkers, zoomed out into buckets', () => {
  const s = storeWith({ 42: 2, 44: 5, 46: 1, 80: 7 });
  const gaps = [gapBefore(s, 42, 2, 'a'), gapBefore(s, 44, 5, 'b'), gapBefore(s, 46, 1, 'a'), gapBefore(s, 80, 7, 'c')];

  it('marks the bucket holding a gap, and the boundary of two buckets for a gap between them', () => {
    // Stride 4, window rows [1006, 1100): buckets 251 .. 274, series logical 0 = bucket 251.
    const w = win(LO + 6, LO + 100, 4);
    const m = gapMarkers(s, w, gaps);
    // Rows 1041|1042 are both in bucket 260 (logical 9); 1043|1044 straddle buckets 260|261; 1045|1046 in bucket 261;
    // 1079|1080 straddle buckets 269|270.
    expect(m.map((x) => [x.from, x.to, x.bars, x.gaps])).toEqual([
      [9, 9, 2, 1],
      [9.5, 9.5, 5, 1],
      [10, 10, 1, 1],
      [18.5, 18.5, 7, 1],
    ]);
    expect(m.map((x) => x.reasons)).toEqual([['a'], ['b'], ['a'], ['c']]);
    // The marked bucket's centre is the centre of its rows.
    expect(toAbs(w, m[2]!.from)).toBe(1045.5);
  });

  it('merges the gaps that share a bucket into one marker', () => {
    const m = gapMarkers(s, win(LO, LO + 100, 16), gaps);
    // Rows 1041..1046 all lie in bucket 65 (rows 1040..1055): one marker, three gaps, eight bars. Series logical 0 is
    // bucket 62; rows 1079|1080 are both in bucket 67.
    expect(m.map((x) => [x.from, x.to, x.bars, x.gaps, x.before, x.after])).toEqual([
      [3, 3, 8, 3, LO + 41, LO + 46],
      [5, 5, 7, 1, LO + 79, LO + 80],
    ]);
    expect(m[0]!.reasons).toEqual(['a', 'b']);
    expect(gapLabel(m[0]!)).toBe('3 gaps · 8 bars');
  });

  it('leaves out a gap whose bucket is only partly held and lacks the bar before it', () => {
    // The window starts at row 1043, inside bucket 260 whose row 1041 (before the first gap) it does not hold.
    const m = gapMarkers(s, win(LO + 43, LO + 100, 4), gaps);
    expect(m.map((x) => x.before)).toEqual([LO + 43, LO + 45, LO + 79]);
  });
});

describe('gapMarkers, a recorded gap with bars inside it (a failed repair kept the live bars)', () => {
  const s = storeWith({});
  // Bars 1050 .. 1059 are held, but the run they are in is recorded as a gap.
  const gap: GapRun = { start: s.time(LO + 50), end: s.time(LO + 60), bars: 10, reason: 'repair failed: timeout' };

  it('spans the bars inside the gap', () => {
    expect(gapMarkers(s, win(LO, LO + 100), [gap]).map((x) => [x.from, x.to, x.before, x.after])).toEqual([[49.5, 59.5, LO + 49, LO + 60]]);
  });

  it('is clipped to the window when it is partly outside', () => {
    expect(gapMarkers(s, win(LO + 55, LO + 100), [gap]).map((x) => [x.from, x.to])).toEqual([[-0.5, 4.5]]);
    expect(gapMarkers(s, win(LO, LO + 53), [gap]).map((x) => [x.from, x.to])).toEqual([[49.5, 52.5]]);
    expect(gapMarkers(s, win(LO + 60, LO + 100), [gap])).toEqual([]);
  });
});

describe('boundaryLogical and gapLabel', () => {
  it('places row boundaries in buckets', () => {
    expect(boundaryLogical(win(10, 30), 12)).toBe(2.5);
    expect(boundaryLogical(win(8, 30, 4), 12)).toBe(1);
    expect(boundaryLogical(win(8, 30, 4), 11)).toBe(0.5);
  });

  it('counts bars and gaps', () => {
    expect(gapLabel({ bars: 42, gaps: 1 })).toBe('gap 42 bars');
    expect(gapLabel({ bars: 1, gaps: 1 })).toBe('gap 1 bar');
  });
});
