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
