import { addDec, compareDec, mulDec, onTick, roundDec, subDec } from '../../core/protocol/decimal.js';
import { pad8 } from './binance-rest.js';

/**
 * The fake Binance's private side: balances, LIMIT GTC orders and their fills, kept in this object so they
 * outlive any client (a restarted dialog finds the truth here). Orders rest and fill against the public tape: a
 * resting buy fills (as maker, at its own price) when a tape trade prints at or below its price, a sell at or
 * above, for at most the trade's size, so partial fills happen. Commission follows Binance's default: a buyer
 * pays it in the base asset it receives, a seller in the quote asset. Every change is an executionReport (B4).
 */
export interface EngineMarket {
  symbol: string;
  base: string;
  quote: string;
  priceTick: string;
  sizeTick: string;
  minQty: string;
  minNotional: string;
}

export type OrderStatus = 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'REJECTED' | 'EXPIRED';

export interface FakeOrder {
  symbol: string;
  orderId: number;
  clientOrderId: string;
  side: 'BUY' | 'SELL';
  price: string;
  origQty: string;
  executedQty: string;
  cummulativeQuoteQty: string;
  status: OrderStatus;
  time: number;
  updateTime: number;
}

export interface FakeFill {
  symbol: string;
  id: number;
  orderId: number;
  price: string;
  qty: string;
  quoteQty: string;
  commission: string;
  commissionAsset: string;
  time: number;
  isBuyer: boolean;
  isMaker: boolean;
}

export interface VenueErr {
  code: number;
  msg: string;
}

export const ERR = {
  insufficient: { code: -2010, msg: 'Account has insufficient balance for requested action.' },
  duplicate: { code: -2010, msg: 'Duplicate order sent.' },
  unknownOrder: { code: -2011, msg: 'Unknown order sent.' },
  noSuchOrder: { code: -2013, msg: 'Order does not exist.' },
  badSymbol: { code: -1121, msg: 'Invalid symbol.' },
  filter: (f: string) => ({ code: -1013, msg: `Filter failure: ${f}` }),
} as const;

const isPos = (s: string) => /^\d+(\.\d+)?$/.test(s) && compareDec(s, '0') > 0;

export class BinanceEngine {
  readonly balances = new Map<string, { free: string; locked: string }>();
  readonly orders = new Map<number, FakeOrder>();
  readonly fills: FakeFill[] = [];
  /** Every event, as the user data stream sends it (`event` of `{subscriptionId, event}`). */
  onEvent: (event: Record<string, unknown>) => void = () => {};
  private nextOrderId = 5_000_000;
  private nextTradeId = 9_000_000;
  private nextExecId = 1;
  private readonly markets: Map<string, EngineMarket>;

  constructor(
    markets: EngineMarket[],
    readonly fee = '0.001',
    readonly now: () => number = Date.now,
  ) {
    this.markets = new Map(markets.map((m) => [m.symbol, m]));
  }

  setBalance(asset: string, free: string): void {
    this.balances.set(asset, { free, locked: this.balance(asset).locked });
  }

  balance(asset: string): { free: string; locked: string } {
    return this.balances.get(asset) ?? { free: '0', locked: '0' };
  }

  market(symbol: string): EngineMarket | undefined {
    return this.markets.get(symbol);
  }

  open(symbol?: string): FakeOrder[] {
    return [...this.orders.values()].filter((o) => (o.status === 'NEW' || o.status === 'PARTIALLY_FILLED') && (!symbol || o.symbol === symbol));
  }

  /** The newest order with this client id (an id is reusable once its order is closed), or by venue id. */
  find(symbol: string, by: { orderId?: number; clientOrderId?: string }): FakeOrder | undefined {
    const all = [...this.orders.values()].filter((o) => o.symbol === symbol);
    if (by.orderId !== undefined) return all.find((o) => o.orderId === by.orderId);
    return all.reverse().find((o) => o.clientOrderId === by.clientOrderId);
  }

  place(p: { symbol: string; side: 'BUY' | 'SELL'; price: string; quantity: string; clientOrderId?: string }): FakeOrder | VenueErr {
    const m = this.markets.get(p.symbol);
    if (!m) return ERR.badSymbol;
    if (!isPos(p.price) || !onTick(p.price, m.priceTick)) return ERR.filter('PRICE_FILTER');
    if (!isPos(p.quantity) || !onTick(p.quantity, m.sizeTick) || compareDec(p.quantity, m.minQty) < 0) return ERR.filter('LOT_SIZE');
    const notional = mulDec(p.price, p.quantity);
    if (compareDec(notional, m.minNotional) < 0) return ERR.filter('NOTIONAL');
    const clientOrderId = p.clientOrderId ?? `x-${this.nextOrderId}`;
    if (this.open(p.symbol).some((o) => o.clientOrderId === clientOrderId)) return ERR.duplicate;
    const [asset, need] = p.side === 'BUY' ? [m.quote, notional] : [m.base, p.quantity];
    const bal = this.balance(asset);
    if (compareDec(bal.free, need) < 0) return ERR.insufficient;
    this.balances.set(asset, { free: subDec(bal.free, need), locked: addDec(bal.locked, need) });
    const t = this.now();
    const o: FakeOrder = { symbol: p.symbol, orderId: this.nextOrderId++, clientOrderId, side: p.side, price: p.price, origQty: p.quantity, executedQty: '0', cummulativeQuoteQty: '0', status: 'NEW', time: t, updateTime: t };
    this.orders.set(o.orderId, o);
    this.report(o, 'NEW');
    return o;
  }

  cancel(symbol: string, by: { orderId?: number; clientOrderId?: string }, cancelClientId?: string): FakeOrder | VenueErr {
    if (!this.markets.has(symbol)) return ERR.badSymbol;
    const o = this.open(symbol).find((x) => (by.orderId !== undefined ? x.orderId === by.orderId : x.clientOrderId === by.clientOrderId));
    if (!o) return ERR.unknownOrder;
    this.release(o);
    o.status = 'CANCELED';
    o.updateTime = this.now();
    this.report(o, 'CANCELED', { c: cancelClientId ?? `cancel-${o.orderId}`, C: o.clientOrderId });
    return o;
  }

  /** A public trade printed: resting orders it reaches fill, oldest first, up to its size. */
  onTapeTrade(symbol: string, price: string, size: string, time: number): void {
    let left = size;
    for (const o of this.open(symbol)) {
      if (compareDec(left, '0') <= 0) break;
      const reaches = o.side === 'BUY' ? compareDec(price, o.price) <= 0 : compareDec(price, o.price) >= 0;
      if (!reaches) continue;
      const qty = compareDec(left, subDec(o.origQty, o.executedQty)) < 0 ? left : subDec(o.origQty, o.executedQty);
      this.fill(o, qty, time);
      left = subDec(left, qty);
    }
  }

  /** Fills `qty` of an open order at its own price (maker), moving balances and commission. */
  fill(o: FakeOrder, qty: string, time = this.now()): FakeFill {
    const m = this.markets.get(o.symbol)!;
    const quoteQty = mulDec(qty, o.price);
    const buy = o.side === 'BUY';
    const commission = roundDec(mulDec(buy ? qty : quoteQty, this.fee), 8, 'half-up');
    const commissionAsset = buy ? m.base : m.quote;
    const [paid, got] = buy ? [m.quote, m.base] : [m.base, m.quote];
    const out = buy ? quoteQty : qty;
    const inn = subDec(buy ? qty : quoteQty, commission);
    const pb = this.balance(paid);
    this.balances.set(paid, { free: pb.free, locked: subDec(pb.locked, out) });
    const gb = this.balance(got);
    this.balances.set(got, { free: addDec(gb.free, inn), locked: gb.locked });
    o.executedQty = addDec(o.executedQty, qty);
    o.cummulativeQuoteQty = addDec(o.cummulativeQuoteQty, quoteQty);
    o.status = compareDec(o.executedQty, o.origQty) === 0 ? 'FILLED' : 'PARTIALLY_FILLED';
    o.updateTime = time;
    const f: FakeFill = { symbol: o.symbol, id: this.nextTradeId++, orderId: o.orderId, price: o.price, qty, quoteQty, commission, commissionAsset, time, isBuyer: buy, isMaker: true };
    this.fills.push(f);
    this.report(o, 'TRADE', { l: pad8(qty), L: pad8(o.price), n: pad8(commission), N: commissionAsset, t: f.id, m: true, T: time, Y: pad8(quoteQty) });
    return f;
  }

  /** What a canceled order still had locked goes back to free. */
  private release(o: FakeOrder): void {
    const m = this.markets.get(o.symbol)!;
    const rest = subDec(o.origQty, o.executedQty);
    const [asset, amount] = o.side === 'BUY' ? [m.quote, mulDec(rest, o.price)] : [m.base, rest];
    const b = this.balance(asset);
    this.balances.set(asset, { free: addDec(b.free, amount), locked: subDec(b.locked, amount) });
  }

  /** An executionReport as documented (B4), with the fields this change sets. */
  private report(o: FakeOrder, x: string, extra: Record<string, unknown> = {}): void {
    const open = o.status === 'NEW' || o.status === 'PARTIALLY_FILLED';
    this.onEvent({
      e: 'executionReport',
      E: this.now(),
      s: o.symbol,
      c: o.clientOrderId,
      S: o.side,
      o: 'LIMIT',
      f: 'GTC',
      q: pad8(o.origQty),
      p: pad8(o.price),
      P: '0.00000000',
      F: '0.00000000',
      g: -1,
      C: '',
      x,
      X: o.status,
      r: 'NONE',
      i: o.orderId,
      l: '0.00000000',
      z: pad8(o.executedQty),
      L: '0.00000000',
      n: '0',
      N: null,
      T: o.updateTime,
      t: -1,
      I: this.nextExecId++,
      w: open,
      m: false,
      M: false,
      O: o.time,
      Z: pad8(o.cummulativeQuoteQty),
      Y: '0.00000000',
      Q: '0.00000000',
      W: o.time,
      V: 'NONE',
      ...extra,
    });
  }
}

export function isErr(v: unknown): v is VenueErr {
  return typeof v === 'object' && v !== null && 'code' in v && 'msg' in v;
}
