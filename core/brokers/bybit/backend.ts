import type { BackendContext, BackendStats, DataBackend, LinkEvent } from '../backend.js';
import type { Backoff } from '../net/venue-socket.js';
import type { MktPair, SymbolMatch, Tick, Timeframe } from '../../protocol/types.js';
import { ARGS_BUDGET } from './connection.js';
import { InstrumentTable } from './instrument-table.js';
import { emptyRows, minuteBars, type Rows } from './klines.js';
import { BybitRest } from './rest.js';
import { BybitStreams } from './streams.js';

/** Knobs tests turn (small delays, small pages); production uses the defaults. */
export interface BybitOptions {
  restRetries?: number;
  restBackoff?: Backoff;
  pingMs?: number;
  argsBudget?: number;
  klinePageMax?: number;
  /** How long a search waits for the first instrument load. */
  searchWaitMs?: number;
}

const num = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
const str = (v: unknown, fallback: string): string => (typeof v === 'string' && v.length > 0 ? v : fallback);

/** Bybit V5 public market data (spot + linear): the datad endpoints. No brokerd: Bybit trades on paper only here. */
export class BybitBackend implements DataBackend {
  readonly name = 'bybit';
  readonly rest: BybitRest;
  readonly instruments: InstrumentTable;
  readonly streams: BybitStreams;

  constructor(
    ctx: BackendContext,
    private readonly opts: BybitOptions = {},
  ) {
    const c = ctx.config;
    const backoff = { minMs: num(c.reconnect_min_ms, 1_000), maxMs: num(c.reconnect_max_ms, 60_000) };
    const staleMs = num(c.stale_ms, 20_000);
    this.rest = new BybitRest({ baseUrl: str(c.rest_url, 'https://api.bybit.com'), retries: opts.restRetries, backoff: opts.restBackoff, log: ctx.log });
    this.instruments = new InstrumentTable(this.rest, ctx.cacheDir, ctx.log);
    this.streams = new BybitStreams({
      wsUrl: str(c.ws_url, 'wss://stream.bybit.com/v5/public'),
      staleMs,
      backoff,
      // Bybit recommends 20 s; a shorter stale window needs pongs within it to tell a quiet market from a dead link.
      pingMs: opts.pingMs ?? Math.min(20_000, Math.max(50, Math.floor(staleMs / 2))),
      argsBudget: opts.argsBudget ?? ARGS_BUDGET,
      log: ctx.log,
    });
  }

  async getMktInfo(fqme: string): Promise<MktPair> {
    return (await this.instruments.market(fqme)).mkt;
  }

  searchSymbols(pattern: string, limit: number): Promise<SymbolMatch[]> {
    return this.instruments.search(pattern, limit, this.opts.searchWaitMs ?? 2_000);
  }

  /** 1 m candles from REST; Bybit has no 1 s candles, so 1 s history is empty (the live stream builds those bars). */
  async history(fqme: string, timeframe: Timeframe, endTime: number, count: number): Promise<Rows> {
    const m = await this.instruments.market(fqme);
    if (timeframe !== 60 || count <= 0) return emptyRows();
    return minuteBars(this.rest, m.category, m.symbol, endTime, count, this.opts.klinePageMax);
  }

  /** Bybit streams from now (no replay): `fromMs` is not used; the feed repairs the bars from history. */
  streamQuotes(fqme: string, _fromMs: number, onTicks: (fqme: string, ticks: Tick[]) => void, onLink?: (e: LinkEvent) => void): () => void {
    let stop: (() => void) | null = null;
    let stopped = false;
    this.instruments.market(fqme).then(
      (m) => {
        if (!stopped) stop = this.streams.add({ category: m.category, symbol: m.symbol, fqme: m.mkt.fqme }, { onTicks, onLink });
      },
      (e: Error) => onLink?.({ type: 'state', state: 'down', detail: e.message }),
    );
    return () => {
      stopped = true;
      stop?.();
    };
  }

  stats(): BackendStats {
    return this.streams.stats();
  }

  close(): void {
    this.streams.close();
  }
}
