/**
 * Character-level readers for the hot trade path. Each reads one JSON token at a known offset of a frame and
 * reports where it ended through `scan.end`, so a frame is read in one forward pass without substrings.
 * Anything a reader does not accept exactly (a sign, an exponent, too many digits, an escape) makes it return
 * NaN / -1 and the caller falls back to JSON.parse, so these only have to be right, never general.
 */
const ZERO = 48;
const DOT = 46;
const QUOTE = 34;
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16];
/** At most 15 digits: their integer value is exact in a double (below 2^53), see `decimal`. */
const MAX_DIGITS = 15;

export const scan = { end: 0 };

/**
 * A non-negative JSON integer at `i` (no sign, no fraction, <= 15 digits), or NaN. A leading zero is only
 * allowed alone, as in JSON.
 */
export function intAt(s: string, i: number): number {
  let n = 0;
  const start = i;
  for (; ; i++) {
    const d = s.charCodeAt(i) - ZERO;
    if (!(d >= 0 && d <= 9)) break;
    n = n * 10 + d;
  }
  const digits = i - start;
  if (digits === 0 || digits > MAX_DIGITS || (digits > 1 && s.charCodeAt(start) === ZERO)) return NaN;
  scan.end = i;
  return n;
}

/**
 * The contents of a JSON string holding a plain decimal (`"25.35190000"`), starting just after the opening
 * quote; `scan.end` is set past the closing quote. The digits accumulate as one integer divided once by a power
 * of ten: both are exact below 2^53 and IEEE division rounds correctly, so the result is the double Number()
 * gives for the same text. Returns NaN for anything else.
 */
export function decimalStringAt(s: string, i: number): number {
  let n = 0;
  let frac = -1;
  let digits = 0;
  for (; ; i++) {
    const c = s.charCodeAt(i);
    if (c === QUOTE) break;
    if (c === DOT) {
      if (frac >= 0 || digits === 0) return NaN;
      frac = 0;
      continue;
    }
    const d = c - ZERO;
    if (!(d >= 0 && d <= 9)) return NaN; // also NaN at the end of the string: a truncated frame
    n = n * 10 + d;
    if (frac >= 0) frac++;
    if (++digits > MAX_DIGITS) return NaN;
  }
  if (digits === 0 || frac === 0) return NaN;
  scan.end = i + 1;
  return frac > 0 ? n / POW10[frac]! : n;
}

// Short literals are compared by char code: a startsWith call per field costs more than the field itself.
const COMMA = 44;
const COLON = 58;

/** `true` / `false` at `i`: 1 / 0, or -1. */
export function boolAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c === 116 && s.charCodeAt(i + 1) === 114 && s.charCodeAt(i + 2) === 117 && s.charCodeAt(i + 3) === 101) {
    scan.end = i + 4;
    return 1;
  }
  if (c === 102 && s.charCodeAt(i + 1) === 97 && s.charCodeAt(i + 2) === 108 && s.charCodeAt(i + 3) === 115 && s.charCodeAt(i + 4) === 101) {
    scan.end = i + 5;
    return 0;
  }
  return -1;
}

/** `,"K":` at `i` for a one-letter key K (given as its char code): the separator before each trade field. */
export function keyAt(s: string, i: number, k: number): boolean {
  return s.charCodeAt(i) === COMMA && s.charCodeAt(i + 1) === QUOTE && s.charCodeAt(i + 2) === k && s.charCodeAt(i + 3) === QUOTE && s.charCodeAt(i + 4) === COLON;
}

/** `,"K":"` at `i`: a one-letter key whose value is a string. */
export function stringKeyAt(s: string, i: number, k: number): boolean {
  return keyAt(s, i, k) && s.charCodeAt(i + 5) === QUOTE;
}
