import { describe, expect, it } from 'vitest';
import { OhlcBuffer, allocRows, rowAt } from './ohlc-buffer.js';
import { applyTrade, newWriteStats, stepTo } from './ohlc-writer.js';

function lastRows(buf: OhlcBuffer, n: number) {
  const out = allocRows(n);
  buf.readRows(buf.last - n, buf.last, out);
  return Array.from({ length: n }, (_, i) => rowAt(out, i));
}

describe('folding trades into bars', () => {
  it('opens an untraded bar at its first trade and tracks H, L, C, V', () => {
    const buf = OhlcBuffer.create({ capacity: 100, origin: 0, timeframe: 60 });
    const st = newWriteStats();
    buf.beginWrite();
    applyTrade(buf, 120.5, 100, 1, st);
    applyTrade(buf, 130, 103, 2, st);
    applyTrade(buf, 170, 99, 0.5, st);
    applyTrade(buf, 179.9, 101, 1, st);
    buf.endWrite();
    expect(lastRows(buf, 1)).toEqual([{ time: 120, open: 100, high: 103, low: 99, close: 101, volume: 4.5 }]);
    expect(st.trades).toBe(4);
  });

  it('steps flat rows at the previous close, then the first trade resets O=H=L=C', () => {
    const buf = OhlcBuffer.create({ capacity: 100, origin: 0, timeframe: 1 });
    const st = newWriteStats();
    buf.beginWrite();
    applyTrade(buf, 10.2, 5, 1, st);
    stepTo(buf, 12);
    applyTrade(buf, 12.7, 7, 2, st);
    buf.endWrite();
    expect(lastRows(buf, 3)).toEqual([
      { time: 10, open: 5, high: 5, low: 5, close: 5, volume: 1 },
      { time: 11, open: 5, high: 5, low: 5, close: 5, volume: 0 },
      { time: 12, open: 7, high: 7, low: 7, close: 7, volume: 2 },
    ]);
  });

  it('fills a gap when a trade arrives before the step, and counts trades too late to fold in', () => {
    const buf = OhlcBuffer.create({ capacity: 100, origin: 0, timeframe: 1 });
    const st = newWriteStats();
    buf.beginWrite();
    applyTrade(buf, 1, 10, 1, st);
    applyTrade(buf, 4, 11, 1, st);
    applyTrade(buf, 3.5, 12, 1, st); // the row before the last is still mutable
    applyTrade(buf, 1.5, 13, 1, st); // older than the mutable tail
    buf.endWrite();
    expect(buf.length).toBe(4);
    expect(lastRows(buf, 2).map((r) => [r.time, r.close, r.volume])).toEqual([
      [3, 12, 1],
      [4, 11, 1],
    ]);
    expect(st.late).toBe(1);
  });

  it('counts trades that find the buffer full instead of dropping them silently', () => {
    const buf = OhlcBuffer.create({ capacity: 2, origin: 0, timeframe: 1 });
    const st = newWriteStats();
    buf.beginWrite();
    applyTrade(buf, 1, 1, 1, st);
    applyTrade(buf, 2, 1, 1, st);
    applyTrade(buf, 3, 1, 1, st);
    buf.endWrite();
    expect(st.overflow).toBe(1);
  });
});
