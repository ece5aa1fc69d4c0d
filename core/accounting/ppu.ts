import { absDec, addDec, divDec, mulDec, negDec, signDec, subDec } from '../protocol/decimal.js';
import type { Clear } from './clear.js';

/**
 * Digits kept in ppu (and the per-unit fee reserve). A weighted average of decimals is not a finite decimal, so it
 * is rounded half-even here, once per increasing clear; 18 digits keep the error far below any venue's tick and
 * any currency's smallest unit even after thousands of clears.
 */
export const PPU_SCALE = 18;

/**
 * The running books of one position, folded clear by clear.
 *
 * Fee rule. piker's `calc.ppu()` (and `Position.calc_ppu`, cost_scalar=2) adds, for each clear that grows |size|,
 * `price*|size| + sign*2*fee` to the cost basis: the entry fee plus a presumed exit fee of the same amount, so
 * that ppu is a break-even price and `sign*(mark - ppu)/ppu` is the PnL after a round trip's costs. We keep that
 * rule, so our ppu matches piker's and the position line sits where the trader breaks even.
 *
 * But the presumed exit fee is a guess, and realized PnL must be exact and must count every fee exactly once.
 * So the guess is tracked as `exitFeePerUnit` and, on a reducing clear, released and replaced by the real fee:
 *   realized += sign*(price - ppu)*closed + exitFeePerUnit*closed - fee
 * A round trip therefore realizes (exit - entry)*size - entryFees - exitFees exactly, whatever ppu's guess was;
 * entry fees reach realized PnL when the units that carry them are closed, exit fees at once.
 *
 * Crossing zero in one clear (as piker): the old side is closed at the clear's price, the new side opens with the
 * remaining size and carries the clear's whole fee (piker's rule; splitting it pro rata would need a division
 * that does not terminate). So a flip's fee reduces realized PnL when the new side is closed.
 */
export interface PpuState {
  /** Signed units held: + long, - short. */
  size: string;
  /** Price per unit including fees as above; '0' when flat. */
  ppu: string;
  /** The presumed exit fee per unit still inside ppu; '0' when flat. */
  exitFeePerUnit: string;
  realizedPnl: string;
  /** Every fee booked on this position, for display: already reflected in ppu or realized PnL. */
  feesPaid: string;
}

export const FLAT: PpuState = Object.freeze({ size: '0', ppu: '0', exitFeePerUnit: '0', realizedPnl: '0', feesPaid: '0' });

/** The books after `c`. Throws on a zero size: callers validate clears first (see clearProblem). */
export function applyClear(s: PpuState, c: Clear): PpuState {
  const qSign = signDec(c.size);
  if (qSign === 0) throw new Error(`clear ${c.tid} has zero size`);
  const before = signDec(s.size);
  const size = addDec(s.size, c.size);
  const after = signDec(size);
  const feesPaid = addDec(s.feesPaid, c.fee);

  if (before === 0 || before === qSign) {
    // Opening or adding: the one case that moves ppu.
    return { ...enter(s, size, c), feesPaid };
  }

  // Reducing, closing, or crossing zero: the closed units realize against the unchanged ppu.
  const closed = after === before ? absDec(c.size) : absDec(s.size);
  const gross = mulDec(subDec(c.price, s.ppu), before < 0 ? negDec(closed) : closed);
  const realized = addDec(s.realizedPnl, addDec(gross, mulDec(s.exitFeePerUnit, closed)));

  if (after === before) return { ...s, size, realizedPnl: subDec(realized, c.fee), feesPaid };
  if (after === 0) return { ...FLAT, realizedPnl: subDec(realized, c.fee), feesPaid };
  // Crossed zero: the remainder opens a fresh position and carries the fee.
  return { ...enter({ ...FLAT, realizedPnl: realized }, size, c), feesPaid };
}

/** Add `c` to a position on its side (or to a flat one whose new size is `size`). */
function enter(s: PpuState, size: string, c: Clear): PpuState {
  const held = absDec(s.size);
  const total = absDec(size);
  const added = subDec(total, held); // the units this clear opens (all of |size| after a flip)
  const side = signDec(size) < 0 ? negDec(c.fee) : c.fee;
  const basis = addDec(addDec(mulDec(s.ppu, held), mulDec(c.price, added)), mulDec('2', side));
  const reserve = addDec(mulDec(s.exitFeePerUnit, held), c.fee);
  return {
    ...s,
    size,
    ppu: divDec(basis, total, PPU_SCALE),
    exitFeePerUnit: divDec(reserve, total, PPU_SCALE),
  };
}
