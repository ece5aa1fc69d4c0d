import { describe, expect, it } from 'vitest';
import { logReturnText, overlayFactor } from './log-returns.js';

describe('log-returns axis text', () => {
  it('reads 100·ln(p / base) with a sign', () => {
    expect(logReturnText(110, 100)).toBe('+9.53%');
    expect(logReturnText(90, 100)).toBe('-10.54%');
    // +10% then -10% is a loss: ln(0.99) = -1.005%.
    expect(logReturnText(99, 100)).toBe('-1.01%');
    expect(logReturnText(100 * Math.E, 100)).toBe('+100.00%');
  });

  it('reads exactly 0 at the base, never "-0.00%"', () => {
    expect(logReturnText(100, 100)).toBe('0.00%');
    expect(logReturnText(99.99999, 100)).toBe('0.00%');
  });

  it('says nothing without a positive base and price', () => {
    expect(logReturnText(100, null)).toBe('');
    expect(logReturnText(100, 0)).toBe('');
    expect(logReturnText(0, 100)).toBe('');
    expect(logReturnText(Number.NaN, 100)).toBe('');
  });
});

describe('overlay factor', () => {
  it('puts the overlay close at the reference on the main close there', () => {
    const f = overlayFactor(60_000, 3_000, 2_500, 55_000)!;
    expect(3_000 * f).toBeCloseTo(60_000, 9);
    // Equal log returns stay equal distances: an overlay +5% lands where the main +5% would.
    expect(logReturnText(3_150 * f, 60_000)).toBe(logReturnText(63_000, 60_000));
  });

  it('anchors an overlay that starts after the reference at its own first bar', () => {
    const f = overlayFactor(60_000, null, 2_500, 55_000)!;
    expect(2_500 * f).toBeCloseTo(55_000, 9);
  });

  it('gives no factor without positive prices to anchor on', () => {
    expect(overlayFactor(60_000, 0, 2_500, 55_000)).toBeNull();
    expect(overlayFactor(60_000, null, 2_500, null)).toBeNull();
    expect(overlayFactor(0, 3_000, 2_500, 55_000)).toBeNull();
  });
});
