import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';
import { BarStore } from './bar-store.js';
import { LatencyLog, percentile } from './latency-log.js';
import { timeToLogical, visibleTimeSpan } from './linked-range.js';
import { liveness, STALE_AFTER_MS } from './liveness.js';
import { makeRows } from './test-rows.js';

describe('backoffDelay', () => {
  const noJitter = { baseMs: 250, maxMs: 5000, jitter: 0 };
  it('doubles up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 10].map((a) => backoffDelay(a, noJitter))).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000]);
  });
  it('jitters within the band', () => {
    const opts = { baseMs: 1000, maxMs: 5000, jitter: 0.2 };
    expect(backoffDelay(1, opts, () => 0)).toBe(800);
    expect(backoffDelay(1, opts, () => 1)).toBe(1200);
  });
});

describe('LatencyLog', () => {
  it('keeps the newest values, trimming in bulk', () => {
    const log = new LatencyLog(10);
    for (let i = 0; i < 25; i++) log.push(i);
    expect(log.values.length).toBeLessThanOrEqual(20);
    expect(log.values.at(-1)).toBe(24);
    expect(log.values.slice(-10)).toEqual([15, 16, 17, 18, 19, 20, 21, 22, 23, 24]);
  });
  it('computes nearest-rank percentiles', () => {
    const v = [5, 1, 4, 2, 3];
    expect(percentile(v, 50)).toBe(3);
    expect(percentile(v, 100)).toBe(5);
    expect(percentile(v, 0)).toBe(1);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('liveness', () => {
  it('is live while ticks are recent, stale after the threshold', () => {
    expect(liveness(10_000, 9_000, true)).toBe('live');
    expect(liveness(10_000 + STALE_AFTER_MS + 1, 10_000, true)).toBe('stale');
    expect(liveness(10_000, null, null)).toBe('waiting');
    expect(liveness(10_000, 9_999, false)).toBe('down');
  });
});

describe('linked range', () => {
  // Slow chart: 1 m bars at indices 100..109 starting at t=6000.
  const slow = new BarStore();
  slow.set(100, makeRows(10, 6000, 60));
  // Fast chart: 1 s bars at indices 0..599 starting at t=6000 (ten minutes).
  const fast = new BarStore();
  fast.set(0, makeRows(600, 6000, 1));

  it('maps a time into a slow bar, proportionally within it', () => {
    expect(timeToLogical(slow, 60, 6000)).toBe(99.5); // left edge of bar 100
    expect(timeToLogical(slow, 60, 6030)).toBe(100); // its centre
    expect(timeToLogical(slow, 60, 6000 + 9 * 60 + 60)).toBe(109.5); // right edge of the newest
    expect(timeToLogical(slow, 60, 10)).toBe(99.5); // before the data: clamped
    expect(timeToLogical(new BarStore(), 60, 0)).toBeNull();
  });

  it('turns the fast chart visible logical range into times, ignoring the empty right offset', () => {
    expect(visibleTimeSpan(fast, 1, { from: 119.5, to: 239.5 })).toEqual({ from: 6120, to: 6240 });
    expect(visibleTimeSpan(fast, 1, { from: 500 - 0.5, to: 620 })).toEqual({ from: 6500, to: 6600 });
    expect(visibleTimeSpan(fast, 1, { from: 700, to: 800 })).toBeNull();
  });
});
