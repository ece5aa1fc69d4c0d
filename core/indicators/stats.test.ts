import { describe, expect, it } from 'vitest';
import { barsOf } from './bars.test-util.js';
import { rangeStats } from './stats.js';

describe('rangeStats', () => {
  // closes 10, 12, 9, 11; highs +1, lows -2
  const b = barsOf([10, 12, 9, 11], { high: [11, 13, 10, 12], low: [8, 10, 7, 9] });

  it('change %, range, count, max, min and sigma of the closes (by hand)', () => {
    const s = rangeStats(b, 0, 3)!;
    expect(s.bars).toBe(4);
    expect(s.changePct).toBeCloseTo(10, 12); // 10 -> 11
    expect(s.range).toBe(13 - 7);
    expect([s.high, s.low, s.max, s.min]).toEqual([13, 7, 12, 9]);
    // mean 10.5; squared deviations 0.25 + 2.25 + 2.25 + 0.25 = 5; population variance 1.25
    expect(s.sigma).toBeCloseTo(Math.sqrt(1.25), 12);
  });

  it('takes the ends in either order and clips them to the bars', () => {
    expect(rangeStats(b, 2, 1)).toMatchObject({ first: 1, last: 2, bars: 2, changePct: -25 });
    expect(rangeStats(b, -5, 99)).toMatchObject({ first: 0, last: 3, bars: 4 });
    expect(rangeStats(b, 2, 2)).toMatchObject({ bars: 1, changePct: 0, sigma: 0, range: 3 });
    expect(rangeStats(b, 7, 9)).toBeNull();
  });

  it('keeps its digits on large prices', () => {
    const close = Array.from({ length: 100_000 }, (_, i) => 50_000 + (i % 2 ? 0.5 : -0.5));
    expect(rangeStats(barsOf(close), 0, close.length - 1)!.sigma).toBeCloseTo(0.5, 9);
  });
});
