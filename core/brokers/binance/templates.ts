import { F_QUOTE, F_REJECT, F_TRADE, type FrameKind, type WireFrame } from './frame.js';
import { boolAt, decimalStringAt, intAt, keyAt, scan, stringKeyAt } from '../net/json-scan.js';

/**
 * Per-stream templates for the two frames Binance sends most, and their strict one-pass scans. A scan returns
 * F_REJECT for anything not exactly the documented shape, and the caller then takes the JSON.parse path: a
 * template only has to be right for what it accepts.
 */
export const COMBINED = '{"stream":"';

export interface Template {
  kind: typeof F_TRADE | typeof F_QUOTE;
  symbol: string;
  /** Everything up to the first number: `{"stream":"btcusdt@trade","data":{"e":"trade","E":`. */
  prefix: string;
  /** After the first number, up to the next field: `,"s":"BTCUSDT","t":` (trade), `,"s":"BTCUSDT"` (book). */
  mid: string;
}

export function makeTemplate(stream: string): Template | null {
  const at = stream.lastIndexOf('@');
  if (at <= 0) return null;
  const symbol = stream.slice(0, at).toUpperCase();
  const data = `${COMBINED}${stream}","data":{`;
  switch (stream.slice(at + 1)) {
    case 'trade':
      return { kind: F_TRADE, symbol, prefix: `${data}"e":"trade","E":`, mid: `,"s":"${symbol}","t":` };
    case 'bookTicker':
      // The spot shape (B1): no event type or time. USD-M's has both and takes the JSON.parse path.
      return { kind: F_QUOTE, symbol, prefix: `${data}"u":`, mid: `,"s":"${symbol}"` };
    default:
      return null;
  }
}

export function scanTemplate(raw: string, t: Template, out: WireFrame): FrameKind {
  return (t.kind === F_TRADE ? scanTrade(raw, t, out) : scanBook(raw, t, out)) ? t.kind : F_REJECT;
}

const CH = { p: 112, q: 113, T: 84, m: 109, M: 77, b: 98, B: 66, a: 97, A: 65 } as const;

/** `}}` exactly at the end: the event and the combined wrapper close, nothing follows. */
function closesAt(raw: string, i: number): boolean {
  return i + 2 === raw.length && raw.charCodeAt(i) === 125 && raw.charCodeAt(i + 1) === 125;
}

/** `,"K":"<decimal>"` at `i`: the decimal, or NaN; `scan.end` is past its closing quote. */
function decimalFieldAt(raw: string, i: number, key: number): number {
  return stringKeyAt(raw, i, key) ? decimalStringAt(raw, i + 6) : NaN;
}

function scanTrade(raw: string, t: Template, out: WireFrame): boolean {
  const eventTime = intAt(raw, t.prefix.length);
  if (eventTime !== eventTime || !raw.startsWith(t.mid, scan.end)) return false;
  const id = intAt(raw, scan.end + t.mid.length);
  if (id !== id) return false;
  const price = decimalFieldAt(raw, scan.end, CH.p);
  if (!(price > 0)) return false;
  const size = decimalFieldAt(raw, scan.end, CH.q);
  if (!(size > 0) || !keyAt(raw, scan.end, CH.T)) return false;
  const time = intAt(raw, scan.end + 5);
  if (time !== time || !keyAt(raw, scan.end, CH.m)) return false;
  const m = boolAt(raw, scan.end + 5);
  if (m < 0) return false;
  // "M" is documented as "Ignore": accept its absence.
  if (keyAt(raw, scan.end, CH.M) && boolAt(raw, scan.end + 5) < 0) return false;
  if (!closesAt(raw, scan.end)) return false;
  out.kind = F_TRADE;
  out.symbol = t.symbol;
  out.id = id;
  out.price = price;
  out.size = size;
  out.time = time;
  out.buyerMaker = m === 1;
  return true;
}

function scanBook(raw: string, t: Template, out: WireFrame): boolean {
  const u = intAt(raw, t.prefix.length);
  if (u !== u || !raw.startsWith(t.mid, scan.end)) return false;
  const bid = decimalFieldAt(raw, scan.end + t.mid.length, CH.b);
  const bidSize = bid === bid ? decimalFieldAt(raw, scan.end, CH.B) : NaN;
  const ask = bidSize === bidSize ? decimalFieldAt(raw, scan.end, CH.a) : NaN;
  const askSize = ask === ask ? decimalFieldAt(raw, scan.end, CH.A) : NaN;
  if (askSize !== askSize || !closesAt(raw, scan.end)) return false;
  out.kind = F_QUOTE;
  out.symbol = t.symbol;
  out.id = u;
  out.bid = bid;
  out.bidSize = bidSize;
  out.ask = ask;
  out.askSize = askSize;
  out.time = 0;
  return true;
}
