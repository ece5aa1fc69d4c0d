import type { Side } from '../../protocol/orders.js';
import type { Resting } from './book.js';

/**
 * Delays a venue takes, in ms: request -> ack, ack -> open (a modify takes effect then too), request -> cancel
 * done. 0 answers inside the call.
 */
export interface Latency {
  ackMs: number;
  openMs: number;
  cancelMs: number;
}

/** pending: accepted, not yet working; open: working (maybe partly filled); closed: fully filled. */
export type OrderState = 'pending' | 'open' | 'closed' | 'canceled';

/** An order as the matcher holds it. Prices and sizes are exact decimals; `key` is the limit in whole ticks. */
export interface WorkingOrder extends Resting {
  reqid: string;
  /** emsd's id; null for an order placed outside Candlewick until emsd adopts it. */
  oid: string | null;
  account: string;
  fqme: string;
  action: Side;
  price: string;
  /** Total size; a modify sets a new total. */
  size: string;
  filled: string;
  state: OrderState;
  /** Accepted at (clock ms). */
  time: number;
  external: boolean;
  /** Bumped by each modify and by a cancel, so a delayed step of an older request does nothing. */
  version: number;
  fillCount: number;
}

/** What a venue reports of a live order (reconciliation): the working order without the matcher's bookkeeping. */
export type OpenOrder = Pick<WorkingOrder, 'reqid' | 'oid' | 'account' | 'fqme' | 'action' | 'price' | 'size' | 'filled' | 'state' | 'time' | 'external'> & {
  remaining: string;
};

/** A fill as a venue records it (reconciliation replays these by tid). */
export interface FillRecord {
  tid: string;
  reqid: string;
  oid: string | null;
  account: string;
  fqme: string;
  action: Side;
  price: string;
  size: string;
  fee: string;
  liquidity: 'maker' | 'taker';
  /** Booked at (clock ms). */
  time: number;
  /** Market time of the quote or trade it filled against. */
  brokerTime: number;
}
