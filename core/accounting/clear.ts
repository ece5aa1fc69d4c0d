import { isDecimal, signDec } from '../protocol/decimal.js';

/**
 * One fill as the books see it. `size` is signed (+ bought, - sold); `fee` is what the venue charged for it, in the
 * price's currency (positive = a cost, negative = a rebate). `tid` is the venue's trade id: a fill is booked once.
 */
export interface Clear {
  tid: string;
  /** Epoch milliseconds. */
  time: number;
  price: string;
  size: string;
  fee: string;
}

/** Why `c` cannot be booked, or null when it can. Ledger lines and live fills both pass through here. */
export function clearProblem(c: unknown): string | null {
  if (typeof c !== 'object' || c === null) return 'not an object';
  const r = c as Record<string, unknown>;
  if (typeof r.tid !== 'string' || r.tid.length === 0) return 'tid must be a non-empty string';
  if (typeof r.time !== 'number' || !Number.isFinite(r.time) || r.time < 0) return `bad time ${String(r.time)}`;
  for (const k of ['price', 'size', 'fee'] as const) {
    if (!isDecimal(r[k])) return `${k} is not a decimal string: ${JSON.stringify(r[k])}`;
  }
  if (signDec(r.price as string) <= 0) return `price must be > 0, got ${String(r.price)}`;
  if (signDec(r.size as string) === 0) return 'size must not be zero';
  return null;
}
