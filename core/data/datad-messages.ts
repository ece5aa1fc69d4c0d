import type { BackendStats, LinkState } from '../brokers/backend.js';
import type { MktPair, SymbolMatch, Timeframe } from '../protocol/types.js';

/** Messages between the host (main thread) and a datad worker. */
export interface DatadInit {
  broker: string;
  seed: number;
  rate: number;
  history: HistoryDepth;
  cacheDir: string;
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
  | { op: 'mktinfo'; fqme: string };

export interface OpenResult {
  mkt: MktPair;
  link: LinkState | null;
  buffers: { timeframe: Timeframe; sab: SharedArrayBuffer }[];
}
export type DatadResult = OpenResult | SymbolMatch[] | MktPair;

export type ToWorker =
  | { t: 'req'; id: number; req: DatadRequest }
  | { t: 'step'; period: Timeframe; time: number }
  | { t: 'crash' };

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
  /** `source`: the fqme feeding the buffers (the backup's while failed over). */
  | { t: 'link'; fqme: string; state: LinkState; detail: string; source: string }
  | { t: 'stats'; feeds: FeedStats[]; ingestRate: number; backend: BackendStats | null };
