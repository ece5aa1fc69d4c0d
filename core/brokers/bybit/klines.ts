import { allocRows } from '../../data/ohlc-buffer.js';
import { isDecimal } from '../../protocol/decimal.js';
import { COLUMNS, type BarRows, type Column } from '../../protocol/frames.js';
import type { Category } from './names.js';
import type { BybitRest } from './rest.js';

export type Rows = BarRows & { length: number };

/** Bybit's row limit per kline request. */
export const KLINE_PAGE_MAX = 1000;

/** Candles (ascending) as the column rows the feed prepends. */
function toRows(candles: readonly Candle[]): Rows {
  const rows = allocRows(candles.length) as Rows;
  rows.length = candles.length;
  candles.forEach((candle, i) => {
    for (const col of COLUMNS) rows[col][i] = candle[col];
  });
  return rows;
}

export function emptyRows(): Rows {
  return toRows([]);
}

type Candle = Record<Column, number>;

/** One kline row (`[startMs, open, high, low, close, volume, turnover]`, all strings); throws on a malformed one. */
function parseRow(row: unknown): Candle {
  if (!Array.isArray(row) || row.length < 6 || !row.slice(0, 6).every(isDecimal)) {
    throw new Error(`bybit kline: malformed row ${JSON.stringify(row)?.slice(0, 120)}`);
  }
  const [t, open, high, low, close, volume] = (row as string[]).map(Number) as [number, number, number, number, number, number];
  if (!Number.isSafeInteger(t) || t % 60_000 !== 0 || ![open, high, low, close].every((x) => x > 0 && x < Infinity) || !(volume >= 0 && volume < Infinity)) {
    throw new Error(`bybit kline: bad values in row ${JSON.stringify(row).slice(0, 120)}`);
  }
  return { time: t / 1000, open, high, low, close, volume };
}

/**
 * 1 m candles with start < `endTime` (epoch s), ascending, at most `count`. Bybit pages newest-first (up to 1000
 * rows a request, sorted by start time descending), so the newest page comes first and each further request
 * ends just before the oldest row so far. A short page means the listing's start was reached.
 */
export async function minuteBars(
  rest: BybitRest,
  category: Category,
  symbol: string,
  endTime: number,
  count: number,
  pageMax = KLINE_PAGE_MAX,
): Promise<Rows> {
  const byTime = new Map<number, Candle>();
  let endMs = endTime * 1000 - 1;
  while (byTime.size < count) {
    const limit = Math.min(pageMax, count - byTime.size);
    const result = await rest.get('/v5/market/kline', { category, symbol, interval: '1', end: endMs, limit });
    const list = result.list;
    if (!Array.isArray(list)) throw new Error(`bybit kline: reply without a list for ${category} ${symbol}`);
    let oldest = Infinity;
    for (const row of list) {
      const c = parseRow(row);
      // Only what we asked for: a venue that ignores `end` must not put newer bars into an older page.
      if (c.time * 1000 > endMs || byTime.size >= count) continue;
      byTime.set(c.time, c);
      oldest = Math.min(oldest, c.time);
    }
    if (oldest === Infinity || list.length < limit) break;
    endMs = oldest * 1000 - 1;
  }
  return toRows([...byTime.values()].sort((a, b) => a.time - b.time));
}
