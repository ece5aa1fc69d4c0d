import { absDec, compareDec, divDec, maxDec, minDec, mulDec, signDec, subDec } from './decimal.js';
import { parseAmount } from './amount.js';

/** 'currency': the limit is money ($ size); 'units': the limit is in the instrument's units. */
export type SizeUnit = 'currency' | 'units';

/**
 * piker's order-size allocator (piker-semantics §8): a position limit split into equal slots; each entry order is
 * one slot, exits are slotted back out. Immutable: change it through makeAllocator / withLimit / withSlots, which
 * validate. Pure (core/protocol): the host's accounting and the renderer's order mode and side pane share it.
 */
export interface Allocator {
  sizeUnit: SizeUnit;
  /** Exact decimal, > 0, in sizeUnit. */
  limit: string;
  slots: number;
}

/** What the allocator needs of a position. */
export interface Holding {
  size: string;
  ppu: string;
}

export interface AllocatorInput {
  sizeUnit: SizeUnit;
  /** A decimal, optionally with k/M/B. */
  limit: string;
  slots: number | string;
}

const NONE: Holding = { size: '0', ppu: '0' };

export function makeAllocator(input: AllocatorInput, position: Holding = NONE): Allocator {
  if (input.sizeUnit !== 'currency' && input.sizeUnit !== 'units') {
    throw new Error(`size unit must be 'currency' or 'units', got ${JSON.stringify(input.sizeUnit)}`);
  }
  const base = { sizeUnit: input.sizeUnit, limit: '1', slots: parseSlots(input.slots) };
  return withLimit(base, input.limit, position);
}

/** A new limit; never below what the position already uses, so its slots stay meaningful (piker #267, #479). */
export function withLimit(a: Allocator, limit: string, position: Holding): Allocator {
  const value = parseAmount(limit, 'limit');
  const used = exposure(a.sizeUnit, position);
  if (compareDec(value, used) < 0) {
    const what = a.sizeUnit === 'currency' ? 'the current position value |size * ppu|' : 'the current position size';
    throw new Error(`limit ${value} is below ${what} ${used} (${a.sizeUnit})`);
  }
  return { ...a, limit: value };
}

export function withSlots(a: Allocator, slots: number | string): Allocator {
  return { ...a, slots: parseSlots(slots) };
}

/** Slots as typed or stored: a whole number >= 1; throws otherwise. */
export function parseSlots(slots: number | string): number {
  const n = typeof slots === 'string' && /^\d+$/.test(slots.trim()) ? Number(slots) : slots;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) {
    throw new Error(`slots must be a whole number >= 1, got ${JSON.stringify(slots)}`);
  }
  return n;
}

/** How much of the limit a position uses: |size| in units, |size * ppu| in currency (ppu with fees, as piker). */
export function exposure(unit: SizeUnit, p: Holding): string {
  return absDec(unit === 'currency' ? mulDec(p.size, p.ppu) : p.size);
}

/** Slots a position fills, `exposure * slots / limit`, to 2 digits (half-even) for display. */
export function slotsUsed(a: Allocator, p: Holding): string {
  return divDec(mulDec(exposure(a.sizeUnit, p), String(a.slots)), a.limit, 2);
}

export interface OrderRequest {
  side: 'buy' | 'sell';
  price: string;
  /** The market's size increment: sizes are rounded down to it. */
  sizeTick: string;
  position: Holding;
  /**
   * The position's size when the allocator was set up (piker's startup_pp): a position bigger than the limit is
   * exited in slices of startup/slots, which stay the same size as the position shrinks. Defaults to now.
   */
  startupSize?: string;
  /**
   * The venue's minimum order (MktPair.minSize, minNotional). Given, an order that would be smaller is lifted to
   * it: an entry only while the limit has room (a slot smaller than the venue accepts would otherwise never
   * trade; it may then pass the limit by less than one minimum order), an exit to at most the whole position.
   */
  minSize?: string;
  minNotional?: string;
}

export interface NextOrder {
  kind: 'entry' | 'exit';
  /** Units, >= 0, on sizeTick; '0' when the limit is used up. */
  size: string;
  /** size * price. */
  notional: string;
  /** Slots this order fills, to 2 digits. */
  slots: string;
}

/**
 * The size of the next order (piker's `next_order_info`). Entry (flat, or adding to the position's side): one
 * slot, or what is left of the limit if less, rounded down to sizeTick so it never goes over. Exit: the larger of
 * position/slots and a slot (in currency, a slot at ppu, so slots map to the same units going out as coming in);
 * when less than 1.5 of those remain, the whole position, so no dust is left behind.
 */
export function nextOrder(a: Allocator, r: OrderRequest): NextOrder {
  if (signDec(r.price) <= 0) throw new Error(`price must be > 0, got ${r.price}`);
  if (signDec(r.sizeTick) <= 0) throw new Error(`size tick must be > 0, got ${r.sizeTick}`);
  const side = signDec(r.position.size);
  const entering = side === 0 || (side > 0) === (r.side === 'buy');
  let size = absDec(entering ? entrySize(a, r) : exitSize(a, r)); // absDec: normalised ('0.0010' -> '0.001')
  const venueMin = r.minSize !== undefined || r.minNotional !== undefined;
  if (venueMin && entering && compareDec(exposure(a.sizeUnit, r.position), a.limit) < 0) size = liftToMinimum(size, r);
  else if (venueMin && !entering) size = minDec(liftToMinimum(size, r), absDec(r.position.size));
  return { kind: entering ? 'entry' : 'exit', size, notional: mulDec(size, r.price), slots: orderSlots(a, size, r.price, 2) };
}

function entrySize(a: Allocator, r: OrderRequest): string {
  const slots = String(a.slots);
  const left = subDec(a.limit, exposure(a.sizeUnit, r.position));
  if (signDec(left) <= 0) return '0';
  const per = a.sizeUnit === 'currency' ? r.price : '1';
  // floor(min(x, y)) == min(floor(x), floor(y)), and flooring each exactly avoids a rounded intermediate.
  return minDec(floorToTick(a.limit, mulDec(slots, per), r.sizeTick), floorToTick(left, per, r.sizeTick));
}

function exitSize(a: Allocator, r: OrderRequest): string {
  const held = absDec(r.position.size);
  const slots = String(a.slots);
  const big = maxDec(held, absDec(r.startupSize ?? '0'));
  // Currency slots are mapped to units at ppu (at the price if ppu is unusable, e.g. rebates beyond the price).
  const unitPrice = a.sizeUnit === 'currency' ? (signDec(r.position.ppu) > 0 ? r.position.ppu : r.price) : '1';
  // held < 1.5 * max(big / slots, limit / (slots * unitPrice)), compared without dividing.
  const twiceHeldSlots = mulDec(mulDec('2', held), slots);
  const lastSlice =
    compareDec(twiceHeldSlots, mulDec('3', big)) < 0 ||
    compareDec(mulDec(twiceHeldSlots, unitPrice), mulDec('3', a.limit)) < 0;
  if (lastSlice) return held;
  const slice = maxDec(floorToTick(big, slots, r.sizeTick), floorToTick(a.limit, mulDec(slots, unitPrice), r.sizeTick));
  // A slot finer than the size tick still exits something: one tick.
  return signDec(slice) > 0 ? slice : minDec(r.sizeTick, held);
}

/** Slots an order of `size` at `price` takes (the `{n}x` of an order line's label), to `digits` (half-up). */
export function orderSlots(a: Allocator, size: string, price: string, digits = 1): string {
  const filled = a.sizeUnit === 'currency' ? absDec(mulDec(size, price)) : absDec(size);
  return divDec(mulDec(filled, String(a.slots)), a.limit, digits, 'half-up');
}

/** At least one size tick, the venue's minimum size and its minimum notional at the price, on the size tick. */
function liftToMinimum(size: string, r: OrderRequest): string {
  let out = maxDec(size, r.sizeTick);
  if (r.minSize !== undefined && signDec(r.minSize) > 0) out = maxDec(out, ceilToTick(r.minSize, '1', r.sizeTick));
  const minNotional = r.minNotional ?? '0';
  if (signDec(minNotional) > 0 && compareDec(mulDec(out, r.price), minNotional) < 0) out = ceilToTick(minNotional, r.price, r.sizeTick);
  return absDec(out);
}

/** `num / den` rounded down to a multiple of `tick`, exactly: tick * floor(num / (den * tick)). */
function floorToTick(num: string, den: string, tick: string): string {
  return mulDec(divDec(num, mulDec(den, tick), 0, 'floor'), tick);
}

/** `num / den` rounded up to a multiple of `tick`, exactly. */
function ceilToTick(num: string, den: string, tick: string): string {
  return mulDec(divDec(num, mulDec(den, tick), 0, 'ceil'), tick);
}
