import type { VenueFill, VenueOrder } from '../trade-dialog.js';
import { canon } from './executions.js';
import type { KrakenPrivateRest } from './private-rest.js';
import { altnameOf, assetName, fqmeOf } from './symbols.js';

/**
 * What brokerd asks the venue when it (re)starts, over signed REST (K7): open orders (`OpenOrders`), one order by
 * our oid (`OpenOrders` then `ClosedOrders` filtered by `cl_ord_id`: QueryOrders only takes venue txids), fills
 * (`TradesHistory`, 50 per page newest first, then `QueryOrders` on their order txids for the cl_ord_id and the
 * pair's altname), balances (`Balance`, XXBT -> xbt, ZUSD -> usd). Decimals come as strings: exact, and
 * canonicalized (no engine trailing zeros) so they compare equal to what the executions stream said.
 */
type Info = Record<string, unknown>;

const STATUS: Record<string, VenueOrder['status']> = { pending: 'open', open: 'open', closed: 'filled', canceled: 'canceled', expired: 'expired' };
const TRADE_PAGES = 20;

function s(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** One REST order-info entry as a VenueOrder; null when it lacks what we need (logged by the caller). */
export function venueOrderOf(txid: string, info: Info): VenueOrder | null {
  const d = (info.descr ?? {}) as Info;
  const side = d.type;
  const status = STATUS[s(info.status)];
  if ((side !== 'buy' && side !== 'sell') || !status || !s(d.pair) || !s(info.vol)) return null;
  return {
    reqid: txid,
    oid: s(info.cl_ord_id) || null,
    fqme: fqmeOf(s(d.pair)),
    action: side,
    price: canon(s(d.price) || '0'),
    size: canon(s(info.vol)),
    filled: canon(s(info.vol_exec) || '0'),
    status,
    time: Math.round(Number(info.opentm) * 1000),
  };
}

export class KrakenQueries {
  constructor(
    private readonly rest: KrakenPrivateRest,
    private readonly log: (line: string) => void,
  ) {}

  private orders(map: unknown): VenueOrder[] {
    const out: VenueOrder[] = [];
    for (const [txid, info] of Object.entries((map ?? {}) as Record<string, Info>)) {
      const v = venueOrderOf(txid, info);
      if (v) out.push(v);
      else this.log(`kraken: order ${txid} in an order query not understood; skipped`);
    }
    return out;
  }

  async openOrders(): Promise<VenueOrder[]> {
    const r = (await this.rest.call('OpenOrders')) as { open?: unknown };
    return this.orders(r?.open);
  }

  async queryOrder(fqme: string, oid: string): Promise<VenueOrder | null> {
    const mine = (v: VenueOrder) => v.oid === oid && v.fqme === fqme;
    const open = (await this.rest.call('OpenOrders', { cl_ord_id: oid })) as { open?: unknown };
    const found = this.orders(open?.open).find(mine);
    if (found) return found;
    const closed = (await this.rest.call('ClosedOrders', { cl_ord_id: oid })) as { closed?: unknown };
    return this.orders(closed?.closed).find(mine) ?? null;
  }

  async fills(fqme: string, sinceMs: number): Promise<VenueFill[]> {
    const trades: [string, Info][] = [];
    for (let page = 0; page < TRADE_PAGES; page++) {
      const r = (await this.rest.call('TradesHistory', { start: (sinceMs / 1000).toFixed(3), ofs: String(trades.length) })) as { trades?: Record<string, Info>; count?: number };
      const batch = Object.entries(r?.trades ?? {});
      trades.push(...batch);
      if (batch.length === 0 || trades.length >= Number(r?.count ?? 0)) break;
    }
    const orders = await this.ordersByTxid([...new Set(trades.map(([, t]) => s(t.ordertxid)).filter(Boolean))]);
    const altname = altnameOf(fqme);
    const out: VenueFill[] = [];
    for (const [tid, t] of trades) {
      const o = orders.get(s(t.ordertxid));
      const side = t.type;
      if (!o || o.fqme !== fqmeOf(altname) || (side !== 'buy' && side !== 'sell')) continue;
      const ms = Math.round(Number(t.time) * 1000);
      out.push({ time: ms, brokerTime: ms, reqid: o.reqid, tid, action: side, size: canon(s(t.vol)), price: canon(s(t.price)), fee: canon(s(t.fee) || '0'), oid: o.oid, fqme: o.fqme });
    }
    return out.sort((a, b) => a.brokerTime - b.brokerTime);
  }

  /** Orders by venue txid (QueryOrders, 50 per call). */
  async ordersByTxid(txids: string[]): Promise<Map<string, VenueOrder>> {
    const out = new Map<string, VenueOrder>();
    for (let i = 0; i < txids.length; i += 50) {
      const r = await this.rest.call('QueryOrders', { txid: txids.slice(i, i + 50).join(','), trades: 'false' });
      for (const v of this.orders(r)) out.set(v.reqid, v);
    }
    return out;
  }

  async balances(): Promise<Record<string, string>> {
    const r = (await this.rest.call('Balance')) as Record<string, unknown>;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(r ?? {})) if (typeof v === 'string') out[assetName(k)] = canon(v);
    return out;
  }
}
