import type { BarRows } from '../protocol/frames.js';
import type { MktPair, SymbolMatch, Tick, Timeframe } from '../protocol/types.js';

/**
 * A backend's datad endpoints (piker's stream_quotes, open_history, search_symbols, get_mkt_info).
 * They run inside the backend's datad worker.
 */
export interface DataBackend {
  readonly name: string;
  getMktInfo(fqme: string): Promise<MktPair>;
  searchSymbols(pattern: string, limit: number): Promise<SymbolMatch[]>;
  /** Rows with time < `endTime` (epoch s), ascending, at most `count`; an empty result means no older history. */
  history(fqme: string, timeframe: Timeframe, endTime: number, count: number): Promise<BarRows & { length: number }>;
  /** Starts delivering ticks for `fqme`, beginning at `fromMs` where the backend can replay (sim can). */
  streamQuotes(fqme: string, fromMs: number, onTicks: (fqme: string, ticks: Tick[]) => void): () => void;
  /** Releases timers and sockets. */
  close(): void;
}

export class NotFoundError extends Error {}

export interface BackendEndpoints {
  datad: boolean;
  brokerd: boolean;
}
