import { join } from 'node:path';
import { NotFoundError, type BackendContext, type DataBackend, type LinkEvent } from '../backend.js';
import { searchSymbols } from '../../data/symbol-search.js';
import type { MktPair, SymbolMatch, Tick, Timeframe } from '../../protocol/types.js';
import { LogLimiter } from '../net/log-limiter.js';
import { fqmeKeyOrNotFound, streamWhenKnown } from '../net/lookup.js';
import { emptyRows, ohlcHistory, type Rows } from './history.js';
import { KrakenInstruments } from './instruments.js';
import { DEFAULT_RETRY, publicGet, type RetryPolicy } from './rest.js';
import { KrakenStream } from './stream.js';
import { BROKER, type KrakenPair } from './symbols.js';

export interface KrakenBackendOptions {
  retry?: RetryPolicy;
  /** App-level ping interval (default 20 s). */
  pingMs?: number;
}

const DEFAULTS = {
  rest_url: 'https://api.kraken.com',
  ws_url: 'wss://ws.kraken.com/v2',
  stale_ms: 5_000,
  reconnect_min_ms: 1_000,
  reconnect_max_ms: 60_000,
};

/** The `[kraken]` section with defaults for keys a caller left out. */
export function krakenSection(config: Record<string, string | number>): typeof DEFAULTS {
  const pick = <K extends keyof typeof DEFAULTS>(k: K): (typeof DEFAULTS)[K] => (config[k] ?? DEFAULTS[k]) as (typeof DEFAULTS)[K];
  return {
    rest_url: String(pick('rest_url')).replace(/\/+$/, ''),
    ws_url: pick('ws_url'),
    stale_ms: Number(pick('stale_ms')),
    reconnect_min_ms: Number(pick('reconnect_min_ms')),
    reconnect_max_ms: Number(pick('reconnect_max_ms')),
  };
}

/** datad.kraken: Kraken spot market data over REST + WS v2. */
export class KrakenBackend implements DataBackend {
  readonly name = BROKER;
  private readonly cfg: typeof DEFAULTS;
  private readonly instruments: KrakenInstruments;
  private readonly stream: KrakenStream;
  private readonly retry: RetryPolicy;
  private readonly rowRejects: LogLimiter;
  private historyRejected = 0;

  constructor(
    private readonly ctx: BackendContext,
    opts: KrakenBackendOptions = {},
  ) {
    this.cfg = krakenSection(ctx.config);
    this.retry = opts.retry ?? DEFAULT_RETRY;
    this.rowRejects = new LogLimiter(ctx.log);
    this.instruments = new KrakenInstruments({
      cacheDir: ctx.cacheDir,
      fetchAssetPairs: () => publicGet(this.cfg.rest_url, 'AssetPairs', {}, this.retry, ctx.log),
      log: ctx.log,
    });
    this.stream = new KrakenStream({
      url: this.cfg.ws_url,
      staleMs: this.cfg.stale_ms,
      backoff: { minMs: this.cfg.reconnect_min_ms, maxMs: this.cfg.reconnect_max_ms },
      ...(opts.pingMs ? { pingMs: opts.pingMs } : {}),
      log: ctx.log,
    });
  }

  get cacheFile(): string {
    return join(this.ctx.cacheDir, 'instruments.json');
  }

  /** The market behind an fqme, or a NotFoundError that says what Kraken does list. */
  async pair(fqme: string): Promise<KrakenPair> {
    const key = fqmeKeyOrNotFound(fqme);
    await this.instruments.ready();
    let p = this.instruments.get(key);
    // A miss on a table read from disk may be a new listing: ask the venue once before saying no.
    if (!p && !this.instruments.fresh) p = await this.instruments.refresh().then(() => this.instruments.get(key), () => undefined);
    if (p) return p;
    const like = searchSymbols(this.searchItems(), key.split('.')[0]!, 3).map((m) => m.fqme);
    throw new NotFoundError(
      `unknown symbol '${fqme}': Kraken spot has no pair with altname '${key.split('.')[0]!.toUpperCase()}'` +
        ` (fqmes are <altname>.spot.kraken, e.g. xbtusd.spot.kraken${like.length ? `; did you mean ${like.join(', ')}?` : ''})`,
    );
  }

  async getMktInfo(fqme: string): Promise<MktPair> {
    return (await this.pair(fqme)).mkt;
  }

  async searchSymbols(pattern: string, limit: number): Promise<SymbolMatch[]> {
    await this.instruments.ready();
    return searchSymbols(this.searchItems(), pattern, limit);
  }

  private searchItems() {
    return this.instruments.all().map((p) => ({
      fqme: p.fqme,
      broker: BROKER,
      name: p.altname.toLowerCase(),
      description: `${p.symbol} ${p.wsname} Kraken spot${p.status === 'online' ? '' : ` (${p.status})`}`,
    }));
  }

  async history(fqme: string, timeframe: Timeframe, endTime: number, count: number): Promise<Rows> {
    const pair = await this.pair(fqme);
    // Kraken has no 1 s candles (intervals start at 1 minute): the feed builds seconds from live trades only.
    if (timeframe !== 60 || count <= 0) return emptyRows();
    return ohlcHistory(
      {
        pairKey: pair.key,
        fetch: (since) => publicGet(this.cfg.rest_url, 'OHLC', { pair: pair.altname, interval: '1', since: String(since) }, this.retry, this.ctx.log),
        reject: (what) => {
          this.historyRejected++;
          this.rowRejects.line('ohlc', `kraken: rejected ${what}`);
        },
      },
      endTime,
      count,
    );
  }

  streamQuotes(fqme: string, fromMs: number, onTicks: (fqme: string, ticks: Tick[]) => void, onLink?: (e: LinkEvent) => void): () => void {
    // The table may still be loading (no cache yet): subscribe once it is known.
    return streamWhenKnown(
      this.pair(fqme),
      (pair) => this.stream.add(pair, fromMs, onTicks, onLink),
      (e) => {
        this.ctx.log(`kraken: cannot stream ${fqme}: ${e.message}`);
        onLink?.({ type: 'state', state: 'down', detail: e.message });
      },
    );
  }

  stats() {
    const s = this.stream.stats();
    return { ...s, rejected: s.rejected + this.historyRejected };
  }


  close(): void {
    this.stream.close();
  }
}
