import { addDec, maxDec, mulDec, subDec } from '../../protocol/decimal.js';
import type { BrokerdMsg, Side } from '../../protocol/orders.js';
import type { MktPair } from '../../protocol/types.js';
import type { ExecReport } from './exec-report.js';
import { normDec } from './markets.js';

/**
 * What the Binance dialog knows of each order it works (by our oid = Binance's client order id), and how venue
 * events become Brokerd messages for emsd, in venue order:
 * - ack once per venue order, before any other message about it (the user stream's NEW can beat the REST answer);
 * - a modify is cancel + place under the same client order id, so one oid spans several venue orders: `base`
 *   holds what earlier ones filled, the old order's CANCELED is internal, and no status about the old order goes
 *   out while the new one is coming (emsd holds the order in pending_update until the new ack and open status);
 * - fills once per trade id; a status after each (open while partly filled, closed when filled);
 * - a terminal status once per venue order, whichever of the REST answer and the user stream says it first.
 */
export interface LiveOrder {
  oid: string;
  fqme: string;
  symbol: string;
  action: Side;
  /** The current venue order. */
  reqid: string | null;
  /** The order's size as emsd knows it (across the venue orders of a modify). */
  size: string;
  /** A place or replacement is in flight: the next NEW for this oid is its venue order. */
  expectNew: boolean;
  /** Venue orders this oid has had, with what the earlier ones had filled when each started. */
  base: Map<string, string>;
  /** Venue orders canceled by a modify: their CANCELED is not the order's. */
  replaced: Set<string>;
  /** Venue orders whose terminal status went out. */
  terminal: Set<string>;
  /** Cumulative fill of each venue order as last reported. */
  filled: Map<string, string>;
}

export interface FillDetail {
  tid: string;
  price: string;
  size: string;
  commission: string;
  commissionAsset: string | null;
  time: number;
}

/** A venue commission as a fee in the quote currency: the quote asset as is, the base asset at the fill price. */
export function feeIn(mkt: MktPair | undefined, commission: string, asset: string | null, price: string): string {
  const a = asset?.toLowerCase();
  if (!mkt || a === undefined || commission === '0') return '0';
  if (a === mkt.src.name) return commission;
  if (a === mkt.dst.name) return normDec(mulDec(commission, price));
  return '0'; // another asset (BNB): brokerDetails carries it; the ledger cannot price it exactly
}

export class LiveOrders {
  private readonly byOid = new Map<string, LiveOrder>();
  private readonly tids = new Set<string>();

  constructor(
    private readonly emit: (m: BrokerdMsg) => void,
    private readonly account: string,
    private readonly now: () => number,
    private readonly market: (fqme: string) => MktPair | undefined,
    private readonly log: (line: string) => void,
  ) {}

  get(oid: string): LiveOrder | undefined {
    return this.byOid.get(oid);
  }

  byReqid(reqid: string): LiveOrder | undefined {
    for (const o of this.byOid.values()) if (o.base.has(reqid)) return o;
    return undefined;
  }

  all(): LiveOrder[] {
    return [...this.byOid.values()];
  }

  track(oid: string, fqme: string, symbol: string, action: Side, size: string): LiveOrder {
    let o = this.byOid.get(oid);
    if (!o) {
      o = { oid, fqme, symbol, action, reqid: null, size, expectNew: false, base: new Map(), replaced: new Set(), terminal: new Set(), filled: new Map() };
      this.byOid.set(oid, o);
    }
    return o;
  }

  /** What this oid has filled so far, across its venue orders (the base of a replacement). */
  carried(o: LiveOrder): string {
    const r = o.reqid;
    return r === null ? '0' : addDec(o.base.get(r) ?? '0', o.filled.get(r) ?? '0');
  }

  ack(o: LiveOrder, reqid: string): void {
    if (o.reqid === reqid && o.base.has(reqid)) return;
    if (!o.base.has(reqid)) o.base.set(reqid, o.reqid === null ? '0' : this.carried(o));
    o.reqid = reqid;
    o.expectNew = false;
    this.emit({ type: 'ack', reqid, oid: o.oid, account: this.account });
  }

  status(o: LiveOrder, reqid: string, status: 'open' | 'closed' | 'canceled', reason: string): void {
    const terminal = status !== 'open';
    if (o.terminal.has(reqid) || (!terminal && o.replaced.has(reqid))) return;
    if (terminal) o.terminal.add(reqid);
    const filled = addDec(o.base.get(reqid) ?? '0', o.filled.get(reqid) ?? '0');
    const remaining = status === 'closed' ? '0' : maxDec('0', subDec(o.size, filled));
    this.emit({ type: 'status', time: this.now(), reqid, status, oid: o.oid, account: this.account, filled, remaining, reason });
  }

  /** A fill of venue order `reqid`, once per trade id. */
  fill(o: LiveOrder, reqid: string, f: FillDetail, cumulative: string): boolean {
    if (this.tids.has(f.tid)) return false;
    this.tids.add(f.tid);
    o.filled.set(reqid, cumulative);
    const fee = feeIn(this.market(o.fqme), f.commission, f.commissionAsset, f.price);
    this.emit({
      type: 'fill',
      time: this.now(),
      brokerTime: f.time,
      reqid,
      tid: f.tid,
      action: o.action,
      size: f.size,
      price: f.price,
      fee,
      brokerDetails: { commission: f.commission, commissionAsset: f.commissionAsset },
    });
    return true;
  }

  error(o: { oid: string; fqme: string } | null, fqme: string, reqid: string | null, reason: string): void {
    this.emit({ type: 'error', reason, fqme: o?.fqme ?? fqme, oid: o?.oid ?? null, reqid });
  }

  /** A user-stream executionReport. Orders of an earlier session (or placed elsewhere) are relayed by their ids. */
  onReport(r: ExecReport, fqme: string): void {
    let o = this.byOid.get(r.oid);
    if (!o) {
      o = this.track(r.oid, fqme, r.symbol, r.side, r.quantity);
      o.reqid = r.orderId;
      o.base.set(r.orderId, '0');
    }
    const id = r.orderId;
    if (!o.base.has(id)) {
      if (!o.expectNew) {
        this.log(`binance: ${r.execType} for ${o.oid} names venue order ${id}, not ${o.reqid}: relayed as that order`);
        o.base.set(id, '0');
      } else this.ack(o, id);
    }
    switch (r.execType) {
      case 'NEW':
      case 'REPLACED':
        return this.status(o, id, 'open', 'open at Binance');
      case 'TRADE': {
        const detail = { tid: r.tradeId!, price: r.lastPrice, size: r.lastQty, commission: r.commission, commissionAsset: r.commissionAsset, time: r.time };
        this.fill(o, id, detail, r.filled);
        o.filled.set(id, r.filled);
        return r.status === 'FILLED' ? this.status(o, id, 'closed', 'filled') : this.status(o, id, 'open', 'partially filled');
      }
      case 'CANCELED':
        if (o.replaced.has(id)) return; // our modify's cancel: the order lives on as the replacement
        return this.status(o, id, 'canceled', 'canceled at Binance');
      case 'REJECTED':
        o.terminal.add(id);
        return this.error(o, fqme, id, `rejected by Binance: ${r.rejectReason}`);
      case 'EXPIRED':
      case 'TRADE_PREVENTION':
        if (o.replaced.has(id)) return;
        return this.status(o, id, 'canceled', `expired at Binance${r.expiryReason ? ` (${r.expiryReason})` : ''}`);
      default:
        this.log(`binance: executionReport type ${r.execType} for ${o.oid} ignored`);
    }
  }
}
