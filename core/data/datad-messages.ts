import type { BackendStats, LinkState } from '../brokers/backend.js';
import type { MktPair, SymbolMatch, Timeframe } from '../protocol/types.js';
import type { HistoryGap } from '../protocol/messages.js';

/** Messages between the host (main thread) and a datad worker. */
export interface DatadInit {
  broker: string;
  seed: number;
  rate: number;
  history: HistoryDepth;
  cacheDir: string;
  /**
   * The backend's history store, `<data-dir>/history/<broker>.duckdb`, which this worker alone writes; null when
   * its history is not stored (the sim unless `[history] store_sim`).
   */
  historyFile: string | null;
  config: Record<string, string | number>;
  /** Primary fqme -> its backup on another backend, with that backend's config section. */
  failover: Record<string, { fqme: string; cacheDir: string; config: Record<string, string | number> }>;
}

export interface HistoryDepth {
  /** Rows of 1 m history to backfill. */
  rows60: number;
  /** Rows of 1 s history to backfill. */
  rows1: number;
}

export type DatadRequest =
  | { op: 'open'; fqme: string }
  | { op: 'search'; pattern: string; limit: number }
  | { op: 'mktinfo'; fqme: string }
  /** Writes a stored series to `path` (a file in the data dir's exports folder the host chose). */
  | { op: 'history.export'; fqme: string; timeframe: Timeframe; format: 'parquet' | 'csv'; path: string }
  | { op: 'history.gaps'; fqme: string | null };

export interface OpenResult {
  mkt: MktPair;
  link: LinkState | null;
  /** The venue's engine status as last heard (null: not said); later changes come as `engine` messages. */
  engine: string | null;
  buffers: { timeframe: Timeframe; sab: SharedArrayBuffer }[];
}
export type DatadResult = OpenResult | SymbolMatch[] | MktPair | { rows: number } | HistoryGap[];

export type ToWorker =
  | { t: 'req'; id: number; req: DatadRequest }
  | { t: 'step'; period: Timeframe; time: number }
  | { t: 'crash' }
  /** Close feeds and the history store cleanly, then answer `stopped`. */
  | { t: 'stop' };

export interface FeedStats {
  fqme: string;
  trades: number;
  late: number;
  overflow: number;
  lastTickAt: number | null;
  last: number | null;
  /** The venue connection's state (null for the sim, which has none). */
  link: LinkState | null;
  repairs: number;
}

export type FromWorker =
  | { t: 'reply'; id: number; result: DatadResult }
  | { t: 'reply'; id: number; error: { code: 'not_found' | 'internal'; message: string } }
  | { t: 'quotes'; fqme: string; packed: Float64Array }
  | { t: 'buffer'; fqme: string; timeframe: Timeframe; sab: SharedArrayBuffer }
  | { t: 'history'; fqme: string; timeframe: Timeframe; first: number; done: boolean }
  /** The recorded gaps of a series changed in the history store. */
  | { t: 'gaps'; fqme: string; timeframe: Timeframe }
  /** `source`: the fqme feeding the buffers (the backup's while failed over). */
  | { t: 'link'; fqme: string; state: LinkState; detail: string; source: string }
  /** The venue's matching engine status (Kraken: online, maintenance, cancel_only, post_only). */
  | { t: 'engine'; fqme: string; status: string }
  | { t: 'stats'; feeds: FeedStats[]; ingestRate: number; backend: BackendStats | null; store: StoreStats | null }
  | { t: 'stopped' };

export interface StoreStats {
  /** 'open', or why there is no store ('unavailable: <reason>'). */
  state: string;
  /** Bars written since the worker started. */
  written: number;
}
