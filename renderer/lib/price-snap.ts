import { addDec, compareDec, quantize, tickDigits, ticksToDec } from '../../core/protocol/decimal.js';

/**
 * A float (a cursor price, a feed price) as a plain decimal string for exact arithmetic: its shortest
 * round-trip form ("1.0800000000000001"), or fixed digits well past the tick when that form is an exponent
 * (1e-7). Never an exponent; null for a non-finite or huge value. Float noise sits 1e-16 below the value, so
 * quantize() of this string lands on the tick the float means, except at an exact half tick.
 */
export function floatToDecimal(v: number, tick: string): string | null {
  if (!Number.isFinite(v) || Math.abs(v) >= 1e21) return null;
  let s = String(v);
  if (/e/i.test(s)) s = v.toFixed(Math.min(100, tickDigits(tick) + 10));
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

/** The tick-grid price nearest to `v`, as an exact decimal string ("50000.5", "0.00012345"); null if not finite. */
export function snapPrice(v: number, tick: string): string | null {
  const s = floatToDecimal(v, tick);
  return s === null ? null : quantize(s, tick);
}

/** Like snapPrice, but never below one tick: what an order may carry (prices must be above 0). */
export function snapOrderPrice(v: number, tick: string): string | null {
  const p = snapPrice(v, tick);
  if (p === null) return null;
  return compareDec(p, tick) < 0 ? quantize(tick, tick) : p;
}

/** `price` moved by `n` ticks (n may be negative), exactly. */
export function stepTicks(price: string, tick: string, n: number): string {
  return addDec(price, ticksToDec(n, tick));
}
