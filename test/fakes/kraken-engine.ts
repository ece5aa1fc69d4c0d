import { addDec, compareDec, divDec, minDec, mulDec, onTick, roundDec, subDec } from '../../core/protocol/decimal.js';
import type { FakePair } from './kraken-server.js';
import type { TapeTrade, TradeTape } from './trade-tape.js';

/**
 * The fake Kraken's private matching engine: accounts' balances, orders and trades live here, in the fake server
 * object, so they outlive any client. Orders rest and fill against the public tape (partial fills: a tape trade
 * fills at most its own size); a marketable order takes the tape's quote at once (taker, up to the quoted size).
 * Every state change is an `executions` event (K7), built from exact decimal strings.
 */
export const TAKER_FEE = '0.0026';
export const MAKER_FEE = '0.0016';
const WITH_TAKER_FEE = addDec('1', TAKER_FEE);
/** Fees and quote balances in USD are kept to Kraken's 4 decimals for USD. */
const QUOTE_DECIMALS = 4;

export type OrderStatus = 'pending' | 'open' | 'closed' | 'canceled' | 'expired';

export interface FakeOrder {
  orderId: string;
  clOrdId: string | null;
  pair: FakePair;
  side: 'buy' | 'sell';
  qty: string;
  limit: string;
  filled: string;
  cost: string;
  fee: string;
  status: OrderStatus;
  openedMs: number;
  closedMs: number | null;
  reason: string | null;
  trades: string[];
}

export interface FakeTrade {
  txid: string;
  tradeId: number;
  orderId: string;
  pair: FakePair;
  side: 'buy' | 'sell';
  price: string;
  qty: string;
  cost: string;
  fee: string;
  maker: boolean;
  time: number;
}

/** An executions entry: decimals as strings (written as bare numbers on the wire), everything else as is. */
export type ExecEvent = Record<string, string | number | boolean | null | { asset: string; qty: string }[]>;

export interface AddParams {
  symbol: string;
  side: string;
  orderType: string;
  qty: string;
  limit: string;
  clOrdId: string | null;
}

/** The fields an executions event carries about an order, as the documented pending_new entry does. */
export const NUMERIC_FIELDS = new Set(['order_qty', 'limit_price', 'cum_qty', 'cum_cost', 'avg_price', 'last_qty', 'last_price', 'cost', 'fee_usd_equiv', 'qty', 'stop_price']);

function id(prefix: string, n: number): string {
  const s = (n * 7_919 + 1_000_003).toString(36).toUpperCase().padStart(17, 'K');
  return `${prefix}${s.slice(0, 5)}-${s.slice(5, 10)}-${s.slice(10, 16)}`;
}

const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '000Z');

export class KrakenEngine {
  readonly balances = new Map<string, string>();
  readonly orders = new Map<string, FakeOrder>();
  readonly trades: FakeTrade[] = [];
  readonly listeners = new Set<(e: ExecEvent) => void>();
  private n = 0;
  private tradeSeq = 62_887_000;

  constructor(
    private readonly pairs: ReadonlyMap<string, FakePair>,
    private readonly tapes: ReadonlyMap<string, TradeTape>,
    balances: Record<string, string> = { ZUSD: '100000.0000', XXBT: '1.0000000000', XETH: '10.0000000000' },
  ) {
    for (const [k, v] of Object.entries(balances)) this.balances.set(k, v);
  }

  byClOrdId(clOrdId: string): FakeOrder | undefined {
    for (const o of this.orders.values()) if (o.clOrdId === clOrdId && (o.status === 'open' || o.status === 'pending')) return o;
    return undefined;
  }

  openOrders(): FakeOrder[] {
    return [...this.orders.values()].filter((o) => o.status === 'open' || o.status === 'pending');
  }

  /** add_order: the venue's checks (K7 errors), then pending_new -> new -> fills against the quote. */
  add(p: AddParams, now = Date.now()): { orderId: string } | { error: string } {
    const pair = this.pairs.get(p.symbol);
    if (!pair) return { error: `EQuery:Unknown asset pair` };
    if ((p.side !== 'buy' && p.side !== 'sell') || p.orderType !== 'limit') return { error: 'EGeneral:Invalid arguments' };
    if (p.clOrdId !== null && (p.clOrdId.length === 0 || (p.clOrdId.length > 18 && !/^[0-9a-f-]{36}$/i.test(p.clOrdId)))) return { error: 'EGeneral:Invalid arguments:cl_ord_id' };
    if (p.clOrdId !== null && this.byClOrdId(p.clOrdId)) return { error: 'EOrder:Duplicate cl_ord_id' };
    if (compareDec(p.qty, pair.ordermin) < 0) return { error: 'EOrder:Order minimum not met' };
    if (!onTick(p.limit, pair.tickSize) || compareDec(p.limit, '0') <= 0) return { error: 'EOrder:Invalid price' };
    if (compareDec(mulDec(p.qty, p.limit), pair.costmin) < 0) return { error: 'EOrder:Cost minimum not met' };
    if (!this.affordable(pair, p.side, p.qty, p.limit)) return { error: 'EOrder:Insufficient funds' };
    const o: FakeOrder = {
      orderId: id('O', ++this.n), clOrdId: p.clOrdId, pair, side: p.side, qty: p.qty, limit: p.limit, filled: '0', cost: '0', fee: '0',
      status: 'pending', openedMs: now, closedMs: null, reason: null, trades: [],
    };
    this.orders.set(o.orderId, o);
    this.emit({
      order_id: o.orderId, ...(o.clOrdId ? { cl_ord_id: o.clOrdId } : {}), symbol: pair.symbol, order_qty: o.qty, cum_cost: '0', time_in_force: 'GTC',
      exec_type: 'pending_new', side: o.side, order_type: 'limit', limit_price_type: 'static', limit_price: o.limit, stop_price: '0',
      order_status: 'pending_new', fee_usd_equiv: '0', fee_ccy_pref: 'fciq', timestamp: iso(now),
    });
    o.status = 'open';
    this.emit({ timestamp: iso(now), order_status: 'new', exec_type: 'new', order_id: o.orderId, ...(o.clOrdId ? { cl_ord_id: o.clOrdId } : {}) });
    this.takeQuote(o, now);
    return { orderId: o.orderId };
  }

  cancel(ref: { orderId?: string; clOrdId?: string }, now = Date.now()): { orderId: string; clOrdId: string | null } | { error: string } {
    const o = this.find(ref);
    if (!o) return { error: 'EOrder:Unknown order' };
    this.close(o, 'canceled', 'User requested', now);
    return { orderId: o.orderId, clOrdId: o.clOrdId };
  }

  /** amend_order: in place (same ids); a quantity below what filled cancels the rest (K7 amend notes). */
  amend(ref: { orderId?: string; clOrdId?: string }, qty: string, limit: string | null, now = Date.now()): { orderId: string; amendId: string } | { error: string } {
    const o = this.find(ref);
    if (!o) return { error: 'EOrder:Unknown order' };
    if (limit !== null && !onTick(limit, o.pair.tickSize)) return { error: 'EOrder:Invalid price' };
    const nextLimit = limit ?? o.limit;
    const extra = subDec(mulDec(qty, nextLimit), mulDec(o.qty, o.limit));
    if (o.side === 'buy' && compareDec(extra, '0') > 0 && !this.affordable(o.pair, 'buy', subDec(qty, o.qty), nextLimit, o)) return { error: 'EOrder:Insufficient funds' };
    o.qty = qty;
    o.limit = nextLimit;
    const amendId = id('TA', ++this.n);
    this.emit({ timestamp: iso(now), exec_type: 'amended', order_status: 'new', order_id: o.orderId, ...(o.clOrdId ? { cl_ord_id: o.clOrdId } : {}), order_qty: o.qty, limit_price: o.limit, amended: true, reason: 'User requested' });
    if (compareDec(o.qty, o.filled) <= 0) this.close(o, compareDec(o.filled, '0') > 0 ? 'closed' : 'canceled', 'Order quantity reduced below filled', now);
    else this.takeQuote(o, now);
    return { orderId: o.orderId, amendId };
  }

  /** Resting orders fill against tape trades through their limit, as makers, at most the trade's size. */
  onTapeTrades(pair: FakePair, trades: readonly TapeTrade[]): void {
    const tape = this.tapes.get(pair.symbol)!;
    for (const t of trades) {
      let left = t.size.toFixed(pair.lotDecimals);
      const px = tape.fmt(t.price);
      for (const o of this.openOrders()) {
        if (o.pair !== pair || compareDec(left, '0') <= 0) continue;
        const crosses = o.side === 'buy' ? compareDec(px, o.limit) <= 0 : compareDec(px, o.limit) >= 0;
        if (!crosses) continue;
        const q = minDec(left, subDec(o.qty, o.filled));
        this.fill(o, o.limit, q, true, t.time);
        left = subDec(left, q);
      }
    }
  }

  private find(ref: { orderId?: string; clOrdId?: string }): FakeOrder | undefined {
    const o = ref.orderId ? this.orders.get(ref.orderId) : ref.clOrdId ? this.byClOrdId(ref.clOrdId) : undefined;
    return o && (o.status === 'open' || o.status === 'pending') ? o : undefined;
  }

  /** A marketable order takes the tape's quote on the other side, up to the quoted size. */
  private takeQuote(o: FakeOrder, now: number): void {
    const tape = this.tapes.get(o.pair.symbol)!;
    const q = tape.quote;
    if (!q || o.status !== 'open') return;
    const px = tape.fmt(o.side === 'buy' ? q.ask : q.bid);
    const size = (o.side === 'buy' ? q.askSize : q.bidSize).toFixed(o.pair.lotDecimals);
    const crosses = o.side === 'buy' ? compareDec(px, o.limit) <= 0 : compareDec(px, o.limit) >= 0;
    if (crosses) this.fill(o, px, minDec(size, subDec(o.qty, o.filled)), false, now);
  }

  private fill(o: FakeOrder, price: string, qty: string, maker: boolean, now: number): void {
    if (compareDec(qty, '0') <= 0) return;
    const cost = mulDec(price, qty);
    const fee = roundDec(mulDec(cost, maker ? MAKER_FEE : TAKER_FEE), QUOTE_DECIMALS, 'half-up');
    const base = o.pair.base;
    const quote = o.pair.quote;
    const bal = (k: string) => this.balances.get(k) ?? '0';
    if (o.side === 'buy') {
      this.balances.set(quote, subDec(bal(quote), addDec(cost, fee)));
      this.balances.set(base, addDec(bal(base), qty));
    } else {
      this.balances.set(base, subDec(bal(base), qty));
      this.balances.set(quote, addDec(bal(quote), subDec(cost, fee)));
    }
    o.filled = addDec(o.filled, qty);
    o.cost = addDec(o.cost, cost);
    o.fee = addDec(o.fee, fee);
    const t: FakeTrade = { txid: id('T', ++this.n), tradeId: ++this.tradeSeq, orderId: o.orderId, pair: o.pair, side: o.side, price, qty, cost, fee, maker, time: now };
    this.trades.push(t);
    o.trades.push(t.txid);
    // Spot sends the trade with partially_filled even when it completes the order, then a separate `filled`.
    this.emit({
      order_id: o.orderId, ...(o.clOrdId ? { cl_ord_id: o.clOrdId } : {}), exec_id: t.txid, exec_type: 'trade', trade_id: t.tradeId, symbol: o.pair.symbol,
      side: o.side, last_qty: qty, last_price: price, liquidity_ind: maker ? 'm' : 't', cost, order_type: 'limit', timestamp: iso(now),
      order_status: 'partially_filled', cum_qty: o.filled, cum_cost: o.cost, avg_price: divDec(o.cost, o.filled, o.pair.pairDecimals), fee_usd_equiv: fee,
      fees: [{ asset: 'USD', qty: fee }],
    });
    if (compareDec(o.filled, o.qty) >= 0) this.close(o, 'closed', null, now);
  }

  private close(o: FakeOrder, status: 'closed' | 'canceled', reason: string | null, now: number): void {
    o.status = status;
    o.closedMs = now;
    o.reason = reason;
    const ids = { order_id: o.orderId, ...(o.clOrdId ? { cl_ord_id: o.clOrdId } : {}) };
    if (status === 'closed') this.emit({ timestamp: iso(now), order_status: 'filled', exec_type: 'filled', ...ids, cum_qty: o.filled, cum_cost: o.cost });
    else this.emit({ timestamp: iso(now), order_status: 'canceled', exec_type: 'canceled', ...ids, cum_qty: o.filled, cum_cost: o.cost, reason: reason ?? 'User requested' });
  }

  /** Funds free of open orders cover this order (buys at the taker fee). `except` is an order being amended. */
  private affordable(pair: FakePair, side: 'buy' | 'sell', qty: string, limit: string, except?: FakeOrder): boolean {
    let held = '0';
    for (const o of this.openOrders()) {
      if (o === except) continue;
      const rest = subDec(o.qty, o.filled);
      if (side === 'buy' && o.side === 'buy' && o.pair.quote === pair.quote) held = addDec(held, mulDec(mulDec(rest, o.limit), WITH_TAKER_FEE));
      if (side === 'sell' && o.side === 'sell' && o.pair.base === pair.base) held = addDec(held, rest);
    }
    const need = side === 'buy' ? mulDec(mulDec(qty, limit), WITH_TAKER_FEE) : qty;
    const have = this.balances.get(side === 'buy' ? pair.quote : pair.base) ?? '0';
    return compareDec(addDec(held, need), have) <= 0;
  }

  private emit(e: ExecEvent): void {
    for (const l of this.listeners) l(e);
  }
}
