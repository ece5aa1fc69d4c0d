import { isDecimal } from '../../protocol/decimal.js';
import { boolAt, decimalStringAt, intAt, scan } from './scan.js';

/**
 * Binance market-stream frames (exchange-protocols.md B1, F1) read into one reused `WireFrame`.
 *
 * The hot path is a spot `trade` event on a combined stream, in the documented field order:
 *   {"stream":"btcusdt@trade","data":{"e":"trade","E":…,"s":"BTCUSDT","t":…,"p":"…","q":"…","T":…,"m":…,"M":…}}
 * It is matched character by character against per-stream templates (no JSON.parse, no intermediate object,
 * no substrings). Every other frame, and any trade that deviates from the template in the slightest (another
 * field order, an extra field, whitespace, a number the scanner does not take), goes through JSON.parse and an
 * explicit shape check; what fails that is a reject with a reason, never a throw.
 */
export const F_REJECT = 0;
export const F_TRADE = 1;
export const F_QUOTE = 2;
/** `{"result":…,"id":…}`: a SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS answer. */
export const F_ACK = 3;
/** `{"code":…,"msg":…,"id":…}`: a control request the venue refused. */
export const F_ERROR = 4;
/** `serverShutdown`: the venue will close this connection soon. */
export const F_SHUTDOWN = 5;
export type FrameKind = typeof F_REJECT | typeof F_TRADE | typeof F_QUOTE | typeof F_ACK | typeof F_ERROR | typeof F_SHUTDOWN;

/** What the last parsed frame said. One instance is reused for every frame of a connection. */
export class WireFrame {
  kind: FrameKind = F_REJECT;
  /** Venue symbol, upper case (`BTCUSDT`). */
  symbol = '';
  /** Trade id (`t`, or `a` for aggTrade) or the book update id (`u`) of a quote. */
  id = 0;
  price = 0;
  size = 0;
  /** Trade time, or the quote's event time; 0 when the frame has none (spot bookTicker). */
  time = 0;
  buyerMaker = false;
  bid = 0;
  bidSize = 0;
  ask = 0;
  askSize = 0;
  reqId: string | number | null = null;
  code = 0;
  /** The venue's error message, or why the frame was rejected. */
  msg = '';
}

interface TradeTemplate {
  symbol: string;
  /** Everything up to the event time: `{"stream":"btcusdt@trade","data":{"e":"trade","E":`. */
  prefix: string;
  /** Between event time and trade id: `,"s":"BTCUSDT","t":`. */
  mid: string;
}

const COMBINED = '{"stream":"';

export class WireParser {
  private last: TradeTemplate | null = null;
  private readonly templates = new Map<string, TradeTemplate>();

  parse(raw: string, out: WireFrame): FrameKind {
    let t = this.last;
    if (t === null || !raw.startsWith(t.prefix)) t = this.templateFor(raw);
    if (t !== null && scanTrade(raw, t, out)) {
      this.last = t;
      return F_TRADE;
    }
    return parseSlow(raw, out);
  }

  /** The template for the trade stream this frame names, or null when it is not a combined `@trade` frame. */
  private templateFor(raw: string): TradeTemplate | null {
    if (!raw.startsWith(COMBINED)) return null;
    const end = raw.indexOf('"', COMBINED.length);
    if (end < 0 || end - COMBINED.length > 64) return null;
    const name = raw.slice(COMBINED.length, end);
    let t = this.templates.get(name);
    if (t === undefined) {
      if (!name.endsWith('@trade') || this.templates.size > 4096) return null;
      const symbol = name.slice(0, -'@trade'.length).toUpperCase();
      t = { symbol, prefix: `${COMBINED}${name}","data":{"e":"trade","E":`, mid: `,"s":"${symbol}","t":` };
      this.templates.set(name, t);
    }
    return raw.startsWith(t.prefix) ? t : null;
  }
}

/** The strict one-pass read of a templated trade frame; false means "not exactly this shape". */
function scanTrade(raw: string, t: TradeTemplate, out: WireFrame): boolean {
  const eventTime = intAt(raw, t.prefix.length);
  if (eventTime !== eventTime) return false;
  let i = scan.end;
  if (!raw.startsWith(t.mid, i)) return false;
  const id = intAt(raw, i + t.mid.length);
  if (id !== id || !raw.startsWith(',"p":"', scan.end)) return false;
  const price = decimalStringAt(raw, scan.end + 6);
  if (!(price > 0) || !raw.startsWith(',"q":"', scan.end)) return false;
  const size = decimalStringAt(raw, scan.end + 6);
  if (!(size > 0) || !raw.startsWith(',"T":', scan.end)) return false;
  const time = intAt(raw, scan.end + 5);
  if (time !== time || !raw.startsWith(',"m":', scan.end)) return false;
  const m = boolAt(raw, scan.end + 5);
  if (m < 0) return false;
  i = scan.end;
  // "M" is documented as "Ignore": accept its absence.
  if (raw.startsWith(',"M":', i)) {
    if (boolAt(raw, i + 5) < 0) return false;
    i = scan.end;
  }
  if (i + 2 !== raw.length || raw.charCodeAt(i) !== 125 || raw.charCodeAt(i + 1) !== 125) return false;
  out.kind = F_TRADE;
  out.symbol = t.symbol;
  out.id = id;
  out.price = price;
  out.size = size;
  out.time = time;
  out.buyerMaker = m === 1;
  return true;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isTime = (v: unknown): v is number => isId(v) && v > 0;
const isSymbol = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 40;

function reject(out: WireFrame, why: string): FrameKind {
  out.kind = F_REJECT;
  out.msg = why;
  return F_REJECT;
}

/** JSON.parse and check: everything that is not a templated trade frame. */
export function parseSlow(raw: string, out: WireFrame): FrameKind {
  let m: unknown;
  try {
    m = JSON.parse(raw);
  } catch {
    return reject(out, 'not JSON (malformed or truncated)');
  }
  if (!isObj(m)) return reject(out, 'not a JSON object');
  if ('stream' in m || 'data' in m) {
    if (typeof m.stream !== 'string' || !isObj(m.data)) return reject(out, 'combined frame without stream name or data object');
    return event(m.data, out);
  }
  if ('result' in m && 'id' in m) {
    out.kind = F_ACK;
    out.reqId = typeof m.id === 'string' || typeof m.id === 'number' ? m.id : null;
    return F_ACK;
  }
  if (typeof m.code === 'number' && typeof m.msg === 'string') {
    out.kind = F_ERROR;
    out.code = m.code;
    out.msg = m.msg;
    out.reqId = typeof m.id === 'string' || typeof m.id === 'number' ? m.id : null;
    return F_ERROR;
  }
  return event(m, out);
}

function event(d: Obj, out: WireFrame): FrameKind {
  switch (d.e) {
    case 'trade':
      return trade(d, d.t, out);
    case 'aggTrade':
      return trade(d, d.a, out);
    case 'bookTicker':
      return quote(d, out);
    case 'serverShutdown':
      out.kind = F_SHUTDOWN;
      out.time = isTime(d.E) ? d.E : 0;
      return F_SHUTDOWN;
    case undefined:
      // Spot bookTicker has no event type: it is known by its shape.
      if ('u' in d && 'b' in d && 'a' in d) return quote(d, out);
      return reject(out, 'unknown frame without an event type');
    default:
      return reject(out, `unknown event type ${JSON.stringify(d.e).slice(0, 40)}`);
  }
}

function positive(v: unknown): number {
  return isDecimal(v) ? Number(v) : NaN;
}

function trade(d: Obj, id: unknown, out: WireFrame): FrameKind {
  const price = positive(d.p);
  const size = positive(d.q);
  if (!isSymbol(d.s) || !isId(id) || !(price > 0) || !(size > 0) || !isTime(d.T) || typeof d.m !== 'boolean') {
    return reject(out, `${String(d.e)} frame with a missing or bad field`);
  }
  out.kind = F_TRADE;
  out.symbol = d.s;
  out.id = id;
  out.price = price;
  out.size = size;
  out.time = d.T;
  out.buyerMaker = d.m;
  return F_TRADE;
}

function quote(d: Obj, out: WireFrame): FrameKind {
  const bid = positive(d.b);
  const bidSize = positive(d.B);
  const ask = positive(d.a);
  const askSize = positive(d.A);
  // A side can be empty (price and size 0) on a thin book; negative or missing values are malformed.
  if (!isSymbol(d.s) || !isId(d.u) || !(bid >= 0 && bidSize >= 0 && ask >= 0 && askSize >= 0)) {
    return reject(out, 'bookTicker frame with a missing or bad field');
  }
  out.kind = F_QUOTE;
  out.symbol = d.s;
  out.id = d.u;
  out.bid = bid;
  out.bidSize = bidSize;
  out.ask = ask;
  out.askSize = askSize;
  out.time = isTime(d.T) ? d.T : isTime(d.E) ? d.E : 0;
  return F_QUOTE;
}
