import type { MktPair } from '../../protocol/types.js';
import { floatOnTick, ticksOf } from './exact.js';

/**
 * One side of the last L1 quote (or a trade print), as the feed sent it. Feed prices are floats; they are made
 * exact (on the market's ticks) only when an order needs them, so quotes for a market with no crossing orders
 * cost one assignment.
 */
export class QuoteLevel {
  private rawPrice = NaN;
  private rawSize = 0;
  private exact: { key: bigint; price: string; size: string } | null = null;
  time = 0;

  set(price: number, size: number, time: number): void {
    this.rawPrice = price;
    this.rawSize = size;
    this.time = time;
    this.exact = null;
  }

  /** A size-only update (an `asize`/`bsize` tick) at the current price. */
  setSize(size: number, time: number): void {
    this.rawSize = size;
    this.time = time;
    if (this.exact) this.exact = null;
  }

  get known(): boolean {
    return Number.isFinite(this.rawPrice) && this.rawPrice > 0;
  }

  /** Price in whole ticks, exact price and the size still available there, or null without a usable quote. */
  resolve(mkt: MktPair): { key: bigint; price: string; size: string } | null {
    if (this.exact) return this.exact;
    if (!this.known) return null;
    const price = floatOnTick(this.rawPrice, mkt.priceTick);
    if (price === null || price === '0') return null;
    const size = floatOnTick(this.rawSize, mkt.sizeTick) ?? '0';
    this.exact = { key: ticksOf(price, mkt.priceTick), price, size };
    return this.exact;
  }
}

/** The last bid and ask of one market. */
export class L1 {
  readonly bid = new QuoteLevel();
  readonly ask = new QuoteLevel();
}
