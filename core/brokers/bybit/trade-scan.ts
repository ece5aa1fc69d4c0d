import { boolAt, decimalStringAt, intAt, scan } from '../net/json-scan.js';

/**
 * A one-pass reader for publicTrade frames, the hot path (Bybit prints one for every match): it reads the compact
 * shape Bybit sends into the values the parser uses, without building JSON.parse's full object, and reads plain
 * decimal prices and sizes into numbers on the way (the char-level readers in net/json-scan.ts). Anything it is not
 * sure of (whitespace, escapes, nested or unexpected values, unknown keys, a topic that is not publicTrade) makes
 * it answer null and the caller takes the JSON.parse path; where it answers, the values are exactly those
 * JSON.parse gives, so both paths reach the same outcome.
 */
export const TRADE_PREFIX = '{"topic":"publicTrade.';

/** One trade: the fields the parser reads, as JSON.parse gives them, plus the decimals already read. */
export class ScannedTrade {
  T?: number;
  s?: string;
  i?: string;
  p?: string;
  v?: string;
  /** `p` / `v` as numbers when they are plain decimals, else NaN (the parser then reads the strings). */
  pn = NaN;
  vn = NaN;
}

export interface ScannedFrame {
  topic: string;
  type?: string;
  ts?: number;
  data?: ScannedTrade[];
}

const QUOTE = 34;
const BACKSLASH = 92;
const COLON = 58;
const COMMA = 44;
const OPEN = 123;
const CLOSE = 125;
/** Codes for the longer keys (outside the char range): BT and RPI are booleans, seq an integer. */
const BT = 1_000;
const SEQ = 1_001;

/** A JSON string at `i` without escapes or control characters: its end (past the closing quote), or -1. */
function stringEnd(s: string, i: number): number {
  if (s.charCodeAt(i) !== QUOTE) return -1;
  const end = s.indexOf('"', i + 1);
  if (end < 0) return -1;
  for (let k = i + 1; k < end; k++) {
    const c = s.charCodeAt(k);
    if (c < 0x20 || c === BACKSLASH) return -1;
  }
  return end + 1;
}

/** A quoted decimal at `i`: sets t[key] (the string) and t[num] (its value or NaN); the end, or -1. */
function decimalField(s: string, i: number, t: ScannedTrade, key: 'p' | 'v'): number {
  const end = stringEnd(s, i);
  if (end < 0) return -1;
  const n = decimalStringAt(s, i + 1);
  t[key] = s.slice(i + 1, end - 1);
  if (key === 'p') t.pn = n;
  else t.vn = n;
  return end;
}

/** One trade object at `i`: its end, or -1 to give up. */
function tradeAt(s: string, i: number, t: ScannedTrade): number {
  if (s.charCodeAt(i++) !== OPEN) return -1;
  for (;;) {
    if (s.charCodeAt(i) !== QUOTE) return -1;
    // Keys by char code: one letter (T s S v p L i), or BT, seq, RPI; a slice per key would cost more than the key.
    const c1 = s.charCodeAt(i + 1);
    const c2 = s.charCodeAt(i + 2);
    let k = -1;
    let len = 0;
    if (c2 === QUOTE) [k, len] = [c1, 1];
    else if (c1 === 66 && c2 === 84 && s.charCodeAt(i + 3) === QUOTE) [k, len] = [BT, 2];
    else if (c1 === 115 && c2 === 101 && s.charCodeAt(i + 3) === 113 && s.charCodeAt(i + 4) === QUOTE) [k, len] = [SEQ, 3];
    else if (c1 === 82 && c2 === 80 && s.charCodeAt(i + 3) === 73 && s.charCodeAt(i + 4) === QUOTE) [k, len] = [BT, 3];
    if (k < 0 || s.charCodeAt(i + len + 2) !== COLON) return -1;
    i += len + 3;
    let end: number;
    if (k === 84 /* T */ || k === SEQ) {
      const n = intAt(s, i);
      if (n !== n) return -1;
      if (k === 84) t.T = n;
      end = scan.end;
    } else if (k === 115 /* s */ || k === 105 /* i */) {
      end = stringEnd(s, i);
      if (end < 0) return -1;
      if (k === 115) t.s = s.slice(i + 1, end - 1);
      else t.i = s.slice(i + 1, end - 1);
    } else if (k === 112 /* p */ || k === 118 /* v */) {
      end = decimalField(s, i, t, k === 112 ? 'p' : 'v');
    } else if (k === 83 /* S */ || k === 76 /* L */) {
      end = stringEnd(s, i);
    } else if (k === BT) {
      if (boolAt(s, i) < 0) return -1;
      end = scan.end;
    } else return -1;
    if (end < 0) return -1;
    const sep = s.charCodeAt(end);
    if (sep === CLOSE) return end + 1;
    if (sep !== COMMA) return -1;
    i = end + 1;
  }
}

/** The frame's values, or null when only JSON.parse can tell. */
export function scanTradeFrame(raw: string): ScannedFrame | null {
  if (!raw.startsWith(TRADE_PREFIX)) return null;
  const s = raw;
  let i = 9; // at the topic's opening quote
  let end = stringEnd(s, i);
  if (end < 0) return null;
  const frame: ScannedFrame = { topic: s.slice(i + 1, end - 1) };
  for (i = end; s.charCodeAt(i) === COMMA; ) {
    i++;
    if (s.startsWith('"type":', i)) {
      end = stringEnd(s, i + 7);
      if (end < 0) return null;
      frame.type = s.slice(i + 8, end - 1);
    } else if (s.startsWith('"ts":', i)) {
      const n = intAt(s, i + 5);
      if (n !== n) return null;
      frame.ts = n;
      end = scan.end;
    } else if (s.startsWith('"data":[', i)) {
      const data: ScannedTrade[] = [];
      end = i + 8;
      if (s.charCodeAt(end) !== 93) {
        for (;;) {
          const t = new ScannedTrade();
          end = tradeAt(s, end, t);
          if (end < 0) return null;
          data.push(t);
          const sep = s.charCodeAt(end++);
          if (sep === 93) break; // ']'
          if (sep !== COMMA) return null;
        }
      } else end++;
      frame.data = data;
    } else return null; // "topic" again, or a key we do not know: JSON.parse decides
    i = end;
  }
  return s.charCodeAt(i) === CLOSE && i === s.length - 1 ? frame : null;
}
