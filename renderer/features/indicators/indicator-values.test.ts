import { describe, expect, it } from 'vitest';
import { IndicatorValues } from './indicator-values.js';

describe('IndicatorValues', () => {
  it('takes a full array as is, then writes ticks and appended rows in place', () => {
    const v = new IndicatorValues();
    expect(v.get(0)).toBeNaN();
    const full = new Float64Array([1, 2, 3]);
    v.replace(10, full);
    expect([v.lo, v.hi, v.get(9), v.get(10), v.get(12), v.get(13)]).toEqual([10, 13, NaN, 1, 3, NaN]);
    v.write(12, new Float64Array([30, 40]));
    expect([v.hi, v.get(12), v.get(13)]).toEqual([14, 30, 40]);
    expect(v.get(10)).toBe(1);
  });

  it('drops values before the held rows and leaves NaN in a gap after them', () => {
    const v = new IndicatorValues();
    v.replace(10, new Float64Array([1, 2]));
    v.write(8, new Float64Array([7, 8, 9]));
    expect([v.lo, v.get(8), v.get(10)]).toEqual([10, NaN, 9]);
    v.write(15, new Float64Array([5]));
    expect([v.get(11), v.get(12), v.get(14), v.get(15), v.hi]).toEqual([2, NaN, NaN, 5, 16]);
  });

  it('grows past its slack and starts over after clear', () => {
    const v = new IndicatorValues();
    v.write(100, new Float64Array([1]));
    for (let i = 101; i < 5000; i++) v.write(i, new Float64Array([i]));
    expect([v.lo, v.hi, v.get(100), v.get(4999)]).toEqual([100, 5000, 1, 4999]);
    v.clear();
    expect([v.lo, v.hi, v.get(100)]).toEqual([0, 0, NaN]);
  });
});
