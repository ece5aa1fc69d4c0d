import type { BrokerdMsg, Side } from '../../protocol/orders.js';
import { addDec, compareDec, fromScaled, mulDec, subDec, toScaled } from '../../protocol/decimal.js';
import type { VenueOrder } from '../trade-dialog.js';
import { decimal } from './exact-json.js';
import { isoMs } from './iso-time.js';

/**
 * The `executions` channel (K7) folded into order state and Brokerd* messages. Events are sparse (later ones carry
 * only what changed plus ids), so every entry is merged into the order's state by order_id. Spot sends a fill as
 * exec_type `trade` (with order_status partially_filled even when it completes the order) and completion as a
 * separate `filled`; cancels and expiries carry a `reason`. An order is acked to emsd the first time we learn its
 * order_id together with its cl_ord_id (our oid), from the add_order answer or from an event, whichever is first,
 * so the ack always precedes its statuses and fills. Fills are emitted once per exec_id.
 */
export interface OrderState {
  orderId: string;
  oid: string | null;
  symbol: string | null;
  side: Side | null;
  qty: string | null;
  limit: string | null;
  filled: string;
  status: 'pending' | 'open' | 'closed' | 'canceled';
  acked: boolean;
  time: number;
}

export interface ExecutionsOptions {
  account: string;
  emit: (m: BrokerdMsg) => void;
  fqmeOf: (symbol: string) => string;
  now: () => number;
  log: (line: string) => void;
}

type Entry = Record<string, unknown>;

/** An exact decimal without the engine's trailing zeros: "26500.0" -> "26500", so WS and REST agree. */
export function canon(value: string): string {
  const x = toScaled(value);
  return fromScaled(x.units, x.scale);
}

function dec(v: unknown): string | null {
  const d = decimal(v);
  return d === null ? null : canon(d);
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

export class Executions {
  readonly orders = new Map<string, OrderState>();
  readonly byOid = new Map<string, string>();
  private readonly fills = new Set<string>();

  constructor(private readonly o: ExecutionsOptions) {}

  order(orderId: string): OrderState {
    let s = this.orders.get(orderId);
    if (!s) {
      s = { orderId, oid: null, symbol: null, side: null, qty: null, limit: null, filled: '0', status: 'pending', acked: false, time: this.o.now() };
      this.orders.set(orderId, s);
    }
    return s;
  }

  /** What we sent or learned elsewhere (the add_order answer, a REST query): acks when the ids are first paired. */
  learn(orderId: string, fields: Partial<Pick<OrderState, 'oid' | 'symbol' | 'side' | 'qty' | 'limit' | 'filled'>>): OrderState {
    const s = this.order(orderId);
    if (fields.oid && !s.oid) {
      s.oid = fields.oid;
      this.byOid.set(fields.oid, orderId);
    }
    s.symbol ??= fields.symbol ?? null;
    s.side ??= fields.side ?? null;
    s.qty ??= fields.qty ?? null;
    s.limit ??= fields.limit ?? null;
    if (fields.filled && compareDec(fields.filled, s.filled) > 0) s.filled = fields.filled;
    if (s.oid && !s.acked) {
      s.acked = true;
      this.o.emit({ type: 'ack', reqid: orderId, oid: s.oid, account: this.o.account });
    }
    return s;
  }

  /** Orders we believe are working. */
  openIds(): string[] {
    return [...this.orders.values()].filter((s) => s.status === 'open' || s.status === 'pending').map((s) => s.orderId);
  }

  /** A REST-queried order (after a lost answer or a restart): acked and its state reported. */
  adopt(v: VenueOrder, symbol: string): void {
    const s = this.learn(v.reqid, { oid: v.oid, symbol, side: v.action, qty: v.size, limit: v.price, filled: v.filled });
    if (v.status === 'open') this.status(s, 'open', '');
    else if (v.status === 'filled') this.status(s, 'closed', '');
    else this.status(s, 'canceled', v.status);
  }

  /** One executions message; `sinceMs`: fills older than this in a snapshot were seen before the reconnect. */
  apply(type: 'snapshot' | 'update', data: Entry[], sinceMs: number): void {
    for (const e of data) {
      if (!e || typeof e !== 'object') {
        this.o.log(`kraken: executions entry is not an object: ${JSON.stringify(e)?.slice(0, 60)}`);
        continue;
      }
      const orderId = str(e.order_id);
      if (!orderId) {
        this.o.log(`kraken: executions entry without order_id (exec_type ${String(e.exec_type)})`);
        continue;
      }
      const s = this.learn(orderId, {
        oid: str(e.cl_ord_id),
        symbol: str(e.symbol),
        side: e.side === 'buy' || e.side === 'sell' ? e.side : null,
        qty: dec(e.order_qty),
        limit: dec(e.limit_price),
      });
      // Amends change qty and price: take the event's values, not only the first ones seen.
      if (e.exec_type === 'amended' || e.exec_type === 'restated') {
        s.qty = dec(e.order_qty) ?? s.qty;
        s.limit = dec(e.limit_price) ?? s.limit;
      }
      const cum = dec(e.cum_qty);
      if (cum !== null && compareDec(cum, s.filled) > 0) s.filled = cum;
      if (type === 'snapshot') this.snapshotEntry(s, e, sinceMs);
      else this.update(s, e);
    }
  }

  private snapshotEntry(s: OrderState, e: Entry, sinceMs: number): void {
    if (e.exec_type === 'trade') {
      if (isoMs(e.timestamp) >= sinceMs) this.fill(s, e);
      return;
    }
    this.status(s, 'open', '');
  }

  private update(s: OrderState, e: Entry): void {
    const reason = str(e.reason) ?? str(e.cancel_reason) ?? '';
    switch (e.exec_type) {
      case 'pending_new':
        return;
      case 'new':
      case 'status':
      case 'iceberg_refill':
        return this.status(s, 'open', '');
      case 'amended':
      case 'restated':
        return this.status(s, 'open', reason || String(e.exec_type));
      case 'trade':
        this.fill(s, e);
        if (e.order_status === 'filled') return this.status(s, 'closed', '');
        return this.status(s, 'open', '');
      case 'filled':
        return this.status(s, 'closed', '');
      case 'canceled':
        return this.status(s, 'canceled', reason || 'canceled');
      case 'expired':
        return this.status(s, 'canceled', reason || 'expired');
      default:
        this.o.log(`kraken: executions exec_type ${JSON.stringify(e.exec_type)} of ${s.orderId} not understood; ignored`);
    }
  }

  private status(s: OrderState, status: 'open' | 'closed' | 'canceled', reason: string): void {
    // A closed or canceled order stays so: a late sparse event must not reopen it.
    if ((s.status === 'closed' || s.status === 'canceled') && status === 'open') return;
    s.status = status;
    const remaining = s.qty === null || status !== 'open' ? '0' : subDec(s.qty, s.filled);
    this.o.emit({ type: 'status', time: this.o.now(), reqid: s.orderId, status, oid: s.oid, account: this.o.account, filled: s.filled, remaining: compareDec(remaining, '0') < 0 ? '0' : remaining, reason });
  }

  private fill(s: OrderState, e: Entry): void {
    const tid = str(e.exec_id);
    const size = dec(e.last_qty);
    const price = dec(e.last_price);
    const side = e.side === 'buy' || e.side === 'sell' ? e.side : s.side;
    if (!tid || !size || !price || !side) {
      this.o.log(`kraken: trade event of ${s.orderId} without exec_id/last_qty/last_price/side; not booked`);
      return;
    }
    if (this.fills.has(tid)) return;
    this.fills.add(tid);
    this.o.emit({ type: 'fill', time: this.o.now(), brokerTime: isoMs(e.timestamp), reqid: s.orderId, tid, action: side, size, price, fee: this.fee(e, s.symbol, price) });
  }

  /** Fees in the quote currency: quote-asset fees summed, base-asset fees valued at the fill price. */
  private fee(e: Entry, symbol: string | null, price: string): string {
    const [base, quote] = (symbol ?? '/').split('/');
    let fee = '0';
    for (const f of Array.isArray(e.fees) ? (e.fees as Entry[]) : []) {
      const q = dec(f?.qty);
      if (q === null) continue;
      fee = addDec(fee, f.asset === base ? mulDec(q, price) : q);
      if (f.asset !== base && f.asset !== quote) this.o.log(`kraken: fee in ${String(f.asset)} on ${String(e.exec_id)} counted as ${quote ?? 'quote'}`);
    }
    return canon(fee);
  }
}
