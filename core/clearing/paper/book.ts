/** What the book needs of a resting order: its limit in whole ticks and its arrival number (time priority). */
export interface Resting {
  key: bigint;
  seq: number;
}

/**
 * One side of a market's resting orders, kept best first (buys by descending limit, sells by ascending, FIFO at a
 * price). The orders a quote crosses are then always a prefix, so a tick touches only the crossed orders and never
 * scans the rest of the book.
 */
export class BookSide<T extends Resting> {
  private items: T[] = [];

  constructor(readonly side: 'buy' | 'sell') {}

  get length(): number {
    return this.items.length;
  }

  /** Best first; a copy. */
  orders(): T[] {
    return this.items.slice();
  }

  insert(x: T): void {
    this.items.splice(this.lowerBound(x), 0, x);
  }

  remove(x: T): boolean {
    const i = this.lowerBound(x);
    if (this.items[i] !== x) return false;
    this.items.splice(i, 1);
    return true;
  }

  /** Whether a limit of `limit` ticks is crossed by a counter-quote at `price` ticks. */
  crosses(limit: bigint, price: bigint): boolean {
    return this.side === 'buy' ? limit >= price : limit <= price;
  }

  /**
   * Visits the orders crossed by a counter-quote at `price` ticks, best first, while `visit` returns true; then
   * drops the `done` ones from the front (a fill can finish only orders in the visited prefix).
   */
  match(price: bigint, visit: (o: T) => boolean, done: (o: T) => boolean): void {
    let i = 0;
    for (; i < this.items.length; i++) {
      const o = this.items[i]!;
      if (!this.crosses(o.key, price) || !visit(o)) break;
    }
    let k = 0;
    while (k < this.items.length && k <= i && done(this.items[k]!)) k++;
    if (k > 0) this.items.splice(0, k);
  }

  /** First index whose order ranks at or after `x`: binary search on (limit, arrival). */
  private lowerBound(x: T): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ranksBefore(this.items[mid]!, x)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private ranksBefore(a: T, b: T): boolean {
    if (a.key !== b.key) return this.side === 'buy' ? a.key > b.key : a.key < b.key;
    return a.seq < b.seq;
  }
}
