import type { Tick, TickType } from '../protocol/types.js';

/**
 * Ticks cross from a datad worker to the main thread packed as 4 doubles each (type, price, size, time)
 * in a transferred buffer: no per-tick objects are cloned on the hot path.
 */
const TYPES: readonly TickType[] = ['trade', 'bid', 'ask', 'bsize', 'asize', 'last'];
const CODE = new Map(TYPES.map((t, i) => [t, i]));
export const TICK_STRIDE = 4;

export function packTicks(ticks: readonly Tick[]): Float64Array {
  const out = new Float64Array(ticks.length * TICK_STRIDE);
  for (let i = 0; i < ticks.length; i++) {
    const t = ticks[i]!;
    const o = i * TICK_STRIDE;
    out[o] = CODE.get(t.type)!;
    out[o + 1] = t.price;
    out[o + 2] = t.size;
    out[o + 3] = t.time;
  }
  return out;
}

export function unpackTicks(packed: Float64Array): Tick[] {
  const n = packed.length / TICK_STRIDE;
  const out: Tick[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * TICK_STRIDE;
    out[i] = { type: TYPES[packed[o]!]!, price: packed[o + 1]!, size: packed[o + 2]!, time: packed[o + 3]! };
  }
  return out;
}

export const TRADE_CODE = 0;
/** A packed tick's type code, for readers that scan the doubles without unpacking them. */
export const TICK_CODE: ReadonlyMap<TickType, number> = CODE;
