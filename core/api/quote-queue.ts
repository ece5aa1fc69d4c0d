import type { Tick } from '../protocol/types.js';
import { TICK_STRIDE, TRADE_CODE, unpackTicks } from '../data/tick-pack.js';

/** Trades a slow client may have queued per market before the oldest are dropped (and counted). */
export const MAX_QUEUED_TRADES = 50_000;

/**
 * One client's pending ticks for one market. Trades are kept in order; quotes (bid/ask) are coalesced to
 * the newest of each type, so a slow client's queue stays bounded by its trades, and never drops them
 * silently: overflow is counted and reported with the next batch.
 */
export class QuoteQueue {
  private trades: Tick[] = [];
  private latest = new Map<string, Tick>();
  dropped = 0;

  push(packed: Float64Array): void {
    for (const t of unpackTicks(packed)) {
      if (t.type === 'trade') this.trades.push(t);
      else this.latest.set(t.type, t);
    }
    const excess = this.trades.length - MAX_QUEUED_TRADES;
    if (excess > 0) {
      this.trades.splice(0, excess);
      this.dropped += excess;
    }
  }

  get empty(): boolean {
    return this.trades.length === 0 && this.latest.size === 0;
  }

  drain(): { ticks: Tick[]; dropped: number } {
    const ticks = this.trades.concat([...this.latest.values()]);
    ticks.sort((a, b) => a.time - b.time);
    const dropped = this.dropped;
    this.trades = [];
    this.latest.clear();
    this.dropped = 0;
    return { ticks, dropped };
  }
}

export function hasTrade(packed: Float64Array): boolean {
  for (let o = 0; o < packed.length; o += TICK_STRIDE) if (packed[o] === TRADE_CODE) return true;
  return false;
}
