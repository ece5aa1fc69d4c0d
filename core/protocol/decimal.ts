/**
 * Exact decimals for prices and sizes on the order path. Values travel as strings ("0.00001") and are
 * computed on as scaled bigints, so no float ever rounds a price or a size.
 */
export interface Scaled {
  units: bigint;
  scale: number;
}

const DEC = /^-?(\d+)(\.(\d+))?$/;

export function isDecimal(s: unknown): s is string {
  return typeof s === 'string' && s.length <= 64 && DEC.test(s);
}

export function toScaled(s: string): Scaled {
  const m = DEC.exec(s);
  if (!m) throw new Error(`not a decimal: ${JSON.stringify(s)}`);
  const frac = m[3] ?? '';
  const units = BigInt(m[1]! + frac);
  return { units: s.startsWith('-') ? -units : units, scale: frac.length };
}

function rescale(a: Scaled, scale: number): bigint {
  return a.units * 10n ** BigInt(scale - a.scale);
}

export function fromScaled(units: bigint, scale: number): string {
  const neg = units < 0n;
  let digits = (neg ? -units : units).toString();
  if (scale > 0) {
    digits = digits.padStart(scale + 1, '0');
    digits = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`.replace(/\.?0+$/, '');
  }
  return (neg && digits !== '0' ? '-' : '') + digits;
}

export function compareDec(a: string, b: string): number {
  const x = toScaled(a);
  const y = toScaled(b);
  const s = Math.max(x.scale, y.scale);
  const d = rescale(x, s) - rescale(y, s);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

export function addDec(a: string, b: string): string {
  const x = toScaled(a);
  const y = toScaled(b);
  const s = Math.max(x.scale, y.scale);
  return fromScaled(rescale(x, s) + rescale(y, s), s);
}

export function mulDec(a: string, b: string): string {
  const x = toScaled(a);
  const y = toScaled(b);
  return fromScaled(x.units * y.units, x.scale + y.scale);
}

/** True when `value` is a whole multiple of `tick`. */
export function onTick(value: string, tick: string): boolean {
  const x = toScaled(value);
  const t = toScaled(tick);
  const s = Math.max(x.scale, t.scale);
  const tu = rescale(t, s);
  return tu !== 0n && rescale(x, s) % tu === 0n;
}

/** `ticks * tick` as an exact decimal string: how integer tick counts become prices. */
export function ticksToDec(ticks: number | bigint, tick: string): string {
  const t = toScaled(tick);
  return fromScaled(BigInt(ticks) * t.units, t.scale);
}

/** Nearest multiple of `tick` (half away from zero). */
export function quantize(value: string, tick: string): string {
  const x = toScaled(value);
  const t = toScaled(tick);
  const s = Math.max(x.scale, t.scale);
  const xu = rescale(x, s);
  const tu = rescale(t, s);
  const q = xu / tu;
  const r = xu - q * tu;
  const n = 2n * (r < 0n ? -r : r) >= tu ? q + (xu < 0n ? -1n : 1n) : q;
  return fromScaled(n * t.units, t.scale);
}

/** Digits after the point in a tick: what a price axis should show. */
export function tickDigits(tick: string): number {
  return toScaled(tick).scale;
}

/* Signed arithmetic and division for accounting (ppu, PnL, allocator slots). */

export function negDec(a: string): string {
  const x = toScaled(a);
  return fromScaled(-x.units, x.scale);
}

export function subDec(a: string, b: string): string {
  return addDec(a, negDec(b));
}

export function signDec(a: string): -1 | 0 | 1 {
  const u = toScaled(a).units;
  return u < 0n ? -1 : u > 0n ? 1 : 0;
}

export function absDec(a: string): string {
  const x = toScaled(a);
  return fromScaled(x.units < 0n ? -x.units : x.units, x.scale);
}

/** The smaller argument, returned as given (not renormalised); `a` on a tie. */
export function minDec(a: string, b: string): string {
  return compareDec(b, a) < 0 ? b : a;
}

/** The larger argument, returned as given (not renormalised); `a` on a tie. */
export function maxDec(a: string, b: string): string {
  return compareDec(b, a) > 0 ? b : a;
}

/**
 * How a quotient that does not fit in `scale` digits is rounded. half-even (banker's) is the default because
 * it has no drift over many roundings, which matters for a running average; half-up means ties away from zero
 * (like `quantize`); down/up are toward/away from zero; floor/ceil toward -inf/+inf.
 */
export type Rounding = 'half-even' | 'half-up' | 'down' | 'up' | 'floor' | 'ceil';

/** `num / den` as an integer rounded by `mode`; `den` must be positive. */
function roundQuotient(num: bigint, den: bigint, mode: Rounding): bigint {
  const q = num / den; // truncates toward zero
  const r = num - q * den;
  if (r === 0n) return q;
  const away = num < 0n ? q - 1n : q + 1n;
  const twice = 2n * (r < 0n ? -r : r);
  switch (mode) {
    case 'down':
      return q;
    case 'up':
      return away;
    case 'floor':
      return num < 0n ? away : q;
    case 'ceil':
      return num > 0n ? away : q;
    case 'half-up':
      return twice >= den ? away : q;
    case 'half-even':
      return twice > den || (twice === den && q % 2n !== 0n) ? away : q;
  }
}

function checkScale(scale: number): void {
  if (!Number.isInteger(scale) || scale < 0) throw new Error(`scale must be a non-negative integer, got ${scale}`);
}

/**
 * `a / b` rounded to `scale` fractional digits. A quotient of decimals is usually not a finite decimal (a
 * weighted average price, a slot count), so the caller must say how many digits it keeps and how it rounds.
 */
export function divDec(a: string, b: string, scale: number, rounding: Rounding = 'half-even'): string {
  checkScale(scale);
  const x = toScaled(a);
  const y = toScaled(b);
  if (y.units === 0n) throw new Error(`division by zero: ${a} / ${b}`);
  let num = x.units * 10n ** BigInt(y.scale + scale);
  let den = y.units * 10n ** BigInt(x.scale);
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  return fromScaled(roundQuotient(num, den, rounding), scale);
}

/** `a` rounded to `scale` fractional digits. */
export function roundDec(a: string, scale: number, rounding: Rounding = 'half-even'): string {
  return divDec(a, '1', scale, rounding);
}
