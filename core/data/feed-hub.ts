import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseFqme, normalizeFqme, FqmeError } from '../protocol/fqme.js';
import type { FeedStatus, MktPair, SymbolMatch, Timeframe } from '../protocol/types.js';
import type { HistoryFormat, HistoryGap } from '../protocol/messages.js';
import { BACKENDS, knownBackends } from '../brokers/index.js';
import type { ServiceRegistry } from '../services/registry.js';
import { OhlcBuffer } from './ohlc-buffer.js';
import { DatadError, DatadService } from './datad-service.js';
import type { DatadInit, HistoryDepth } from './datad-messages.js';

export interface FeedHandle {
  fqme: string;
  mkt: MktPair;
  buffers: Map<Timeframe, OhlcBuffer>;
  lastTickAt: number | null;
  last: number | null;
  link: FeedStatus['link'];
  detail: string;
  source: string;
  engine: string | null;
}

export interface HubListener {
  onQuotes?(fqme: string, packed: Float64Array): void;
  onBuffer?(fqme: string, timeframe: Timeframe, buf: OhlcBuffer): void;
  onHistory?(fqme: string, timeframe: Timeframe, first: number, done: boolean): void;
  /** The recorded gaps of a series changed (history.gaps answers differently now). */
  onGaps?(fqme: string, timeframe: Timeframe): void;
  onFeedStatus?(status: FeedStatus): void;
}

export interface HubOptions {
  seed: number;
  rate: number;
  history: HistoryDepth;
  /** `<data-dir>/cache`: each backend caches under its own folder. */
  cacheDir: string;
  /** `<data-dir>/history`: each backend's datad stores its bars in `<broker>.duckdb` there. */
  historyDir: string;
  /** `<data-dir>/exports`: where history.export writes (a folder the host owns; clients never name a path). */
  exportDir: string;
  /** Store the sim's history too (it is regenerated from the seed otherwise); the file is per seed. */
  storeSim: boolean;
  /** A backend's `[<broker>]` config section (venue URLs); never credentials, which stay with brokerd. */
  venueConfig: (broker: string) => Record<string, string | number>;
  /** [failover]: primary fqme -> backup fqme. */
  failover: Record<string, string>;
  log: (line: string) => void;
}

/** How long a search waits for each backend. */
const SEARCH_WAIT_MS = 1_500;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** A feed with no tick for this long is shown as stale. */
export const STALE_AFTER_MS = 5_000;

/**
 * The host's view of every feed: starts `datad.<broker>` on the first request for a backend, attaches to
 * the shared buffers the worker writes, and fans its events out to the API.
 */
export class FeedHub {
  private feeds = new Map<string, FeedHandle>();
  private listeners = new Set<HubListener>();

  constructor(
    private readonly registry: ServiceRegistry,
    private readonly opts: HubOptions,
  ) {}

  listen(l: HubListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Validates the fqme and names its backend; throws DatadError('not_found') with a readable reason. */
  brokerOf(fqme: string): string {
    let broker: string;
    try {
      broker = parseFqme(fqme).broker;
    } catch (e) {
      throw new DatadError('not_found', (e as FqmeError).message);
    }
    if (!BACKENDS[broker]?.datad) {
      throw new DatadError('not_found', `unknown backend '${broker}' in '${fqme}': this build has ${knownBackends().join(', ')}`);
    }
    return broker;
  }

  datad(broker: string): Promise<DatadService> {
    return this.registry.startOrAttach(
      `datad.${broker}`,
      async () =>
        new DatadService(
          {
            broker,
            seed: this.opts.seed,
            rate: this.opts.rate,
            history: this.opts.history,
            cacheDir: join(this.opts.cacheDir, broker),
            historyFile: this.historyFile(broker),
            config: this.opts.venueConfig(broker),
            failover: this.failoverFor(broker),
          },
          {
            onBuffer: (fqme, tf, sab) => this.replaceBuffer(fqme, tf, sab),
            onQuotes: (fqme, packed) => this.quotes(fqme, packed),
            onHistory: (fqme, tf, first, done) => this.emit((l) => l.onHistory?.(fqme, tf, first, done)),
            onGaps: (fqme, tf) => this.emit((l) => l.onGaps?.(fqme, tf)),
            onStats: (_b, stats) => {
              for (const s of stats) {
                const h = this.feeds.get(s.fqme);
                if (h) h.last = s.last;
              }
            },
            onLink: (fqme, state, detail, source) => {
              const h = this.feeds.get(fqme);
              if (!h) return;
              h.link = state;
              h.detail = detail;
              h.source = source;
              this.emit((l) => l.onFeedStatus?.(this.statusOf(h, Date.now())));
            },
            onEngine: (fqme, status) => {
              const h = this.feeds.get(fqme);
              if (!h) return;
              h.engine = status;
              this.emit((l) => l.onFeedStatus?.(this.statusOf(h, Date.now())));
            },
          },
          () => this.registry.changed(),
          this.opts.log,
        ),
    );
  }

  /**
   * One file per backend, written by its datad alone. The sim's synthetic history is regenerated from the seed in
   * less time than reading it back would take, so it is stored only when asked (benchmarks, tests), per seed.
   */
  historyFile(broker: string): string | null {
    if (broker === 'sim') return this.opts.storeSim ? join(this.opts.historyDir, `sim-seed${this.opts.seed}.duckdb`) : null;
    return join(this.opts.historyDir, `${broker}.duckdb`);
  }

  /** Exports a stored series through the backend's datad (the store's one writer) into the exports folder. */
  async historyExport(fqme: string, timeframe: Timeframe, format: HistoryFormat): Promise<{ fqme: string; rows: number; path: string }> {
    const broker = this.brokerOf(fqme);
    const norm = normalizeFqme(fqme);
    mkdirSync(this.opts.exportDir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const path = join(this.opts.exportDir, `${norm}.${timeframe}s.${stamp}.${format}`);
    const { rows } = await (await this.datad(broker)).historyExport(norm, timeframe, format, path);
    return { fqme: norm, rows, path };
  }

  /** Recorded gaps of one market, or of every backend whose history is stored. */
  async historyGaps(fqme?: string): Promise<HistoryGap[]> {
    if (fqme !== undefined) return (await this.datad(this.brokerOf(fqme))).historyGaps(normalizeFqme(fqme));
    const brokers = knownBackends().filter((b) => BACKENDS[b]!.datad && this.historyFile(b) !== null);
    const all = await Promise.all(brokers.map(async (b) => (await this.datad(b)).historyGaps(null).catch(() => [] as HistoryGap[])));
    return all.flat();
  }

  private failoverFor(broker: string): DatadInit['failover'] {
    const out: DatadInit['failover'] = {};
    for (const [primary, backup] of Object.entries(this.opts.failover)) {
      if (parseFqme(primary).broker !== broker) continue;
      const b = parseFqme(backup).broker;
      out[primary] = { fqme: backup, cacheDir: join(this.opts.cacheDir, b), config: this.opts.venueConfig(b) };
    }
    return out;
  }

  async open(fqme: string): Promise<FeedHandle> {
    const broker = this.brokerOf(fqme);
    // An open feed needs no round trip to its worker (every subscription and every order asks).
    const known = this.feeds.get(normalizeFqme(fqme));
    if (known) return known;
    const svc = await this.datad(broker);
    const r = await svc.open(fqme);
    let h = this.feeds.get(r.mkt.fqme);
    if (!h) {
      h = { fqme: r.mkt.fqme, mkt: r.mkt, buffers: new Map(), lastTickAt: null, last: null, link: r.link, detail: '', source: r.mkt.fqme, engine: r.engine };
      for (const b of r.buffers) h.buffers.set(b.timeframe, OhlcBuffer.attach(b.sab));
      this.feeds.set(h.fqme, h);
    }
    return h;
  }

  get(fqme: string): FeedHandle | undefined {
    return this.feeds.get(fqme);
  }

  async mktInfo(fqme: string): Promise<MktPair> {
    return (await this.datad(this.brokerOf(fqme))).mktInfo(fqme);
  }

  /**
   * Searches every backend with a datad endpoint, concurrently; a failing or slow backend does not hide the
   * others (a venue still loading its instrument table answers on a later keystroke).
   */
  async search(pattern: string, limit: number): Promise<SymbolMatch[]> {
    const brokers = knownBackends().filter((b) => BACKENDS[b]!.datad);
    // The embedded sim answers from memory: only a venue (network, instrument download) is cut short, so a slow
    // start of the sim's worker on a busy machine never hides its symbols.
    const results = await Promise.allSettled(
      brokers.map(async (b) => {
        const answer = (await this.datad(b)).search(pattern, limit);
        return b === 'sim' ? answer : withTimeout(answer, SEARCH_WAIT_MS, b);
      }),
    );
    const all: SymbolMatch[] = [];
    for (const r of results) if (r.status === 'fulfilled') all.push(...r.value);
    all.sort((a, b) => b.score - a.score || a.fqme.localeCompare(b.fqme));
    return all.slice(0, limit);
  }

  step(period: Timeframe, time: number): void {
    for (const b of knownBackends()) {
      const svc = this.registry.get(`datad.${b}`) as DatadService | undefined;
      svc?.step(period, time);
    }
  }

  status(now = Date.now()): FeedStatus[] {
    return [...this.feeds.values()].map((h) => this.statusOf(h, now));
  }

  private statusOf(h: FeedHandle, now: number): FeedStatus {
    // A venue says itself whether its connection is live (a quiet market is not a dead feed); the sim has no
    // connection, so its liveness is tick recency.
    const recent = h.lastTickAt !== null && now - h.lastTickAt < STALE_AFTER_MS;
    const live = h.link === null ? recent : h.link === 'live' || (h.source !== h.fqme && recent);
    return { fqme: h.fqme, broker: h.mkt.broker, live, lastTickAt: h.lastTickAt, link: h.link, detail: h.detail, source: h.source, engine: h.engine };
  }

  private quotes(fqme: string, packed: Float64Array): void {
    const h = this.feeds.get(fqme);
    if (h && packed.length >= 4) {
      const wasLive = this.statusOf(h, Date.now()).live;
      h.lastTickAt = packed[packed.length - 1]!;
      if (!wasLive) this.emit((l) => l.onFeedStatus?.(this.statusOf(h, Date.now())));
    }
    this.emit((l) => l.onQuotes?.(fqme, packed));
  }

  private replaceBuffer(fqme: string, tf: Timeframe, sab: SharedArrayBuffer): void {
    const h = this.feeds.get(fqme);
    if (!h) return;
    const buf = OhlcBuffer.attach(sab);
    h.buffers.set(tf, buf);
    this.emit((l) => l.onBuffer?.(fqme, tf, buf));
  }

  /** Sweeps feeds for liveness changes (live -> stale) that no tick would announce. */
  sweepLiveness(previous: Map<string, boolean>): void {
    const now = Date.now();
    for (const h of this.feeds.values()) {
      const s = this.statusOf(h, now);
      if (previous.get(h.fqme) !== s.live) {
        previous.set(h.fqme, s.live);
        this.emit((l) => l.onFeedStatus?.(s));
      }
    }
  }

  private emit(fn: (l: HubListener) => void): void {
    for (const l of this.listeners) {
      try {
        fn(l);
      } catch (e) {
        this.opts.log(`feed listener failed: ${(e as Error).stack ?? e}`);
      }
    }
  }
}
