import type { BarRows } from '../../protocol/frames.js';
import type { Timeframe } from '../../protocol/types.js';
import type { MarketKind } from './markets.js';
import type { BinanceRest } from './rest.js';

/** Rows per klines request: spot's maximum (B2); USD-M allows 1500 but 1000 costs less weight per row (F2). */
export const KLINES_PER_REQUEST = 1000;

const PATH: Record<MarketKind, string> = { spot: '/api/v3/klines', usdtm: '/fapi/v1/klines' };
const INTERVAL: Record<Timeframe, string> = { 1: '1s', 60: '1m' };

export type HistoryRows = BarRows & { length: number };

export function emptyRows(): HistoryRows {
  const z = () => new Float64Array(0);
  return { time: z(), open: z(), high: z(), low: z(), close: z(), volume: z(), length: 0 };
}

/** USD-M futures have no 1 s candles (F2 lists 1m and up). */
export function hasCandles(kind: MarketKind, timeframe: Timeframe): boolean {
  return !(kind === 'usdtm' && timeframe === 1);
}

interface Chunk {
  time: number[];
  cols: number[][];
}

/**
 * Candles with open time < `endTime` (epoch s), ascending, at most `count`: fetched newest window first, then
 * backwards, `KLINES_PER_REQUEST` per request. Each request names its window with startTime and endTime (both
 * documented as open-time bounds), so no request depends on how the venue orders a one-sided range. An empty
 * window means there is nothing older (before the listing).
 */
export async function fetchHistory(rest: BinanceRest, kind: MarketKind, symbol: string, timeframe: Timeframe, endTime: number, count: number): Promise<HistoryRows> {
  if (!hasCandles(kind, timeframe) || count <= 0) return emptyRows();
  const tf = timeframe;
  let lastOpen = (Math.ceil(endTime / tf) - 1) * tf;
  let remaining = Math.floor(count);
  const chunks: Chunk[] = [];
  while (remaining > 0) {
    const limit = Math.min(KLINES_PER_REQUEST, remaining);
    const first = lastOpen - (limit - 1) * tf;
    const body = await rest.get(PATH[kind], { symbol, interval: INTERVAL[timeframe], startTime: first * 1000, endTime: lastOpen * 1000, limit });
    const chunk = parseKlines(body, first, lastOpen, `${symbol} ${INTERVAL[timeframe]}`);
    if (chunk.time.length === 0) break;
    chunks.push(chunk);
    remaining -= chunk.time.length;
    lastOpen = first - tf;
  }
  return assemble(chunks.reverse());
}

/** Rows of one klines answer inside [first, last] (epoch s), ascending; a malformed answer is an error. */
export function parseKlines(body: unknown, first: number, last: number, what: string): Chunk {
  if (!Array.isArray(body)) throw new Error(`klines ${what}: answer is not a list`);
  const out: Chunk = { time: [], cols: [[], [], [], [], []] };
  let prev = -Infinity;
  for (const row of body) {
    if (!Array.isArray(row) || row.length < 6 || typeof row[0] !== 'number') throw new Error(`klines ${what}: malformed row ${JSON.stringify(row).slice(0, 80)}`);
    const t = row[0] / 1000;
    const vals = [row[1], row[2], row[3], row[4], row[5]].map((v) => (typeof v === 'string' ? Number(v) : NaN));
    if (!Number.isInteger(t) || vals.some((v) => !Number.isFinite(v) || v < 0) || t <= prev) {
      throw new Error(`klines ${what}: malformed or unordered row ${JSON.stringify(row).slice(0, 80)}`);
    }
    prev = t;
    if (t < first || t > last) continue;
    out.time.push(t);
    for (let c = 0; c < 5; c++) out.cols[c]!.push(vals[c]!);
  }
  return out;
}

function assemble(chunks: Chunk[]): HistoryRows {
  const n = chunks.reduce((a, c) => a + c.time.length, 0);
  const rows = { time: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n), length: n };
  const cols = [rows.open, rows.high, rows.low, rows.close, rows.volume];
  let at = 0;
  for (const c of chunks) {
    rows.time.set(c.time, at);
    for (let k = 0; k < 5; k++) cols[k]!.set(c.cols[k]!, at);
    at += c.time.length;
  }
  return rows;
}
