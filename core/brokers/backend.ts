import type { BarRows } from '../protocol/frames.js';
import type { MktPair, SymbolMatch, Tick, Timeframe } from '../protocol/types.js';

/** The state of a backend's market-data connection, as the status bar and emsd see it. */
export type LinkState = 'connecting' | 'live' | 'stale' | 'down';

export type LinkEvent =
  /** The connection behind a stream changed state (`detail` says why: "no message for 10 s", "closed 1006"). */
  | { type: 'state'; state: LinkState; detail?: string }
  /**
   * The stream is back after a disconnect: ticks after `lastMs` (the newest one delivered before the break) may
   * have been missed. The feed refetches those bars from history so no gap remains.
   */
  | { type: 'resumed'; lastMs: number }
  /**
   * The venue's matching engine says what it takes (Kraken's `status` channel: online, maintenance, cancel_only,
   * post_only). Venue-wide: every stream of the connection hears it, a new one the newest at once.
   */
  | { type: 'engine'; status: string };

/** Counters a backend keeps for the services panel; every rejected or dropped frame is counted, never silent. */
export interface BackendStats {
  /** Raw frames received from the venue. */
  received: number;
  /** Quote frames replaced by a newer one for the same key while queued (backpressure). */
  coalesced: number;
  /** Frames dropped by the queue policy (never trades). */
  dropped: number;
  /** Malformed, truncated or unknown frames: counted and logged, never thrown. */
  rejected: number;
  /** Trades already seen (same or older trade id): a reconnect overlap or a venue resend. */
  duplicates: number;
  /** Completed reconnects. */
  reconnects: number;
}

export function emptyStats(): BackendStats {
  return { received: 0, coalesced: 0, dropped: 0, rejected: 0, duplicates: 0, reconnects: 0 };
}

/**
 * A backend's datad endpoints (piker's stream_quotes, open_history, search_symbols, get_mkt_info).
 * They run inside the backend's datad worker.
 */
export interface DataBackend {
  readonly name: string;
  /**
   * True when streamQuotes can replay from `fromMs` (the sim). A venue starts live instead, and the feed fills the
   * bars from the open's minute up to the first live tick from history.
   */
  readonly replays?: boolean;
  getMktInfo(fqme: string): Promise<MktPair>;
  searchSymbols(pattern: string, limit: number): Promise<SymbolMatch[]>;
  /** Rows with time < `endTime` (epoch s), ascending, at most `count`; an empty result means no older history. */
  history(fqme: string, timeframe: Timeframe, endTime: number, count: number): Promise<BarRows & { length: number }>;
  /**
   * Starts delivering ticks for `fqme`, beginning at `fromMs` where the backend can replay (sim can; venues
   * start live and the feed backfills bars from history). `onLink` hears connection state and resumes.
   */
  streamQuotes(fqme: string, fromMs: number, onTicks: (fqme: string, ticks: Tick[]) => void, onLink?: (e: LinkEvent) => void): () => void;
  /** Counters for the services panel (venues); the sim has none. */
  stats?(): BackendStats;
  /** Releases timers and sockets. */
  close(): void;
}

export class NotFoundError extends Error {}

export interface BackendEndpoints {
  datad: boolean;
  brokerd: boolean;
}

/** What a datad worker hands a backend it creates. */
export interface BackendContext {
  seed: number;
  rate: number;
  /** A directory this backend may cache in (instrument tables): `<data-dir>/cache/<broker>`. */
  cacheDir: string;
  /** The backend's `[<broker>]` section of config.toml (base URLs), already validated. */
  config: Record<string, string | number>;
  log(line: string): void;
}
