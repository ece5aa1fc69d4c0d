/**
 * Kraken v2 timestamps are RFC 3339 UTC with 6 (trades) or 9 (ohlc) fraction digits: "2023-09-25T07:49:37.708706Z".
 * Read by hand on the trade path (Date.parse is several times slower); anything unusual goes to Date.parse.
 * Returns epoch ms (fraction truncated to ms), NaN when unparseable.
 */
const Z = 48;

function num(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const d = s.charCodeAt(i + k) - Z;
    if (!(d >= 0 && d <= 9)) return NaN;
    v = v * 10 + d;
  }
  return v;
}

/** The last hour read ("2023-09-25T07") and its epoch ms: consecutive trades almost always share it. */
let hourText = '';
let hourMs = 0;

function hourAt(s: string, start: number): number {
  if (hourText !== '' && s.startsWith(hourText, start)) return hourMs;
  const ms = Date.UTC(num(s, start, 4), num(s, start + 5, 2) - 1, num(s, start + 8, 2), num(s, start + 11, 2));
  if (ms === ms) {
    hourText = s.slice(start, start + 13);
    hourMs = ms;
  }
  return ms;
}

/** The timestamp in `s[start, end)`. */
export function isoMsIn(s: string, start: number, end: number): number {
  const len = end - start;
  if (len >= 20 && s.charCodeAt(start + 4) === 45 && s.charCodeAt(start + 10) === 84 && s.charCodeAt(start + 13) === 58 && s.charCodeAt(end - 1) === 90) {
    const base = hourAt(s, start) + num(s, start + 14, 2) * 60_000 + num(s, start + 17, 2) * 1000;
    if (len === 20) return base;
    if (s.charCodeAt(start + 19) === 46) {
      const digits = len - 21;
      const ms = digits >= 3 ? num(s, start + 20, 3) : num(s, start + 20, digits) * 10 ** (3 - digits);
      if (digits > 0 && ms === ms) return base + ms;
    }
  }
  const t = Date.parse(s.slice(start, end));
  return Number.isFinite(t) ? t : NaN;
}

export function isoMs(s: unknown): number {
  return typeof s === 'string' ? isoMsIn(s, 0, s.length) : NaN;
}
