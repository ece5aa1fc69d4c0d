import { addDec, mulDec, tickDigits } from '../../protocol/decimal.js';
import type { Side } from '../../protocol/orders.js';
import { absDec, divRound, signDec } from './exact.js';

/** Extra digits an average price carries beyond the price tick: an average is a quotient, rarely on tick. */
export const AVG_EXTRA_DIGITS = 8;

export interface Holding {
  account: string;
  fqme: string;
  /** Signed: long > 0, short < 0. */
  size: string;
  /** Average entry price (fees excluded: the ledger's ppu books those); '0' when flat. */
  avgPrice: string;
}

/**
 * Net position per (account, fqme) as a venue reports it. The average moves only on fills that grow |size|;
 * reducing fills leave it; a fill through zero restarts it at that fill's price (piker's ppu rules, without
 * costs).
 */
export class Positions {
  private byKey = new Map<string, Holding>();

  get(account: string, fqme: string): Holding | undefined {
    return this.byKey.get(`${account}\u0000${fqme}`);
  }

  list(account: string): Holding[] {
    return [...this.byKey.values()].filter((h) => h.account === account);
  }

  apply(account: string, fqme: string, action: Side, price: string, size: string, priceTick: string): Holding {
    const key = `${account}\u0000${fqme}`;
    const h = this.byKey.get(key) ?? { account, fqme, size: '0', avgPrice: '0' };
    const delta = action === 'buy' ? size : `-${size}`;
    const before = signDec(h.size);
    const after = addDec(h.size, delta);
    const scale = tickDigits(priceTick) + AVG_EXTRA_DIGITS;
    let avg = h.avgPrice;
    if (signDec(after) === 0) avg = '0';
    else if (before === 0 || signDec(after) !== before) avg = price;
    else if (signDec(delta) === before) {
      const held = absDec(h.size);
      avg = divRound(addDec(mulDec(h.avgPrice, held), mulDec(price, size)), addDec(held, size), scale);
    }
    const next = { account, fqme, size: after, avgPrice: avg };
    this.byKey.set(key, next);
    return next;
  }
}
