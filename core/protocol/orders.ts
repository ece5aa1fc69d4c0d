/**
 * The order path's messages (piker-semantics §5), camel-cased. Prices, sizes, fills and fees are exact decimal
 * strings; times are epoch milliseconds. Clients speak Order/Cancel and hear Status; emsd speaks the Brokerd*
 * set with brokerd.<broker> and paperd.<broker>.
 */
export type Side = 'buy' | 'sell';
export type Action = Side | 'alert';
export type ExecMode = 'dark' | 'live' | 'paper';

export interface Order {
  action: Action;
  execMode: ExecMode;
  /** Client order id (uuid). Re-sending a known oid modifies that order; a retried submit never doubles it. */
  oid: string;
  fqme: string;
  account: string;
  price: string;
  size: string;
}

/**
 * The reason prefix of a live order refused because its market's feed is stale or down: the client asks the
 * trader, and resends with `confirmStale` to send it anyway.
 */
export const STALE_MARKET_REASON = 'stale market data';

export interface Cancel {
  action: 'cancel';
  oid: string;
  fqme: string;
}

export const STATUS_RESPS = ['pending', 'open', 'dark_open', 'triggered', 'closed', 'fill', 'canceled', 'error'] as const;
export type StatusResp = (typeof STATUS_RESPS)[number];

export interface Status {
  time: number;
  oid: string;
  resp: StatusResp;
  /** The venue's id once known. */
  reqid: string | null;
  req: Order | Cancel;
  /** 'dark', 'paperd' or the broker name. */
  src: string;
  cancelCalled: boolean;
  /** Why, for error/canceled. */
  reason?: string;
  filled?: string;
  remaining?: string;
  /** On `fill`: the fill itself. */
  fill?: { price: string; size: string; tid: string; fee: string };
}

export interface BrokerdOrder {
  oid: string;
  account: string;
  time: number;
  fqme: string;
  price: string;
  size: string;
  action: Side;
  /** null = new; a known reqid = modify. */
  reqid: string | null;
}

export interface BrokerdCancel {
  oid: string;
  time: number;
  account: string;
  reqid: string;
}

export interface BrokerdOrderAck {
  reqid: string;
  oid: string;
  account: string;
}

export interface BrokerdStatus {
  time: number;
  reqid: string;
  status: 'open' | 'canceled' | 'pending' | 'closed';
  oid: string | null;
  account: string;
  filled: string;
  remaining: string;
  reason: string;
  brokerDetails?: Record<string, unknown>;
}

export interface BrokerdFill {
  time: number;
  brokerTime: number;
  reqid: string;
  /** The venue's trade id: fills are booked once per tid. */
  tid: string;
  action: Side;
  size: string;
  price: string;
  fee: string;
  brokerDetails?: Record<string, unknown>;
}

export interface BrokerdError {
  reason: string;
  fqme: string;
  oid: string | null;
  reqid: string | null;
  brokerDetails?: Record<string, unknown>;
}

export interface BrokerdPosition {
  broker: string;
  account: string;
  fqme: string;
  size: string;
  avgPrice: string;
  currency: string;
}

export type BrokerdMsg =
  | ({ type: 'ack' } & BrokerdOrderAck)
  | ({ type: 'status' } & BrokerdStatus)
  | ({ type: 'fill' } & BrokerdFill)
  | ({ type: 'error' } & BrokerdError)
  | ({ type: 'position' } & BrokerdPosition);
