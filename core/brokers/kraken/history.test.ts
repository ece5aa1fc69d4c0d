import { describe, expect, it } from 'vitest';
import { ohlcHistory, ohlcPage, parseOhlcRow } from './history.js';

// The OHLC example reproduced by third parties (K6).
const DOC = { XXBTZUSD: [[1688671200, '30306.1', '30306.2', '30305.7', '30305.7', '30306.1', '3.39243896', 23], [1688671260, '30304.5', '30304.5', '30300.0', '30300.0', '30300.0', '4.42996871', 18]], last: 1688672160 };

function row(t: number, px: number): unknown[] {
  return [t, String(px), String(px + 1), String(px - 1), String(px), String(px), '1.00000000', 3];
}

describe('kraken OHLC history', () => {
  it('reads the documented result keyed by the pair key', () => {
    const page = ohlcPage(DOC, 'XXBTZUSD');
    expect(page.last).toBe(1688672160);
    expect(parseOhlcRow(page.rows[1])).toEqual({ time: 1688671260, open: 30304.5, high: 30304.5, low: 30300, close: 30300, volume: 4.42996871 });
    expect(parseOhlcRow([1, 'x', '1', '1', '1', '1', '1', 1])).toBeNull();
    expect(() => ohlcPage({ XETHZUSD: [], XXBTZUSD: [], last: 1 }, 'XLTCZUSD')).toThrow(/no rows for XLTCZUSD/);
  });

  it('asks from endTime - count minutes and follows the forward `last` cursor until endTime', async () => {
    const asked: number[] = [];
    const rejected: string[] = [];
    // A venue that answers at most 3 rows per call, from since (exclusive), with a bad row in the second page.
    const pages = new Map<number, unknown>([
      [6_000 - 660, { XXBTZUSD: [row(5_400, 1), row(5_460, 2), row(5_520, 3)], last: 5_520 }],
      [5_520, { XXBTZUSD: [row(5_520, 3), row(5_580, 4), ['bad'], row(5_640, 5)], last: 5_640 }],
      [5_640, { XXBTZUSD: [row(5_700, 6), row(5_760, 7), row(6_000, 8)], last: 5_760 }],
    ]);
    const rows = await ohlcHistory(
      { pairKey: 'XXBTZUSD', fetch: async (since) => (asked.push(since), pages.get(since) ?? { XXBTZUSD: [], last: since }), reject: (w) => rejected.push(w) },
      6_000,
      10,
    );
    expect(asked).toEqual([5_340, 5_520, 5_640]);
    expect(Array.from(rows.time)).toEqual([5_400, 5_460, 5_520, 5_580, 5_640, 5_700, 5_760]);
    expect(Array.from(rows.close)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(rejected).toHaveLength(1);
  });

  it('keeps the newest `count` rows and stops when the cursor does not move', async () => {
    let calls = 0;
    const rows = await ohlcHistory(
      { pairKey: 'XXBTZUSD', fetch: async () => (calls++, { XXBTZUSD: [row(60, 1), row(120, 2), row(180, 3)], last: 0 }), reject: () => {} },
      300,
      3,
    );
    expect(calls).toBe(1);
    expect(Array.from(rows.time)).toEqual([120, 180]);
    expect(rows.length).toBe(2);
  });
});
