import type { FeedStatus, MktPair, Quote, ServiceInfo, SymbolMatch, Timeframe } from './types.js';
import type { Cancel, Order, Side, Status } from './orders.js';
import type { Layout, WindowLayout } from './layout.js';

/** An account orders can be sent to: 'paper' always exists; live accounts come from a broker's config. */
export interface AccountInfo {
  broker: string;
  account: string;
  mode: 'paper' | 'live';
  /** Why a broker answers paper only (no trading endpoint, no credentials). */
  note?: string;
}

/** A position with ppu accounting (piker-semantics §8); exact decimals. */
export interface PositionInfo {
  broker: string;
  account: string;
  fqme: string;
  size: string;
  ppu: string;
  realizedPnl: string;
  fees: string;
  updatedAt: number;
}

export interface FillInfo {
  oid: string;
  fqme: string;
  account: string;
  action: Side;
  size: string;
  price: string;
  fee: string;
  tid: string;
  time: number;
}

/** A run of bars the venue could not give: recorded in the history store, shown, never filled with made-up bars. */
export interface HistoryGap {
  fqme: string;
  timeframe: Timeframe;
  /** First missing bucket, epoch s. */
  start: number;
  /** End of the run (exclusive), epoch s. */
  end: number;
  bars: number;
  reason: string;
  /** Times it was asked for. */
  attempts: number;
  /** Epoch ms. */
  firstSeen: number;
  lastTried: number;
}

export type HistoryFormat = 'parquet' | 'csv';
export const HISTORY_FORMATS: readonly HistoryFormat[] = ['parquet', 'csv'];

/**
 * The typed API. Text frames carry JSON: requests `{id, method, params}`, replies `{id, result}` or
 * `{id, error}`, events `{event, data}`. Bar rows travel as binary frames (frames.ts).
 */
export interface Methods {
  hello: { params: { client?: string }; result: { version: string; backends: string[]; serverTime: number } };
  'services.list': { params: Record<string, never>; result: ServiceInfo[] };
  'symbols.search': { params: { pattern: string; limit?: number }; result: SymbolMatch[] };
  'mkt.info': { params: { fqme: string }; result: MktPair };
  /** Opens a bar stream: a snapshot of the newest `count` rows, then batched row updates. */
  'bars.subscribe': {
    params: { fqme: string; timeframe: Timeframe; count?: number };
    result: { streamId: number; fqme: string; timeframe: Timeframe; first: number; last: number };
  };
  /** Rows [from, to) of an open stream's buffer, for paging in older history. */
  'bars.range': { params: { streamId: number; from: number; to: number }; result: { rows: number } };
  'bars.unsubscribe': { params: { streamId: number }; result: { ok: true } };
  'quotes.subscribe': { params: { fqme: string }; result: { fqme: string } };
  'quotes.unsubscribe': { params: { fqme: string }; result: { ok: true } };
  'feeds.status': { params: Record<string, never>; result: FeedStatus[] };
  /**
   * Places or modifies (same oid) an order. A bad order is not an exception: the result is an `error` Status
   * with the reason, and nothing is sent on. Every Status also goes out as a `status` event (see Events.status).
   */
  'orders.submit': { params: { order: Order; confirmStale?: boolean }; result: Status };
  'orders.cancel': { params: { cancel: Cancel }; result: Status };
  /** Cancels every working order (dark, alert, live, paper) on a market, or everywhere without `fqme`. */
  'orders.cancelAll': { params: { fqme?: string }; result: { canceled: number } };
  /** The latest Status of every order still working: what a (re)connecting client redraws. */
  'orders.active': { params: Record<string, never>; result: Status[] };
  'accounts.list': { params: Record<string, never>; result: AccountInfo[] };
  'positions.list': { params: Record<string, never>; result: PositionInfo[] };
  'fills.recent': { params: { limit?: number }; result: FillInfo[] };
  /** The saved layout (layout.json in the data directory); no windows when none was saved yet. */
  'layout.load': { params: Record<string, never>; result: Layout };
  /** Replaces the whole saved layout (checked strictly: a bad one is refused and the file is left as it was). */
  'layout.save': { params: { layout: Layout }; result: { ok: true } };
  /** Saves one window's part (by id, added when new): what each window's UI sends as the user changes it. */
  'layout.saveWindow': { params: { window: WindowLayout }; result: { ok: true } };
  /**
   * Writes a market's stored bars to a file in the host's data dir (`exports/`), named by the host: time (epoch s),
   * open, high, low, close, volume, ascending. The host's datad worker owns the store, so this goes through it.
   */
  'history.export': {
    params: { fqme: string; timeframe: Timeframe; format: HistoryFormat };
    result: { fqme: string; timeframe: Timeframe; format: HistoryFormat; rows: number; path: string };
  };
  /** Recorded gaps in stored history, of one market or every market of the backends that ran. */
  'history.gaps': { params: { fqme?: string }; result: HistoryGap[] };
  /** Test hook (host started with testHooks): crashes a service to exercise its supervisor. */
  'debug.crash': { params: { service: string }; result: { ok: true } };
}

export type Method = keyof Methods;
export type Params<M extends Method> = Methods[M]['params'];
export type Result<M extends Method> = Methods[M]['result'];

export interface Events {
  services: ServiceInfo[];
  /** Ticks since the last event; `dropped` counts trades lost to a full queue of a slow client. */
  quote: Quote & { dropped?: number };
  step: { period: Timeframe; time: number };
  feed: FeedStatus;
  /** A stream's buffer was replaced (worker restart) or extended backwards (history backfill). */
  stream: { streamId: number; first: number; last: number; reason: 'reset' | 'history' };
  /**
   * The recorded gaps of a market changed (datad recorded or extended one, or forgot one a refetch filled): ask
   * history.gaps again. To every client; rare (feed opens, backfill below stored history, failed repairs).
   */
  gaps: { fqme: string; timeframe: Timeframe };
  /**
   * Only to the clients following the order's market: streaming its bars or quotes, or having placed, modified or
   * canceled an order on it, or been listed one by orders.active (core/api/session.ts). The others go to every client.
   */
  status: Status;
  position: PositionInfo;
  fill: FillInfo;
  /** A triggered alert: fires once, then it is gone. */
  alert: { oid: string; fqme: string; price: string; time: number };
  /**
   * What start-up reconciliation with a venue found: each order it settled, and position differences. Broadcast when
   * it is done; a client that was not there then gets each venue's newest report after its `orders.active` answer.
   * A client is sent a report (by `id`) at most once.
   */
  reconcile: ReconcileReport;
}

export interface ReconcileReport {
  /** One reconciliation run (broker, account and start time): what a client remembers having shown or dismissed. */
  id: string;
  broker: string;
  account: string;
  time: number;
  orders: { oid: string; outcome: string }[];
  /** The ledger's position against the venue's balance of the base asset, where they differ. */
  differences: { fqme: string; asset: string; ledger: string; venue: string }[];
}
export type EventName = keyof Events;

export interface RequestMsg<M extends Method = Method> {
  id: number;
  method: M;
  params: Params<M>;
}
export interface ErrorBody {
  code: 'bad_request' | 'unknown_method' | 'bad_params' | 'not_found' | 'unavailable' | 'internal';
  message: string;
}
export type ReplyMsg = { id: number; result: unknown } | { id: number | null; error: ErrorBody };
export interface EventMsg<E extends EventName = EventName> {
  event: E;
  data: Events[E];
}
export type ServerMsg = ReplyMsg | EventMsg;

export const METHODS: readonly Method[] = [
  'hello',
  'services.list',
  'symbols.search',
  'mkt.info',
  'bars.subscribe',
  'bars.range',
  'bars.unsubscribe',
  'quotes.subscribe',
  'quotes.unsubscribe',
  'feeds.status',
  'debug.crash',
  'orders.submit',
  'orders.cancel',
  'orders.cancelAll',
  'orders.active',
  'accounts.list',
  'positions.list',
  'fills.recent',
  'layout.load',
  'layout.save',
  'layout.saveWindow',
  'history.export',
  'history.gaps',
];
