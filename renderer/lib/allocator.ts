import { absDec, compareDec, divDec, maxDec, mulDec, signDec, toScaled } from '../../core/protocol/decimal.js';

/** 'currency': the limit is money (quote currency); 'units': the limit is in the instrument's units. */
export type SizeUnit = 'units' | 'currency';

/** The allocator as the side pane edits it: a position limit split into equal slots, one slot per entry order. */
export interface AllocSettings {
  unit: SizeUnit;
  /** As typed: '5000', '5k', '1.5M', '2B'. */
  limit: string;
  slots: number;
}

/** What sizing needs of a market (MktPair's fields). */
export interface SizeRules {
  sizeTick: string;
  minSize: string;
  minNotional?: string;
}

export const DEFAULT_ALLOC: AllocSettings = { unit: 'currency', limit: '5k', slots: 4 };

const SUFFIX: Record<string, string> = { k: '1000', m: '1000000', b: '1000000000' };
const AMOUNT = /^(\d+(?:\.\d+)?)\s*([kmb])?$/i;

/** A limit as a trader types it ('250', '0.5', '10k', '1.5M', '2B') as an exact decimal; null if it is not one, or not > 0. */
export function parseLimit(text: string): string | null {
  const m = AMOUNT.exec(text.trim());
  if (!m) return null;
  const v = mulDec(m[1]!, m[2] ? SUFFIX[m[2].toLowerCase()]! : '1');
  return signDec(v) > 0 ? v : null;
}

/** Whole slots from user input: 1..99, else null. */
export function parseSlots(v: string | number): number | null {
  const n = typeof v === 'number' ? v : /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
  return Number.isSafeInteger(n) && n >= 1 && n <= 99 ? n : null;
}

/** The smallest multiple of `tick` that is >= v (v, tick > 0). */
function ceilToTick(v: string, tick: string): string {
  return mulDec(divDec(v, tick, 0, 'ceil'), tick);
}

/**
 * Size of one entry order at `price`: limit / slots (in currency: divided by the price), rounded DOWN to the
 * size tick, and at least the venue minimum size (and minimum notional). Null when the limit does not parse
 * or the price is not positive.
 */
export function entrySize(a: AllocSettings, price: string, rules: SizeRules): string | null {
  const limit = parseLimit(a.limit);
  const slots = parseSlots(a.slots);
  if (limit === null || slots === null || signDec(price) <= 0 || signDec(rules.sizeTick) <= 0) return null;
  const slotUnits = a.unit === 'units' ? mulDec(String(slots), '1') : mulDec(String(slots), price);
  // floor(limit / (slots [* price] * sizeTick)) lots.
  const lots = divDec(limit, mulDec(slotUnits, rules.sizeTick), 0, 'down');
  let size = mulDec(lots, rules.sizeTick);
  size = maxDec(size, rules.sizeTick);
  if (signDec(rules.minSize) > 0) size = maxDec(size, ceilToTick(rules.minSize, rules.sizeTick));
  const minNotional = rules.minNotional ?? '0';
  if (signDec(minNotional) > 0 && compareDec(mulDec(size, price), minNotional) < 0) {
    size = ceilToTick(divDec(minNotional, price, toScaled(rules.sizeTick).scale + 8, 'up'), rules.sizeTick);
  }
  return normalize(size);
}

/** How much of the limit a position uses: |size| in units, |size * ppu| in currency. */
export function exposure(unit: SizeUnit, size: string, ppu: string): string {
  return absDec(unit === 'currency' ? mulDec(size, ppu) : size);
}

/** Slots a position fills (exposure * slots / limit), 2 digits; null if the limit does not parse. */
export function slotsUsed(a: AllocSettings, size: string, ppu: string): string | null {
  return slotsOf(a, exposure(a.unit, size, ppu), 2);
}

/** Slots an order of `size` at `price` takes, 1 digit (the `{n}x` of an order line's label); null without a limit. */
export function orderSlots(a: AllocSettings, size: string, price: string): string | null {
  return slotsOf(a, exposure(a.unit, size, price), 1);
}

function slotsOf(a: AllocSettings, used: string, digits: number): string | null {
  const limit = parseLimit(a.limit);
  const slots = parseSlots(a.slots);
  if (limit === null || slots === null) return null;
  return divDec(mulDec(used, String(slots)), limit, digits, 'half-up');
}

function normalize(s: string): string {
  return mulDec(s, '1');
}
