import {
  makeAllocator,
  nextOrder,
  orderSlots,
  parseSlots,
  slotsUsed,
  type Allocator,
  type AllocatorInput,
  type Holding,
  type NextOrder,
  type SizeUnit,
} from '../../core/protocol/allocator.js';
import { signDec } from '../../core/protocol/decimal.js';
import type { MktPair } from '../../core/protocol/types.js';
import { errorMessage } from './errors.js';

/**
 * The order pane's allocator settings, sized by the allocator shared with the host (core/protocol/allocator.ts):
 * the limit is kept as typed ('5k'), so the pane shows what the trader wrote.
 */
export interface AllocSettings extends AllocatorInput {
  slots: number;
}

export const DEFAULT_ALLOC: AllocSettings = { sizeUnit: 'currency', limit: '5k', slots: 4 };

const FLAT: Holding = { size: '0', ppu: '0' };

/** The settings as an allocator, or null when they do not parse (the pane shows why). */
export function allocatorOf(s: AllocSettings): Allocator | null {
  try {
    return makeAllocator(s);
  } catch {
    return null;
  }
}

/** Slots as typed, or null when not a whole number >= 1. */
export function slotsOrNull(v: string | number): number | null {
  try {
    return parseSlots(v);
  } catch {
    return null;
  }
}

/**
 * The next order's size on `side` at `price` for the loaded market and the account's position there: an entry
 * (flat, or adding) is a slot, an exit (reducing) slots the position back out (piker: position / slots, the whole
 * of it when under 1.5 slots remain). Lifted to the venue's minimums. Null without a usable allocator or price.
 */
export function sizeNext(s: AllocSettings, side: 'buy' | 'sell', price: string, mkt: MktPair, position: Holding | null): NextOrder | null {
  const a = allocatorOf(s);
  if (!a || signDec(price) <= 0) return null;
  const { sizeTick, minSize, minNotional } = mkt;
  return nextOrder(a, { side, price, sizeTick, minSize, minNotional, position: position ?? FLAT });
}

/** An order line's `{n}x`; null without a usable allocator. */
export function lineSlots(s: AllocSettings, size: string, price: string): string | null {
  const a = allocatorOf(s);
  return a ? orderSlots(a, size, price) : null;
}

/** Slots the position fills; null without a usable allocator. */
export function positionSlots(s: AllocSettings, position: Holding | null): string | null {
  const a = allocatorOf(s);
  return a ? slotsUsed(a, position ?? FLAT) : null;
}

/**
 * A change to the limit or unit, checked as the host's allocator checks it: the limit must parse (k/M/B) and may
 * not go below what the position already uses (piker #267, #479). The new settings, or the reason they are refused.
 */
export function changeAlloc(
  s: AllocSettings,
  patch: { limit?: string; sizeUnit?: SizeUnit },
  position: Holding | null,
): { alloc: AllocSettings } | { error: string } {
  const next: AllocSettings = { ...s, ...patch, limit: (patch.limit ?? s.limit).trim() };
  try {
    makeAllocator(next, position ?? FLAT);
    return { alloc: next };
  } catch (e) {
    return { error: errorMessage(e) };
  }
}
