import type { Tick } from '../../core/protocol/types.js';

/**
 * Binance-shaped trade frames for the wire-path ingest benchmark, and two ways to normalize one into a
 * Tick: JSON.parse, and a hand-written scanner that reads the few fields a trade needs without building
 * the intermediate object (and without substring allocations for the numbers).
 */
export interface WireTrade {
  e: string;
  E: number;
  s: string;
  t: number;
  p: string;
  q: string;
  T: number;
  m: boolean;
  M: boolean;
}

export function tradeFrame(symbol: string, id: number, price: number, size: number, timeMs: number, buyerMaker: boolean): string {
  return (
    `{"e":"trade","E":${timeMs + 1},"s":"${symbol}","t":${id},"p":"${price.toFixed(2)}","q":"${size.toFixed(4)}",` +
    `"T":${timeMs},"m":${buyerMaker},"M":true}`
  );
}

/** Exchange symbol -> fqme: what an adapter's normalize step looks up for every message. */
export type SymbolMap = Map<string, string>;

export function normalizeJson(text: string, symbols: SymbolMap): Tick | null {
  const m = JSON.parse(text) as WireTrade;
  if (m.e !== 'trade' || symbols.get(m.s) === undefined) return null;
  return { type: 'trade', price: Number(m.p), size: Number(m.q), time: m.T };
}

const DOT = 46; // .
const ZERO = 48;
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16];

/**
 * Reads a non-negative decimal (digits, optional fraction) at `i`. Digits accumulate as one integer and are
 * divided once by a power of ten: both exact below 2^53, and IEEE division rounds correctly, so the result is
 * the same double Number() gives. Returns NaN for anything else (the caller falls back to JSON.parse).
 */
function decimalAt(s: string, i: number, end: number): number {
  let n = 0;
  let frac = -1;
  let digits = 0;
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === DOT) {
      if (frac >= 0) return NaN;
      frac = 0;
      continue;
    }
    const d = c - ZERO;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
    if (frac >= 0) frac++;
    if (++digits > 15) return NaN;
  }
  if (digits === 0) return NaN;
  return frac > 0 ? n / POW10[frac]! : n;
}

function intAt(s: string, i: number): number {
  let n = 0;
  let any = false;
  for (;; i++) {
    const d = s.charCodeAt(i) - ZERO;
    if (!(d >= 0 && d <= 9)) break;
    n = n * 10 + d;
    any = true;
  }
  return any ? n : NaN;
}

/** Index just past `key` (e.g. `"p":"`) searching from `from`, or -1 when the frame lacks it there. */
function after(s: string, key: string, from: number): number {
  const k = s.indexOf(key, from);
  return k < 0 ? -1 : k + key.length;
}

/**
 * Hand-scanned normalize. One forward pass in the venue's field order (e, s, p, q, T); a frame in any other
 * shape goes through normalizeJson, so the scanner only has to be right, not general. The symbol of the
 * previous frame is checked in place first, so the common case allocates nothing but the tick.
 */
export class HandNormalizer {
  private lastSymbol = '';
  private lastFqme: string | undefined;

  constructor(private readonly symbols: SymbolMap) {}

  normalize(text: string): Tick | null {
    const e = after(text, '"e":"', 0);
    if (e < 0 || !text.startsWith('trade"', e)) return normalizeJson(text, this.symbols);
    const s = after(text, '"s":"', e);
    if (s < 0) return normalizeJson(text, this.symbols);
    let sEnd: number;
    const ls = this.lastSymbol;
    if (ls !== '' && text.startsWith(ls, s) && text.charCodeAt(s + ls.length) === 34) sEnd = s + ls.length;
    else {
      sEnd = text.indexOf('"', s);
      const sym = text.slice(s, sEnd);
      this.lastFqme = this.symbols.get(sym);
      this.lastSymbol = this.lastFqme === undefined ? '' : sym;
    }
    if (this.lastFqme === undefined) return normalizeJson(text, this.symbols);
    const p = after(text, '"p":"', sEnd);
    const pEnd = p < 0 ? -1 : text.indexOf('"', p);
    const q = pEnd < 0 ? -1 : after(text, '"q":"', pEnd);
    const qEnd = q < 0 ? -1 : text.indexOf('"', q);
    const t = qEnd < 0 ? -1 : after(text, '"T":', qEnd);
    if (t < 0) return normalizeJson(text, this.symbols);
    const price = decimalAt(text, p, pEnd);
    const size = decimalAt(text, q, qEnd);
    const time = intAt(text, t);
    if (!(price === price && size === size && time === time)) return normalizeJson(text, this.symbols);
    return { type: 'trade', price, size, time };
  }
}
