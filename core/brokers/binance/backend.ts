import { emptyStats, type BackendContext, type BackendStats, type DataBackend, type LinkEvent, type LinkState } from '../backend.js';
import type { MktPair, SymbolMatch, Tick, Timeframe } from '../../protocol/types.js';
import { LogLimiter } from '../net/log-limiter.js';
import { DEFAULT_ROLL_OVER_MS, StreamConnection } from './connection.js';
import { binanceEndpoints, type BinanceEndpoints } from './endpoints.js';
import { fetchHistory, type HistoryRows } from './history.js';
import { BinanceInstruments } from './instruments.js';
import type { BinanceMarket, MarketKind } from './markets.js';
import { BinanceRest, type RestOptions } from './rest.js';

export interface BinanceBackendOptions {
  /** Roll over to a fresh stream connection after this long (Binance ends each at 24 h). */
  rollOverMs?: number;
  rollOverOverlapMs?: number;
  rest?: RestOptions;
  /** Re-download exchangeInfo this often (default 6 h); the first refresh starts at construction. */
  instrumentRefreshMs?: number;
}

type ConnName = 'spot' | 'usdtm.market' | 'usdtm.public';

interface Sub {
  market: BinanceMarket;
  listeners: Set<(fqme: string, ticks: Tick[]) => void>;
  links: Set<(e: LinkEvent) => void>;
  fromMs: number;
  state: LinkState | null;
}

const SEVERITY: Record<LinkState, number> = { live: 0, stale: 1, connecting: 2, down: 3 };

/**
 * Binance's datad endpoints: spot and USD-M markets from exchangeInfo (cached), klines history, and live trades
 * + L1 from the combined streams. Spot trades use the `trade` stream (every trade with its own id: exact volume
 * and trade counts, and the id dedups a reconnect overlap); USD-M has no per-trade stream on /market, so it uses
 * `aggTrade` (id `a`). One connection per route multiplexes every symbol: spot `/stream`, USD-M `/market/stream`
 * (aggTrade) and `/public/stream` (bookTicker), as the documented URL split requires.
 */
export class BinanceBackend implements DataBackend {
  readonly name = 'binance';
  readonly replays = false;
  private readonly ep: BinanceEndpoints;
  private readonly counts: BackendStats = emptyStats();
  private readonly logs: LogLimiter;
  private readonly rest: Record<MarketKind, BinanceRest>;
  private readonly instruments: BinanceInstruments;
  private readonly conns = new Map<ConnName, StreamConnection>();
  private readonly subs = new Map<string, Sub>();
  private readonly refreshTimer: NodeJS.Timeout;

  constructor(
    private readonly ctx: BackendContext,
    private readonly opts: BinanceBackendOptions = {},
  ) {
    this.ep = binanceEndpoints(ctx.config);
    this.logs = new LogLimiter(ctx.log);
    const restOpts = { log: ctx.log, ...opts.rest };
    this.rest = { spot: new BinanceRest(this.ep.restUrl, restOpts), usdtm: new BinanceRest(this.ep.futuresRestUrl, restOpts) };
    this.instruments = new BinanceInstruments(ctx.cacheDir, this.rest, ctx.log);
    this.instruments.load();
    this.instruments.refresh().catch(() => undefined);
    this.refreshTimer = setInterval(() => this.instruments.refresh().catch(() => undefined), opts.instrumentRefreshMs ?? 6 * 3_600_000);
    this.refreshTimer.unref?.();
  }

  async getMktInfo(fqme: string): Promise<MktPair> {
    return (await this.instruments.market(fqme)).mkt;
  }

  searchSymbols(pattern: string, limit: number): Promise<SymbolMatch[]> {
    return this.instruments.search(pattern, limit);
  }

  async history(fqme: string, timeframe: Timeframe, endTime: number, count: number): Promise<HistoryRows> {
    const m = await this.instruments.market(fqme);
    return fetchHistory(this.rest[m.kind], m.kind, m.symbol, timeframe, endTime, count);
  }

  streamQuotes(fqme: string, fromMs: number, onTicks: (fqme: string, ticks: Tick[]) => void, onLink?: (e: LinkEvent) => void): () => void {
    let stopped = false;
    let started: (() => void) | null = null;
    const known = this.instruments.lookup(fqme);
    if (known) started = this.listen(known, fromMs, onTicks, onLink);
    else {
      this.instruments.market(fqme).then(
        (m) => {
          if (!stopped) started = this.listen(m, fromMs, onTicks, onLink);
        },
        (e: Error) => {
          this.ctx.log(`binance: cannot stream ${fqme}: ${e.message}`);
          onLink?.({ type: 'state', state: 'down', detail: e.message });
        },
      );
    }
    return () => {
      stopped = true;
      started?.();
    };
  }

  stats(): BackendStats {
    const out = { ...this.counts };
    for (const c of this.conns.values()) {
      const k = c.counters;
      out.received += k.received;
      out.reconnects += k.reconnects;
      out.coalesced += k.coalesced;
    }
    return out;
  }

  close(): void {
    clearInterval(this.refreshTimer);
    for (const c of this.conns.values()) c.close();
    this.conns.clear();
    this.subs.clear();
  }

  private listen(m: BinanceMarket, fromMs: number, onTicks: (fqme: string, ticks: Tick[]) => void, onLink?: (e: LinkEvent) => void): () => void {
    const fqme = m.mkt.fqme;
    let sub = this.subs.get(fqme);
    if (!sub) {
      sub = { market: m, listeners: new Set(), links: new Set(), fromMs, state: null };
      this.subs.set(fqme, sub);
      const s = m.symbol.toLowerCase();
      if (m.kind === 'spot') this.conn('spot').subscribe(m.symbol, fqme, [`${s}@trade`, `${s}@bookTicker`]);
      else {
        this.conn('usdtm.market').subscribe(m.symbol, fqme, [`${s}@aggTrade`]);
        this.conn('usdtm.public').subscribe(m.symbol, fqme, [`${s}@bookTicker`]);
      }
    }
    const entry = sub;
    entry.listeners.add(onTicks);
    if (onLink) {
      entry.links.add(onLink);
      if (entry.state) onLink({ type: 'state', state: entry.state, detail: 'subscribed' });
    }
    return () => {
      entry.listeners.delete(onTicks);
      if (onLink) entry.links.delete(onLink);
      if (entry.listeners.size > 0 || this.subs.get(fqme) !== entry) return;
      this.subs.delete(fqme);
      // A connection left without streams closes its socket; it stays in the map (with its counters) for reuse.
      for (const name of this.connsOf(m.kind)) this.conns.get(name)?.unsubscribe(m.symbol);
    };
  }

  private connsOf(kind: MarketKind): ConnName[] {
    return kind === 'spot' ? ['spot'] : ['usdtm.market', 'usdtm.public'];
  }

  private conn(name: ConnName): StreamConnection {
    const c = this.conns.get(name);
    if (c) return c;
    const url = name === 'spot' ? this.ep.spotStreamUrl : name === 'usdtm.market' ? this.ep.futuresMarketUrl : this.ep.futuresPublicUrl;
    const kind: MarketKind = name === 'spot' ? 'spot' : 'usdtm';
    const created = new StreamConnection({
      name: `binance.${name}`,
      url,
      stats: this.counts,
      deliver: (fqme, ticks) => this.deliver(fqme, ticks),
      logs: this.logs,
      log: this.ctx.log,
      staleAfterMs: this.ep.staleMs,
      backoff: this.ep.backoff,
      rollOverMs: this.opts.rollOverMs ?? DEFAULT_ROLL_OVER_MS,
      rollOverOverlapMs: this.opts.rollOverOverlapMs,
      onState: () => this.linkChanged(kind),
      // Trades are what a break loses (bars); a break of the quote-only USD-M /public connection loses none.
      onResumed: () => name !== 'usdtm.public' && this.resumed(created),
      onRefused: (streams, reason) => this.refused(kind, streams, reason),
    });
    this.conns.set(name, created);
    return created;
  }

  private deliver(fqme: string, ticks: Tick[]): void {
    const sub = this.subs.get(fqme);
    if (!sub) return;
    for (const l of sub.listeners) l(fqme, ticks);
  }

  /** A connection changed state: each affected subscription reports the worst state of its connections. */
  private linkChanged(kind: MarketKind): void {
    for (const sub of this.subs.values()) {
      if (sub.market.kind !== kind) continue;
      let worst: LinkState = 'live';
      const details: string[] = [];
      for (const name of this.connsOf(kind)) {
        const s = this.conns.get(name)?.state ?? 'connecting';
        if (SEVERITY[s] > SEVERITY[worst]) worst = s;
        if (s !== 'live') details.push(`${name} ${s}`);
      }
      if (worst === sub.state) continue;
      sub.state = worst;
      const e: LinkEvent = { type: 'state', state: worst, detail: details.join(', ') || 'receiving' };
      for (const l of sub.links) l(e);
    }
  }

  /** Markets whose streams the venue refused hear it as a down link, with the venue's reason. */
  private refused(kind: MarketKind, streams: string[], reason: string): void {
    for (const sub of this.subs.values()) {
      const s = sub.market.symbol.toLowerCase();
      if (sub.market.kind !== kind || !streams.some((st) => st.startsWith(`${s}@`))) continue;
      sub.state = 'down';
      const e: LinkEvent = { type: 'state', state: 'down', detail: `Binance refused ${streams.filter((st) => st.startsWith(`${s}@`)).join(', ')}: ${reason}` };
      for (const l of sub.links) l(e);
    }
  }

  private resumed(c: StreamConnection): void {
    for (const sub of this.subs.values()) {
      const feed = c.handler.get(sub.market.symbol);
      if (!feed || !c.has(sub.market.symbol)) continue;
      const e: LinkEvent = { type: 'resumed', lastMs: feed.lastTradeMs > 0 ? feed.lastTradeMs : sub.fromMs };
      for (const l of sub.links) l(e);
    }
  }
}
