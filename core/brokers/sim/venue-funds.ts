import { addDec, compareDec, isDecimal, mulDec } from '../../protocol/decimal.js';
import type { MktPair } from '../../protocol/types.js';
import { feeFor, type FeeModel } from '../../clearing/paper/fees.js';
import { negDec, subDec } from '../../clearing/paper/exact.js';
import type { FillRecord, OpenOrder } from '../../clearing/paper/types.js';

/**
 * Cash per account at the sim venue, in the markets' quote asset (usd for every sim market). Buys debit
 * notional + fee, sells credit notional - fee. Open buys reserve what they could still cost at their limit
 * (taker fee included, the worst case), so two orders cannot both spend the same cash.
 */
export class VenueFunds {
  private readonly cash = new Map<string, string>();

  constructor(
    balances: Record<string, string>,
    private readonly fees: FeeModel,
  ) {
    for (const [account, amount] of Object.entries(balances)) {
      if (!isDecimal(amount)) throw new Error(`sim venue: balance of '${account}' must be a decimal string, got ${JSON.stringify(amount)}`);
      this.cash.set(account, amount);
    }
  }

  has(account: string): boolean {
    return this.cash.has(account);
  }

  accounts(): string[] {
    return [...this.cash.keys()];
  }

  balance(account: string): string | undefined {
    return this.cash.get(account);
  }

  /** Most a buy of `size` at `price` can cost. */
  worstCost(price: string, size: string, mkt: MktPair): string {
    return addDec(mulDec(price, size), feeFor(this.fees, 'taker', price, size, mkt.src.txTick));
  }

  /** Cash not yet spoken for by the account's open buys (other than `except`). */
  available(account: string, open: readonly OpenOrder[], mkt: (fqme: string) => MktPair, except: string | null): string {
    let free = this.cash.get(account) ?? '0';
    for (const o of open) {
      if (o.action === 'buy' && o.reqid !== except) free = subDec(free, this.worstCost(o.price, o.remaining, mkt(o.fqme)));
    }
    return free;
  }

  /** Why a buy costing at most `cost` cannot be placed, or null. */
  shortfall(account: string, cost: string, available: string, currency: string): string | null {
    return compareDec(cost, available) > 0 ? `insufficient funds: needs ${cost} ${currency}, ${available} ${currency} available in '${account}'` : null;
  }

  settle(f: FillRecord): void {
    const notional = mulDec(f.price, f.size);
    const delta = f.action === 'buy' ? negDec(addDec(notional, f.fee)) : subDec(notional, f.fee);
    this.cash.set(f.account, addDec(this.cash.get(f.account) ?? '0', delta));
  }
}
