import { isDecimal } from '../../protocol/decimal.js';
import type { Side } from '../../protocol/orders.js';
import { normDec } from './markets.js';

/**
 * The user data stream's `executionReport` (B4), checked and normalized. One event type carries the whole life
 * of an order: `x` says what happened now (NEW, TRADE, CANCELED, REJECTED, EXPIRED, …), `X` where the order
 * stands. A cancel's report carries the canceled order's client id in `C` (its own `c` belongs to the cancel
 * request), so our oid is `C` there and `c` everywhere else.
 */
export interface ExecReport {
  symbol: string;
  /** Our client order id (the oid). */
  oid: string;
  side: Side;
  /** The venue's order id: our reqid. */
  orderId: string;
  execType: string;
  status: string;
  rejectReason: string;
  /** Expiry reason (`eR`), when the order expired. */
  expiryReason: string | null;
  quantity: string;
  price: string;
  /** This execution's fill (x = TRADE). */
  lastQty: string;
  lastPrice: string;
  commission: string;
  commissionAsset: string | null;
  /** Cumulative filled quantity of this venue order. */
  filled: string;
  tradeId: string | null;
  time: number;
}

type Obj = Record<string, unknown>;

const dec = (v: unknown): string | null => (isDecimal(v) ? normDec(v) : null);

/** The report, or a reason it is not a well-formed executionReport. */
export function parseExecReport(e: Obj): ExecReport | string {
  const side = e.S === 'BUY' ? 'buy' : e.S === 'SELL' ? 'sell' : null;
  if (typeof e.s !== 'string' || typeof e.c !== 'string' || side === null || typeof e.i !== 'number' || typeof e.x !== 'string' || typeof e.X !== 'string') {
    return 'executionReport without symbol, client id, side, order id or types';
  }
  const [quantity, price, lastQty, lastPrice, filled] = [dec(e.q), dec(e.p), dec(e.l), dec(e.L), dec(e.z)];
  if (quantity === null || price === null || lastQty === null || lastPrice === null || filled === null) return `executionReport ${e.i} with a malformed quantity or price`;
  const commission = e.n === null || e.n === undefined ? '0' : dec(e.n);
  if (commission === null) return `executionReport ${e.i} with a malformed commission`;
  const canceling = (e.x === 'CANCELED' || e.x === 'REPLACED') && typeof e.C === 'string' && e.C !== '';
  const tradeId = typeof e.t === 'number' && e.t >= 0 ? String(e.t) : null;
  if (e.x === 'TRADE' && (tradeId === null || lastQty === '0')) return `executionReport ${e.i}: a TRADE without trade id or quantity`;
  return {
    symbol: e.s,
    oid: canceling ? (e.C as string) : e.c,
    side,
    orderId: String(e.i),
    execType: e.x,
    status: e.X,
    rejectReason: typeof e.r === 'string' ? e.r : 'NONE',
    expiryReason: typeof e.eR === 'string' ? e.eR : null,
    quantity,
    price,
    lastQty,
    lastPrice,
    commission,
    commissionAsset: typeof e.N === 'string' ? e.N : null,
    filled,
    tradeId,
    time: typeof e.T === 'number' ? e.T : typeof e.E === 'number' ? e.E : 0,
  };
}
