import { divDec, mulDec, signDec, subDec } from '../protocol/decimal.js';

/** The part of a position PnL needs. */
interface Held {
  size: string;
  ppu: string;
}

export interface Quote {
  bid?: string;
  ask?: string;
  last?: string;
}

/**
 * The price a position would close at: a long sells into the bid, a short buys from the ask; either falls back
 * to the last trade when that side is missing. Null when there is nothing to mark with.
 */
export function markFor(size: string, q: Quote): string | null {
  const side = signDec(size);
  if (side > 0) return q.bid ?? q.last ?? null;
  if (side < 0) return q.ask ?? q.last ?? null;
  return q.last ?? null;
}

/** `(mark - ppu) * size`: exact; positive is a gain for either side since size carries the sign. */
export function unrealizedPnl(p: Held, mark: string): string {
  if (signDec(p.size) === 0) return '0';
  return mulDec(subDec(mark, p.ppu), p.size);
}

/**
 * piker's PnL%, `sign * (mark - ppu) / ppu`, times 100 and rounded half-even to `digits`. Null when ppu is not
 * positive (a flat position, or fee rebates larger than the price), where a percentage means nothing.
 */
export function pnlPercent(p: Held, mark: string, digits = 2): string | null {
  const side = signDec(p.size);
  if (side === 0 || signDec(p.ppu) <= 0) return null;
  const move = mulDec(subDec(mark, p.ppu), side < 0 ? '-100' : '100');
  return divDec(move, p.ppu, digits);
}
