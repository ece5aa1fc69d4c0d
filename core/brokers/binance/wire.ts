import { isDecimal } from '../../protocol/decimal.js';
import { F_ACK, F_ERROR, F_QUOTE, F_REJECT, F_SHUTDOWN, F_TRADE, WireFrame, type FrameKind } from './frame.js';
import { COMBINED, makeTemplate, scanTemplate, type Template } from './templates.js';

export * from './frame.js';

/**
 * Binance market-stream frames (exchange-protocols.md B1, F1) read into one reused `WireFrame`.
 *
 * The hot paths are spot `trade` and `bookTicker` events on a combined stream, in the documented field order:
 *   {"stream":"btcusdt@trade","data":{"e":"trade","E":…,"s":"BTCUSDT","t":…,"p":"…","q":"…","T":…,"m":…,"M":…}}
 * They are matched character by character against per-stream templates (templates.ts: no JSON.parse, no
 * intermediate object, no substrings). Every other frame, and any frame that deviates from its template in the
 * slightest (another field order, an extra field, whitespace, a number the scanner does not take), goes through
 * JSON.parse and an explicit shape check; what fails that is a reject with a reason, never a throw.
 */
export class WireParser {
  /** The two templates used last: a symbol's trades and quotes interleave, so both stay at hand. */
  private last: Template | null = null;
  private prev: Template | null = null;
  private readonly templates = new Map<string, Template>();

  parse(raw: string, out: WireFrame): FrameKind {
    let t = this.last;
    if (t === null || !raw.startsWith(t.prefix)) {
      t = this.prev !== null && raw.startsWith(this.prev.prefix) ? this.prev : this.templateFor(raw);
      if (t !== null) {
        this.prev = this.last;
        this.last = t;
      }
    }
    if (t !== null) {
      const kind = scanTemplate(raw, t, out);
      if (kind !== F_REJECT) return kind;
    }
    return parseSlow(raw, out);
  }

  /** The template of the stream this frame names, or null when it is not a combined trade / bookTicker frame. */
  private templateFor(raw: string): Template | null {
    if (!raw.startsWith(COMBINED)) return null;
    const end = raw.indexOf('"', COMBINED.length);
    if (end < 0 || end - COMBINED.length > 64) return null;
    const name = raw.slice(COMBINED.length, end);
    let t = this.templates.get(name);
    if (t === undefined) {
      if (this.templates.size > 4096) return null;
      const made = makeTemplate(name);
      if (made === null) return null;
      this.templates.set(name, (t = made));
    }
    return raw.startsWith(t.prefix) ? t : null;
  }
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
