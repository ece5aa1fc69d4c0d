/**
 * The hot path of the public stream: a `trade` frame read in one forward pass without JSON.parse, for frames in
 * the documented field order (K2: symbol, side, price, qty, ord_type, trade_id, timestamp). Anything else (other
 * order, an exponent, more than 15 digits, an escape, a truncated frame) makes it give up and the caller parses
 * the frame with JSON.parse, so this only has to be right for the shapes it accepts, never general.
 */
import { isoMsIn } from './iso-time.js';

const ZERO = 48;
const DOT = 46;
const SCALE = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/** Where the last reader stopped. */
let pos = 0;
let lastSymbol = '';

/**
 * A bare JSON number (digits, optional fraction) at `i`; NaN for anything else. The digits are summed as one
 * integer (exact below 2^53) and divided once by an exact power of ten, which IEEE rounds correctly: the same
 * double Number() gives for the text.
 */
function numberAt(s: string, i: number): number {
  let n = 0;
  let digits = 0;
  let frac = -1;
  for (; ; i++) {
    const c = s.charCodeAt(i);
    if (c === DOT && frac < 0 && digits > 0) {
      frac = 0;
      continue;
    }
    const d = c - ZERO;
    if (!(d >= 0 && d <= 9)) break;
    n = n * 10 + d;
    digits++;
    if (frac >= 0) frac++;
  }
  if (digits === 0 || digits > 15 || frac === 0) return NaN;
  pos = i;
  return frac > 0 ? n / SCALE[frac]! : n;
}

/** `"key":` at `i`, then returns the index after it, or -1. */
function key(s: string, i: number, k: string): number {
  return s.startsWith(k, i) ? i + k.length : -1;
}

/** A string's contents from `i` (just after its quote) to the next quote; -1 on an escape or end of text. */
function stringEnd(s: string, i: number): number {
  // A short loop, not indexOf('\\'): that would scan the rest of the frame for every string.
  for (let n = s.length; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 34) return i;
    if (c === 92) return -1;
  }
  return -1;
}

export const TRADE_PREFIX = '{"channel":"trade","type":"';

/** The trades of one frame: parallel arrays, reused between calls. */
export interface ScannedTrades {
  type: 'snapshot' | 'update';
  n: number;
  symbol: string[];
  id: number[];
  price: number[];
  qty: number[];
  time: number[];
}

export function newScan(): ScannedTrades {
  return { type: 'update', n: 0, symbol: [], id: [], price: [], qty: [], time: [] };
}

/** Fills `out` from a trade frame; false when the frame is not in the shape this reader accepts. */
export function scanTrades(s: string, out: ScannedTrades): boolean {
  let i = TRADE_PREFIX.length;
  if (s.startsWith('update","data":[', i)) {
    out.type = 'update';
    i += 16;
  } else if (s.startsWith('snapshot","data":[', i)) {
    out.type = 'snapshot';
    i += 18;
  } else return false;
  out.n = 0;
  for (;;) {
    if ((i = key(s, i, '{"symbol":"')) < 0) return false;
    // The symbol of the previous frame is checked in place: the common case allocates no string.
    let symEnd: number;
    let symbol = lastSymbol;
    if (symbol !== '' && s.startsWith(symbol, i) && s.charCodeAt(i + symbol.length) === 34) symEnd = i + symbol.length;
    else {
      symEnd = stringEnd(s, i);
      if (symEnd < 0) return false;
      lastSymbol = symbol = s.slice(i, symEnd);
    }
    if ((i = key(s, symEnd + 1, ',"side":"')) < 0) return false;
    const sideEnd = stringEnd(s, i);
    if (sideEnd < 0 || (i = key(s, sideEnd + 1, ',"price":')) < 0) return false;
    const price = numberAt(s, i);
    if (price !== price || (i = key(s, pos, ',"qty":')) < 0) return false;
    const qty = numberAt(s, i);
    if (qty !== qty || (i = key(s, pos, ',"ord_type":"')) < 0) return false;
    const otEnd = stringEnd(s, i);
    if (otEnd < 0 || (i = key(s, otEnd + 1, ',"trade_id":')) < 0) return false;
    const id = numberAt(s, i);
    if (!Number.isInteger(id) || (i = key(s, pos, ',"timestamp":"')) < 0) return false;
    const tEnd = stringEnd(s, i);
    if (tEnd < 0) return false;
    const time = isoMsIn(s, i, tEnd);
    if (time !== time || s.charCodeAt(tEnd + 1) !== 125) return false; // }
    const k = out.n++;
    out.symbol[k] = symbol;
    out.id[k] = id;
    out.price[k] = price;
    out.qty[k] = qty;
    out.time[k] = time;
    i = tEnd + 2;
    const c = s.charCodeAt(i);
    if (c === 44) i++; // , another entry
    else if (c === 93) return s.length === i + 2 && s.charCodeAt(i + 1) === 125; // ]} and nothing after
    else return false;
  }
}
