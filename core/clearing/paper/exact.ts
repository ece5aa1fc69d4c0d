import { addDec, compareDec, fromScaled, quantize, tickDigits, toScaled } from '../../protocol/decimal.js';

/**
 * The few exact-decimal helpers the matcher needs that core/protocol/decimal.ts does not offer (yet). Kept private
 * to the paper engine so that module stays the one public place for decimals.
 */

export function negDec(a: string): string {
  if (a.startsWith('-')) return a.slice(1);
  return compareDec(a, '0') === 0 ? a : `-${a}`;
}

export function subDec(a: string, b: string): string {
  return addDec(a, negDec(b));
}

export function minDec(a: string, b: string): string {
  return compareDec(a, b) <= 0 ? a : b;
}

export function signDec(a: string): -1 | 0 | 1 {
  return compareDec(a, '0') as -1 | 0 | 1;
}

export function absDec(a: string): string {
  return a.startsWith('-') ? a.slice(1) : a;
}

/** a / b rounded half away from zero to `scale` digits after the point: for averages, which are quotients. */
export function divRound(a: string, b: string, scale: number): string {
  const x = toScaled(a);
  const y = toScaled(b);
  if (y.units === 0n) throw new Error('division by zero');
  // a/b = (x.units / 10^xs) / (y.units / 10^ys); scaled to 10^scale, plus one guard digit for the rounding.
  const num = x.units * 10n ** BigInt(scale + 1 + y.scale);
  const den = y.units * 10n ** BigInt(x.scale);
  const q = num / den;
  const r = q % 10n;
  const t = q / 10n;
  const away = r >= 5n || r <= -5n;
  return fromScaled(away ? t + (q < 0n ? -1n : 1n) : t, scale);
}

/**
 * A feed's float price or size as an exact multiple of `tick`, or null when the float is not a usable amount.
 * toFixed gives plain digits (never an exponent) for |x| < 1e21, with enough spare digits that a float like
 * 1.0800000000000001 lands on 1.08 when quantized.
 */
export function floatOnTick(x: number, tick: string): string | null {
  if (!Number.isFinite(x) || x < 0 || x >= 1e21) return null;
  return quantize(x.toFixed(Math.min(100, tickDigits(tick) + 6)), tick);
}

/** How many whole ticks `value` is (value must be on tick): the book's integer sort key. */
export function ticksOf(value: string, tick: string): bigint {
  const x = toScaled(value);
  const t = toScaled(tick);
  const s = Math.max(x.scale, t.scale);
  return (x.units * 10n ** BigInt(s - x.scale)) / (t.units * 10n ** BigInt(s - t.scale));
}
