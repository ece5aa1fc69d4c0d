import { describe, expect, it } from 'vitest';
import { BarStore, unionSpan } from './bar-store.js';
import { makeRows } from './test-rows.js';

describe('BarStore', () => {
  it('holds a snapshot at its absolute indices', () => {
    const s = new BarStore();
    expect(s.set(1000, makeRows(5, 60_000, 60))).toEqual({ from: 1000, to: 1005 });
    expect([s.lo, s.hi, s.length]).toEqual([1000, 1005, 5]);
    expect(s.bar(1002)).toEqual({ index: 1002, time: 60_120, open: 102, high: 104, low: 100, close: 103, volume: 3 });
    expect(s.bar(999)).toBeNull();
    expect(s.bar(1005)).toBeNull();
    expect(s.lastBar()?.time).toBe(60_240);
  });

  it('overwrites the mutable tail and appends new rows (idempotent updates)', () => {
    const s = new BarStore();
    s.set(10, makeRows(4, 0, 1));
    // The host re-sends its last two rows with new values and one new row.
    const upd = makeRows(3, 2, 1, 50);
    s.set(12, upd);
    expect([s.lo, s.hi]).toEqual([10, 15]);
    expect(s.get('close', 11)).toBe(102); // untouched
    expect(s.get('close', 12)).toBe(151);
    expect(s.get('close', 14)).toBe(153);
    // Same frame again: same result.
    s.set(12, upd);
    expect(s.get('close', 14)).toBe(153);
    expect(s.length).toBe(5);
  });

  it('grows on both sides, keeping rows in place', () => {
    const s = new BarStore();
    s.set(5000, makeRows(10, 5000, 1));
    for (let k = 0; k < 3000; k++) s.set(5010 + k, makeRows(1, 5010 + k, 1, 10 + k));
    s.set(4000, makeRows(1000, 4000, 1, -1000));
    expect([s.lo, s.hi]).toEqual([4000, 8010]);
    for (let i = 4000; i < 8010; i++) expect(s.time(i)).toBe(i);
    expect(s.get('open', 4000)).toBe(100 - 1000);
    expect(s.get('open', 8009)).toBe(100 + 3009);
  });

  it('stays near 48 bytes per bar for a large snapshot', () => {
    const s = new BarStore();
    s.set(0, makeRows(1_000_000, 0, 60));
    expect(s.allocatedBytes / s.length).toBeLessThan(49);
  });

  it('reserves room for history so paging it in does not reallocate', () => {
    const s = new BarStore();
    s.set(900_000, makeRows(1000, 900_000, 1));
    s.reserve(0, 901_000);
    const bytes = s.allocatedBytes;
    for (let from = 800_000; from >= 0; from -= 100_000) s.set(from, makeRows(100_000, from, 1));
    s.set(900_000, makeRows(1000, 900_000, 1));
    expect([s.lo, s.hi]).toEqual([0, 901_000]);
    expect(s.allocatedBytes).toBe(bytes);
    expect(s.allocatedBytes / s.length).toBeLessThan(49);
    expect(s.time(123_456)).toBe(123_456);
    expect(s.get('close', 900_999)).toBe(100 + 999 + 1);
  });

  it('replaces its rows on a write that would leave a hole', () => {
    const s = new BarStore();
    s.set(100, makeRows(10, 100, 1));
    const gen = s.generation;
    s.set(200, makeRows(3, 200, 1));
    expect([s.lo, s.hi]).toEqual([200, 203]);
    expect(s.generation).toBe(gen + 1);
    s.set(50, makeRows(10, 50, 1)); // ends at 60 < 200: a hole again
    expect([s.lo, s.hi]).toEqual([50, 60]);
    // Adjacent writes are not holes.
    s.set(60, makeRows(5, 60, 1));
    s.set(45, makeRows(5, 45, 1));
    expect([s.lo, s.hi]).toEqual([45, 65]);
  });

  it('clears', () => {
    const s = new BarStore();
    s.set(0, makeRows(3, 0, 1));
    s.clear();
    expect(s.length).toBe(0);
    expect(s.lastBar()).toBeNull();
    s.set(7, makeRows(2, 7, 1));
    expect([s.lo, s.hi]).toEqual([7, 9]);
  });

  it('gives views clipped to the rows held', () => {
    const s = new BarStore();
    s.set(10, makeRows(10, 0, 60));
    const v = s.view({ from: 5, to: 13 });
    expect([v.from, v.to]).toEqual([10, 13]);
    expect(Array.from(v.time)).toEqual([0, 60, 120]);
    expect(Array.from(v.close)).toEqual([101, 102, 103]);
    expect(s.view({ from: 30, to: 40 }).time.length).toBe(0);
  });

  it('finds the row at or before a time', () => {
    const s = new BarStore();
    s.set(0, makeRows(100, 1000, 60));
    expect(s.indexAtOrBefore(999)).toBe(-1);
    expect(s.indexAtOrBefore(1000)).toBe(0);
    expect(s.indexAtOrBefore(1059)).toBe(0);
    expect(s.indexAtOrBefore(1060)).toBe(1);
    expect(s.indexAtOrBefore(1000 + 99 * 60 + 30)).toBe(99);
    expect(s.indexAtOrBefore(1e12)).toBe(99);
    expect(new BarStore().indexAtOrBefore(5)).toBe(-1);
  });

  it('accepts partial column arrays (count below the arrays length)', () => {
    const s = new BarStore();
    s.set(0, makeRows(10, 0, 1), 4);
    expect(s.length).toBe(4);
    expect(s.get('close', 3)).toBe(104);
  });
});

describe('unionSpan', () => {
  it('covers both spans', () => {
    expect(unionSpan(null, { from: 1, to: 2 })).toEqual({ from: 1, to: 2 });
    expect(unionSpan({ from: 5, to: 9 }, { from: 1, to: 6 })).toEqual({ from: 1, to: 9 });
  });
});
