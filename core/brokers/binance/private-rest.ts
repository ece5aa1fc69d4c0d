import { addDec, isDecimal } from '../../protocol/decimal.js';
import type { Side } from '../../protocol/orders.js';
import type { VenueFill, VenueOrder } from '../trade-dialog.js';
import { normDec } from './markets.js';
import { BinanceError, type BinanceRest } from './rest.js';
import { signedQuery, type Params } from './sign.js';

/**
 * Binance spot's signed REST endpoints (B3) as typed calls. Every request is signed afresh per attempt (a
 * retried request needs a fresh timestamp inside recvWindow); the key goes in X-MBX-APIKEY. Nothing here logs
 * a query: the REST client names only method and path.
 */
export interface PrivateRestOptions {
  apiKey: string;
  apiSecret: string;
  now: () => number;
  /** Accepted clock skew + latency (B3: default 5000, at most 60000). */
  recvWindow?: number;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A venue answer that does not have the documented shape: an error like any other, with what was wrong. */
function malformed(what: string, v: unknown): BinanceError {
  return new BinanceError(`Binance ${what}: unexpected answer ${JSON.stringify(v).slice(0, 120)}`, 200);
}

export class BinancePrivateRest {
  constructor(
    private readonly rest: BinanceRest,
    private readonly o: PrivateRestOptions,
  ) {}

  /** Venue clock minus ours (ms), learned when the venue refuses a timestamp. */
  private offset = 0;

  /** The venue's clock now, as we best know it: what request timestamps and stream subscriptions carry. */
  venueNow(): number {
    return this.o.now() + this.offset;
  }

  /**
   * A signed request. A -1021 (timestamp outside recvWindow: our clock is off) was refused before it acted, so it
   * is sent once more after learning the venue's clock from GET /api/v3/time.
   */
  async signed(method: 'GET' | 'POST' | 'DELETE', path: string, params: Params): Promise<unknown> {
    const send = () =>
      this.rest.request({
        method,
        path,
        headers: { 'X-MBX-APIKEY': this.o.apiKey },
        query: () => signedQuery({ ...params, recvWindow: this.o.recvWindow ?? 5_000, timestamp: this.venueNow() }, this.o.apiSecret),
      });
    try {
      return await send();
    } catch (e) {
      if (!(e instanceof BinanceError) || e.code !== -1021) throw e;
      await this.syncClock();
      return send();
    }
  }

  /** Learns the venue's clock (GET /api/v3/time, weight 1). */
  async syncClock(): Promise<void> {
    const t0 = this.o.now();
    const r = await this.rest.get('/api/v3/time');
    if (!isObj(r) || typeof r.serverTime !== 'number') throw malformed('time', r);
    // The venue read its clock about halfway through the round trip.
    this.offset = r.serverTime - Math.round((t0 + this.o.now()) / 2);
  }

  /** A LIMIT GTC order with our client order id; ACK answers (the user stream says the rest). */
  async placeLimit(symbol: string, side: Side, price: string, quantity: string, clientOrderId: string): Promise<string> {
    const r = await this.signed('POST', '/api/v3/order', {
      symbol,
      side: side === 'buy' ? 'BUY' : 'SELL',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity,
      price,
      newClientOrderId: clientOrderId,
      newOrderRespType: 'ACK',
    });
    if (!isObj(r) || typeof r.orderId !== 'number') throw malformed('order', r);
    return String(r.orderId);
  }

  /** Cancels by client order id; the venue's view of the order after the cancel. */
  async cancel(symbol: string, clientOrderId: string): Promise<OrderRow> {
    return orderRow(await this.signed('DELETE', '/api/v3/order', { symbol, origClientOrderId: clientOrderId }), 'cancel');
  }

  /** The newest order with this client order id (or this venue id), or null if the venue has none (-2013). */
  async order(symbol: string, by: { clientOrderId: string } | { orderId: string }): Promise<OrderRow | null> {
    const key: Params = 'clientOrderId' in by ? { origClientOrderId: by.clientOrderId } : { orderId: by.orderId };
    try {
      return orderRow(await this.signed('GET', '/api/v3/order', { symbol, ...key }), 'order');
    } catch (e) {
      if (e instanceof BinanceError && e.code === -2013) return null;
      throw e;
    }
  }

  async openOrders(): Promise<OrderRow[]> {
    const r = await this.signed('GET', '/api/v3/openOrders', {});
    if (!Array.isArray(r)) throw malformed('openOrders', r);
    return r.map((x) => orderRow(x, 'openOrders'));
  }

  /** One page of account trades (at most 1000, oldest first from startTime / fromId). */
  async myTrades(params: { symbol: string; startTime?: number; endTime?: number; fromId?: number; orderId?: string }): Promise<TradeRow[]> {
    const p: Params = { symbol: params.symbol, limit: 1000 };
    for (const k of ['startTime', 'endTime', 'fromId', 'orderId'] as const) if (params[k] !== undefined) p[k] = params[k]!;
    const r = await this.signed('GET', '/api/v3/myTrades', p);
    if (!Array.isArray(r)) throw malformed('myTrades', r);
    return r.map(tradeRow);
  }

  /** Balances by lowercase asset: free + locked, exact, zero balances left out. */
  async balances(): Promise<Record<string, string>> {
    const r = await this.signed('GET', '/api/v3/account', {});
    if (!isObj(r) || !Array.isArray(r.balances)) throw malformed('account', r);
    const out: Record<string, string> = {};
    for (const b of r.balances) {
      if (!isObj(b) || typeof b.asset !== 'string' || !isDecimal(b.free) || !isDecimal(b.locked)) throw malformed('account balance', b);
      const total = addDec(b.free, b.locked);
      if (total !== '0') out[b.asset.toLowerCase()] = total;
    }
    return out;
  }
}

export interface OrderRow {
  symbol: string;
  orderId: string;
  clientOrderId: string;
  side: Side;
  price: string;
  origQty: string;
  executedQty: string;
  status: string;
  time: number;
}

export function orderRow(v: unknown, what: string): OrderRow {
  if (!isObj(v) || typeof v.symbol !== 'string' || typeof v.orderId !== 'number' || (v.side !== 'BUY' && v.side !== 'SELL') || typeof v.status !== 'string') throw malformed(what, v);
  if (!isDecimal(v.price) || !isDecimal(v.origQty) || !isDecimal(v.executedQty)) throw malformed(what, v);
  // A cancel answer names the canceled order's id `origClientOrderId` (its own `clientOrderId` is the cancel's).
  const clientOrderId = typeof v.origClientOrderId === 'string' ? v.origClientOrderId : typeof v.clientOrderId === 'string' ? v.clientOrderId : '';
  const time = typeof v.time === 'number' ? v.time : typeof v.transactTime === 'number' ? v.transactTime : 0;
  return {
    symbol: v.symbol,
    orderId: String(v.orderId),
    clientOrderId,
    side: v.side === 'BUY' ? 'buy' : 'sell',
    price: normDec(v.price),
    origQty: normDec(v.origQty),
    executedQty: normDec(v.executedQty),
    status: v.status,
    time,
  };
}

const STATUS: Record<string, VenueOrder['status']> = {
  NEW: 'open',
  PENDING_NEW: 'open',
  PARTIALLY_FILLED: 'open',
  FILLED: 'filled',
  CANCELED: 'canceled',
  PENDING_CANCEL: 'canceled',
  REJECTED: 'rejected',
  EXPIRED: 'expired',
  EXPIRED_IN_MATCH: 'expired',
};

export function venueOrder(r: OrderRow, fqme: string): VenueOrder {
  return { reqid: r.orderId, oid: r.clientOrderId || null, fqme, action: r.side, price: r.price, size: r.origQty, filled: r.executedQty, status: STATUS[r.status] ?? 'open', time: r.time };
}

export interface TradeRow {
  id: number;
  orderId: string;
  price: string;
  qty: string;
  commission: string;
  commissionAsset: string;
  time: number;
  isBuyer: boolean;
}

function tradeRow(v: unknown): TradeRow {
  if (!isObj(v) || typeof v.id !== 'number' || typeof v.orderId !== 'number' || typeof v.time !== 'number' || typeof v.isBuyer !== 'boolean') throw malformed('myTrades row', v);
  if (!isDecimal(v.price) || !isDecimal(v.qty) || !isDecimal(v.commission) || typeof v.commissionAsset !== 'string') throw malformed('myTrades row', v);
  return { id: v.id, orderId: String(v.orderId), price: normDec(v.price), qty: normDec(v.qty), commission: normDec(v.commission), commissionAsset: v.commissionAsset, time: v.time, isBuyer: v.isBuyer };
}

export type FeeOf = (commission: string, asset: string, price: string) => string;

export function venueFill(t: TradeRow, fqme: string, oid: string | null, fee: FeeOf, now: number): VenueFill {
  return {
    time: now,
    brokerTime: t.time,
    reqid: t.orderId,
    tid: String(t.id),
    action: t.isBuyer ? 'buy' : 'sell',
    size: t.qty,
    price: t.price,
    fee: fee(t.commission, t.commissionAsset, t.price),
    brokerDetails: { commission: t.commission, commissionAsset: t.commissionAsset },
    oid,
    fqme,
  };
}
