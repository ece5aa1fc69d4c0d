/**
 * Kraken v2 sends prices and quantities as JSON numbers carrying the engine's precision ("qty": 40.0,
 * "limit_price": 26500.0) and a status `connection_id` above 2^53. JSON.parse turns those into doubles: fine for
 * chart ticks, wrong for the order path and the book checksum. `parseExact` parses a frame with every number
 * kept as its lexeme (a string), and `decimal` turns a lexeme into a plain decimal string for core/protocol/decimal.
 */

const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
const QUOTE = 34; // "
const BACKSLASH = 92; // \

function isNumberStart(c: number): boolean {
  return c === 45 || (c >= 48 && c <= 57); // - or a digit
}

function isNumberChar(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46 || c === 101 || c === 69; // digits - + . e E
}

/**
 * JSON.parse with numbers as strings. Throws like JSON.parse on malformed input (callers count and log it).
 * Strings are left untouched, so a value that was already a string stays one.
 */
export function parseExact(text: string): unknown {
  let out = '';
  let from = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (c === QUOTE) {
      inString = true;
      continue;
    }
    if (!isNumberStart(c)) continue;
    let j = i + 1;
    while (j < text.length && isNumberChar(text.charCodeAt(j))) j++;
    if (!JSON_NUMBER.test(text.slice(i, j))) throw new SyntaxError(`bad number ${JSON.stringify(text.slice(i, j))} at ${i}`);
    out += text.slice(from, i) + '"' + text.slice(i, j) + '"';
    from = j;
    i = j - 1;
  }
  return JSON.parse(from === 0 ? text : out + text.slice(from));
}

const LEXEME = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/**
 * A JSON number lexeme ("26500.0", "1e-08", "0.3458") as a plain decimal string ("26500.0", "0.00000001"),
 * digits preserved (trailing zeros kept: they carry the venue's precision). null for anything else.
 */
export function decimal(lexeme: unknown): string | null {
  if (typeof lexeme === 'number') lexeme = String(lexeme);
  if (typeof lexeme !== 'string' || lexeme.length > 64) return null;
  const m = LEXEME.exec(lexeme);
  if (!m) return null;
  const [, sign, int, frac = '', exp] = m;
  if (exp === undefined) return lexeme;
  const e = Number(exp);
  if (Math.abs(e) > 40) return null;
  let digits = int! + frac;
  let point = int!.length + e;
  if (point <= 0) {
    digits = '0'.repeat(1 - point) + digits;
    point = 1;
  } else if (point > digits.length) digits = digits + '0'.repeat(point - digits.length);
  const whole = digits.slice(0, point).replace(/^0+(?=\d)/, '');
  const rest = digits.slice(point);
  return `${sign}${whole}${rest ? `.${rest}` : ''}`;
}

/** `decimal` for a field that must be present: throws a message naming the field (the caller rejects the frame). */
export function needDecimal(o: Record<string, unknown>, key: string): string {
  const d = decimal(o[key]);
  if (d === null) throw new Error(`${key} is not a number: ${JSON.stringify(o[key])}`);
  return d;
}

/**
 * Writes `obj` as JSON with the values of `numeric` keys (exact decimal strings) as bare JSON numbers, so an
 * order's price goes out digit for digit ("limit_price":26500.4), never through a double.
 */
export function stringifyWithNumbers(obj: unknown, numeric: ReadonlySet<string>): string {
  return JSON.stringify(obj, (key, value: unknown) => {
    if (numeric.has(key) && typeof value === 'string') {
      if (decimal(value) !== value) throw new Error(`${key} must be a plain decimal, got ${JSON.stringify(value)}`);
      return `\u0000num:${value}`;
    }
    return value;
  }).replace(/"\\u0000num:([-0-9.]+)"/g, '$1');
}
