import type { Action } from '../../protocol/orders.js';
import { TICK_CODE, TICK_STRIDE } from '../../data/tick-pack.js';

/** The best bid and ask a market's feed last quoted (prices as the feed carries them). */
export interface Touch {
  bid: number | null;
  ask: number | null;
}

const BID = new Set([TICK_CODE.get('bid'), TICK_CODE.get('bsize')]);
const ASK = new Set([TICK_CODE.get('ask'), TICK_CODE.get('asize')]);

/** The touch of each market whose batches it is shown, read straight off the packed doubles (no tick objects). */
export class Touches {
  private readonly byFqme = new Map<string, Touch>();

  onPacked(fqme: string, packed: Float64Array): void {
    let t = this.byFqme.get(fqme);
    for (let o = 0; o < packed.length; o += TICK_STRIDE) {
      const code = packed[o];
      if (BID.has(code)) (t ??= this.entry(fqme)).bid = packed[o + 1]!;
      else if (ASK.has(code)) (t ??= this.entry(fqme)).ask = packed[o + 1]!;
    }
  }

  get(fqme: string): Touch | undefined {
    return this.byFqme.get(fqme);
  }

  private entry(fqme: string): Touch {
    const t: Touch = { bid: null, ask: null };
    this.byFqme.set(fqme, t);
    return t;
  }
}

/**
 * Why a venue whose matching engine reports `engine` (Kraken's status channel, K1) takes no new live order, nor a
 * change of one, now; null when it does (online, or a status it has not said). Cancels are never held back here:
 * cancel_only and post_only take them, and what maintenance makes of one is the venue's own answer.
 *
 * post_only takes only orders that rest on the book. Candlewick orders are limits with no post-only flag, so the
 * ones refused here are those that would take liquidity as a market order does: a buy at or above the ask, a sell at
 * or below the bid. One that would rest goes out; should the venue want the flag, its own reason reaches the trader.
 */
export function engineRefusal(broker: string, engine: string | null, order: { fqme: string; action: Action; price: string }, touch: Touch | undefined): string | null {
  if (engine === 'maintenance') return `${broker} engine is in maintenance: it takes no new orders or changes now; send again once it is online`;
  if (engine === 'cancel_only') return `${broker} engine is cancel_only: it takes only cancels now; send again once it is online`;
  if (engine !== 'post_only' || order.action === 'alert') return null;
  const head = `${broker} engine is post_only: it takes only orders that rest on the book`;
  const side = order.action === 'buy' ? 'ask' : 'bid';
  const quote = touch?.[side] ?? null;
  if (quote === null) return `${head}, and with no ${side} quoted on ${order.fqme} yet there is no telling whether this one would; send again once it is quoted or the engine is online`;
  const price = Number(order.price);
  const crosses = order.action === 'buy' ? price >= quote : price <= quote;
  if (!crosses) return null;
  return `${head}, and this ${order.action} at ${order.price} would take the ${side} at ${quote} (Candlewick orders carry no post-only flag); price it to rest or send again once the engine is online`;
}
