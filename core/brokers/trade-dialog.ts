import type { BrokerdCancel, BrokerdFill, BrokerdMsg, BrokerdOrder, Side } from '../protocol/orders.js';

/** An order as the venue reports it when asked (reconciliation, adoption). Prices and sizes are exact decimals. */
export interface VenueOrder {
  /** The venue's order id: our `reqid`. */
  reqid: string;
  /** The client order id we sent (our `oid`), or null for an order placed outside Candlewick. */
  oid: string | null;
  fqme: string;
  action: Side;
  price: string;
  size: string;
  filled: string;
  status: 'open' | 'filled' | 'canceled' | 'rejected' | 'expired';
  time: number;
}

/** A venue fill as queried (reconciliation books missed ones by tid). */
export type VenueFill = BrokerdFill & { oid: string | null; fqme: string };

/**
 * brokerd.<broker>'s trade dialog with a real venue (piker's open_trade_dialog). Requests go out as
 * `Brokerd*` messages; everything the venue says comes back through `emit`, in venue order. A failed request
 * is a BrokerdError with the venue's reason, never a throw.
 */
export interface TradeDialog {
  readonly broker: string;
  /** The live account name orders carry (`live`). */
  readonly account: string;
  /** Authenticates and opens the private stream (executions); resolves once orders can be sent. */
  connect(emit: (m: BrokerdMsg) => void): Promise<void>;
  /** Place (reqid null), modify (known reqid; cancel-replace where the venue has no modify) or cancel. */
  handle(msg: BrokerdOrder | BrokerdCancel): void;
  /** Orders open at the venue now. */
  openOrders(): Promise<VenueOrder[]>;
  /** One order by client order id, open or not; null if the venue never saw it. */
  queryOrder(fqme: string, oid: string): Promise<VenueOrder | null>;
  /** Fills of `fqme` since `sinceMs` (the venue's trade history). */
  fills(fqme: string, sinceMs: number): Promise<VenueFill[]>;
  /** Balances by asset name (lowercase), exact decimals: compared with ledger positions at start. */
  balances(): Promise<Record<string, string>>;
  close(): Promise<void>;
}
