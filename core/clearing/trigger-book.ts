/**
 * emsd's dark book for one fqme: dark orders and alerts waiting for the market to reach their price
 * (piker-semantics §6). piker scans every trigger of a symbol on every tick; here each (action, direction) has
 * its own array kept sorted so that the next trigger to fire sits at the end. A tick looks only at the ends of
 * the lists its type feeds: O(1) when nothing fires, O(k) pops when k fire (plus a sort of the k). Arming and
 * removal are a binary search and a splice (a memmove: microseconds at 10,000 triggers, and they are rare).
 */
import { addDec, compareDec, quantize, tickDigits, ticksToDec } from '../protocol/decimal.js';
import type { Action, Side } from '../protocol/orders.js';
import type { TickType } from '../protocol/types.js';

/** up: fires when price >= trigger (armed at or above the last price); down: when price <= trigger. */
export type Direction = 'up' | 'down';

export interface Trigger {
  readonly oid: string;
  readonly action: Action;
  /** Exact, as the order has it. */
  readonly price: string;
  /** The same as a number: what ticks (floats) are compared against. */
  readonly px: number;
  readonly direction: Direction;
  /** Arming order: equal prices fire first-armed first. */
  readonly seq: number;
}

/** Which tick types each action watches: a buy fills at the ask, a sell at the bid, both at trades. */
export const WATCHED_TICKS: { readonly [A in Action]: readonly TickType[] } = {
  buy: ['ask', 'last', 'trade'],
  sell: ['bid', 'last', 'trade'],
  alert: ['trade', 'last'],
};

const ACTIONS: readonly Action[] = ['buy', 'sell', 'alert'];

/**
 * Lists ordered so the next to fire is last. up: descending price, then descending seq (the end holds the lowest
 * price, first armed). down: ascending price, then descending seq (the end holds the highest price, first armed).
 */
function before(dir: Direction, a: Trigger, b: Trigger): boolean {
  if (a.px !== b.px) return dir === 'up' ? a.px > b.px : a.px < b.px;
  return a.seq > b.seq;
}

/** First index whose element does not sort before `t`. */
function lowerBound(list: readonly Trigger[], dir: Direction, t: Trigger): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(dir, list[mid]!, t)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class TriggerBook {
  private readonly lists = new Map<string, Trigger[]>();
  private readonly byOid = new Map<string, Trigger>();
  private readonly feeds: { readonly [T in TickType]: readonly Trigger[][] };
  private seq = 0;
  /** The last trade/last price seen: what a new trigger's direction is decided against. */
  last: number | null = null;

  constructor(readonly fqme: string) {
    for (const a of ACTIONS) for (const d of ['up', 'down'] as const) this.lists.set(`${a}:${d}`, []);
    const listsFor = (type: TickType): Trigger[][] =>
      ACTIONS.filter((a) => WATCHED_TICKS[a].includes(type)).flatMap((a) => [this.list(a, 'up'), this.list(a, 'down')]);
    this.feeds = {
      trade: listsFor('trade'),
      last: listsFor('last'),
      bid: listsFor('bid'),
      ask: listsFor('ask'),
      bsize: [],
      asize: [],
    };
  }

  get size(): number {
    return this.byOid.size;
  }

  has(oid: string): boolean {
    return this.byOid.has(oid);
  }

  get(oid: string): Trigger | undefined {
    return this.byOid.get(oid);
  }

  /** Every resting trigger (no particular order): for snapshots and the journal. */
  all(): Trigger[] {
    return [...this.byOid.values()];
  }

  /**
   * Arm a trigger. Its direction comes from `last` (default: the last trade/last price this book has seen);
   * there must be one, since a trigger with no reference price could fire either way.
   */
  arm(t: { oid: string; action: Action; price: string }, last: number | null = this.last): Trigger {
    if (this.byOid.has(t.oid)) throw new Error(`trigger ${t.oid} is already armed on ${this.fqme}`);
    if (last === null || !Number.isFinite(last)) {
      throw new Error(`no last price for ${this.fqme}: cannot tell which way trigger ${t.oid} fires`);
    }
    const px = Number(t.price);
    if (!Number.isFinite(px)) throw new Error(`trigger ${t.oid} has price ${JSON.stringify(t.price)}`);
    const direction = px >= last ? 'up' : 'down';
    const trigger: Trigger = { oid: t.oid, action: t.action, price: t.price, px, direction, seq: ++this.seq };
    const list = this.list(trigger.action, trigger.direction);
    list.splice(lowerBound(list, trigger.direction, trigger), 0, trigger);
    this.byOid.set(trigger.oid, trigger);
    return trigger;
  }

  /** Move a trigger to a new price (a modify): its direction is decided afresh, and it queues behind equals. */
  rearm(oid: string, price: string, last: number | null = this.last): Trigger {
    const old = this.byOid.get(oid);
    if (!old) throw new Error(`trigger ${oid} is not armed on ${this.fqme}`);
    this.remove(oid);
    try {
      return this.arm({ oid, action: old.action, price }, last);
    } catch (e) {
      this.restore(old);
      throw e;
    }
  }

  remove(oid: string): Trigger | undefined {
    const t = this.byOid.get(oid);
    if (!t) return undefined;
    const list = this.list(t.action, t.direction);
    const i = lowerBound(list, t.direction, t);
    if (list[i] !== t) throw new Error(`trigger book for ${this.fqme} is corrupt: ${oid} not where its price puts it`);
    list.splice(i, 1);
    this.byOid.delete(oid);
    return t;
  }

  /**
   * A tick: returns (and removes) the triggers it fires, in the order the price crossed them (rising: lowest
   * first; falling: highest first; equal prices first-armed first), up-triggers before down-triggers.
   */
  onTick(type: TickType, price: number): Trigger[] {
    if (!Number.isFinite(price)) return [];
    let fired: Trigger[] | null = null;
    let lists = 0;
    for (const list of this.feeds[type]) {
      const n = list.length;
      if (n === 0) continue;
      const end = list[n - 1]!;
      const up = end.direction === 'up'; // one list, one direction
      if (up ? price < end.px : price > end.px) continue;
      fired ??= [];
      lists++;
      for (let t = list[list.length - 1]; t && (up ? price >= t.px : price <= t.px); t = list[list.length - 1]) {
        list.pop();
        this.byOid.delete(t.oid);
        fired.push(t);
      }
    }
    if (type === 'trade' || type === 'last') this.last = price;
    if (!fired) return [];
    // Several lists fired (a trade crossing buys and alerts): merge them into one crossing order.
    if (lists > 1) fired.sort(crossingOrder);
    return fired;
  }

  private list(action: Action, dir: Direction): Trigger[] {
    return this.lists.get(`${action}:${dir}`)!;
  }

  private restore(t: Trigger): void {
    const list = this.list(t.action, t.direction);
    list.splice(lowerBound(list, t.direction, t), 0, t);
    this.byOid.set(t.oid, t);
  }
}

function crossingOrder(a: Trigger, b: Trigger): number {
  if (a.direction !== b.direction) return a.direction === 'up' ? -1 : 1;
  if (a.px !== b.px) return a.direction === 'up' ? a.px - b.px : b.px - a.px;
  return a.seq - b.seq;
}

/**
 * The limit a triggered dark order goes out at: `ticksThrough` ticks past the tick that fired it (above for a
 * buy, below for a sell) so it is marketable, on the tick grid, and never below one tick.
 */
export function marketableLimit(side: Side, tickPrice: number, priceTick: string, ticksThrough: number): string {
  // toFixed, not String: String(1e-7) is "1e-7", which is no decimal.
  const at = quantize(tickPrice.toFixed(Math.min(100, tickDigits(priceTick) + 2)), priceTick);
  const limit = addDec(at, ticksToDec(side === 'buy' ? ticksThrough : -ticksThrough, priceTick));
  return compareDec(limit, priceTick) < 0 ? priceTick : limit;
}
