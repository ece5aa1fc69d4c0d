import type { BarRows } from '../../protocol/frames.js';
import { allocRows } from '../../data/ohlc-buffer.js';

/**
 * 1-minute history from `GET /0/public/OHLC` (K6). Kraken keeps only the newest 720 candles per interval and its
 * `since` cursor pages forward (towards now), never backwards. So history(endTime, count) asks once from
 * `since = endTime - count*60 - 60` (one row early: `since` is inclusive or exclusive depending on whom you ask;
 * rows are de-duplicated by time) and follows the `last` cursor forward until the rows reach endTime. A window
 * that starts before the newest 720 candles simply starts later: an endTime older than that gives no rows,
 * which tells the feed its backfill is done. The final row is the current, still-open candle: it is kept when it
 * is older than endTime (the feed asks for bars up to its first live tick).
 */
export type OhlcRow = [number, string, string, string, string, string, string, number];

export type Rows = BarRows & { length: number };

export const OHLC_MAX_ROWS = 720;
/** Forward pages followed at most per call: 720 rows each, far more than the venue keeps. */
const MAX_PAGES = 4;

export interface OhlcPage {
  rows: unknown[];
  last: number | null;
}

/** Picks our pair's rows out of an OHLC result keyed by the pair key (`XXBTZUSD`), whatever we asked with. */
export function ohlcPage(result: unknown, pairKey: string): OhlcPage {
  if (!result || typeof result !== 'object') throw new Error('OHLC result is not an object');
  const r = result as Record<string, unknown>;
  const keys = Object.keys(r).filter((k) => k !== 'last');
  const key = keys.includes(pairKey) ? pairKey : keys.length === 1 ? keys[0]! : null;
  if (key === null) throw new Error(`OHLC result has no rows for ${pairKey} (keys ${keys.join(', ')})`);
  const rows = r[key];
  if (!Array.isArray(rows)) throw new Error(`OHLC rows for ${key} are not an array`);
  const last = typeof r.last === 'number' ? r.last : typeof r.last === 'string' && /^\d+$/.test(r.last) ? Number(r.last) : null;
  return { rows, last };
}

interface Bar {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** One OHLC row, or null when it is not `[int time, "o", "h", "l", "c", "vwap", "volume", int count]`. */
export function parseOhlcRow(row: unknown): Bar | null {
  if (!Array.isArray(row) || row.length < 7 || !Number.isInteger(row[0])) return null;
  const n = (i: number) => (typeof row[i] === 'string' ? Number(row[i]) : NaN);
  const bar = { time: row[0] as number, open: n(1), high: n(2), low: n(3), close: n(4), volume: n(6) };
  for (const v of [bar.open, bar.high, bar.low, bar.close, bar.volume]) if (!Number.isFinite(v)) return null;
  return bar;
}

export interface OhlcSource {
  /** One OHLC call (`since` in epoch s): the venue's result object. */
  fetch(since: number): Promise<unknown>;
  pairKey: string;
  /** A row that does not parse: counted and logged by the owner. */
  reject(what: string): void;
}

export async function ohlcHistory(src: OhlcSource, endTime: number, count: number): Promise<Rows> {
  const from = endTime - count * 60;
  const bars = new Map<number, Bar>();
  let since = from - 60;
  for (let page = 0; page < MAX_PAGES; page++) {
    const { rows, last } = ohlcPage(await src.fetch(since), src.pairKey);
    let newest = -Infinity;
    for (const raw of rows) {
      const bar = parseOhlcRow(raw);
      if (!bar) {
        src.reject(`OHLC row ${JSON.stringify(raw).slice(0, 120)}`);
        continue;
      }
      newest = Math.max(newest, bar.time);
      if (bar.time >= from && bar.time < endTime) bars.set(bar.time, bar);
    }
    // Done when the rows reached endTime, the venue had nothing newer, or its cursor stopped moving.
    if (newest + 60 >= endTime || rows.length === 0 || last === null || last <= since) break;
    since = last;
  }
  const sorted = [...bars.values()].sort((a, b) => a.time - b.time).slice(-count);
  const out = allocRows(sorted.length) as Rows;
  out.length = sorted.length;
  sorted.forEach((b, i) => {
    out.time[i] = b.time;
    out.open[i] = b.open;
    out.high[i] = b.high;
    out.low[i] = b.low;
    out.close[i] = b.close;
    out.volume[i] = b.volume;
  });
  return out;
}

export function emptyRows(): Rows {
  const out = allocRows(0) as Rows;
  out.length = 0;
  return out;
}
