import { NotFoundError, type DataBackend } from '../backend.js';
import { normalizeFqme } from '../../protocol/fqme.js';
import type { MktPair, Tick, Timeframe } from '../../protocol/types.js';
import { searchSymbols } from '../../data/symbol-search.js';
import { SIM_MARKETS, simMarket, simMktPair, type SimMarket } from './markets.js';
import { PricePath } from './price-path.js';
import { TradeGenerator } from './trades.js';
import { historyBars } from './history.js';

export interface SimOptions {
  seed: number;
  /** Mean trades per second per market. */
  rate: number;
  /** How often the live loop emits a batch, in ms. */
  intervalMs?: number;
  now?: () => number;
}

export const SIM_DEFAULT_RATE = 8;

/** The embedded sim exchange's datad endpoints. */
export class SimBackend implements DataBackend {
  readonly name = 'sim';
  readonly replays = true;
  private paths = new Map<string, PricePath>();
  private streams = new Map<string, { gen: TradeGenerator; cursor: number; cbs: Set<(f: string, t: Tick[]) => void> }>();
  private timer: NodeJS.Timeout | null = null;
  private readonly now: () => number;

  constructor(private readonly opts: SimOptions) {
    this.now = opts.now ?? Date.now;
  }

  market(fqme: string): SimMarket {
    let key: string;
    try {
      key = normalizeFqme(fqme);
    } catch (e) {
      throw new NotFoundError((e as Error).message);
    }
    const m = simMarket(key);
    if (!m) throw new NotFoundError(`unknown symbol '${fqme}': the sim exchange lists ${SIM_MARKETS.map((x) => x.fqme).join(', ')}`);
    return m;
  }

  path(fqme: string): PricePath {
    const m = this.market(fqme);
    let p = this.paths.get(m.fqme);
    if (!p) this.paths.set(m.fqme, (p = new PricePath(m, this.opts.seed)));
    return p;
  }

  async getMktInfo(fqme: string): Promise<MktPair> {
    return simMktPair(this.market(fqme));
  }

  async searchSymbols(pattern: string, limit: number) {
    const items = SIM_MARKETS.map((m) => ({ fqme: m.fqme, broker: 'sim', name: m.fqme.split('.')[0]!, description: m.description }));
    return searchSymbols(items, pattern, limit);
  }

  async history(fqme: string, timeframe: Timeframe, endTime: number, count: number) {
    return historyBars(this.path(fqme), this.opts.rate, timeframe, endTime, count);
  }

  /** Deterministic ticks of a market over [fromMs, toMs): what tests and benches replay. */
  ticksBetween(fqme: string, fromMs: number, toMs: number): Tick[] {
    return new TradeGenerator(this.path(fqme), this.opts.rate).ticksBetween(fromMs, toMs);
  }

  streamQuotes(fqme: string, fromMs: number, onTicks: (fqme: string, ticks: Tick[]) => void): () => void {
    const m = this.market(fqme);
    let s = this.streams.get(m.fqme);
    if (!s) {
      s = { gen: new TradeGenerator(this.path(m.fqme), this.opts.rate), cursor: fromMs, cbs: new Set() };
      this.streams.set(m.fqme, s);
    }
    s.cbs.add(onTicks);
    this.ensureTimer();
    // Catch up now rather than on the next timer tick, so the current bar is complete from the start.
    this.pump();
    const entry = s;
    return () => {
      entry.cbs.delete(onTicks);
      if (entry.cbs.size === 0) this.streams.delete(m.fqme);
    };
  }

  private ensureTimer(): void {
    if (this.timer) return;
    const interval = this.opts.intervalMs ?? (this.opts.rate > 1000 ? 5 : 20);
    this.timer = setInterval(() => this.pump(), interval);
  }

  private pump(): void {
    const now = this.now();
    for (const [fqme, s] of this.streams) {
      if (now <= s.cursor) continue;
      const ticks = s.gen.ticksBetween(s.cursor, now);
      s.cursor = now;
      if (ticks.length > 0) for (const cb of s.cbs) cb(fqme, ticks);
    }
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.streams.clear();
  }
}
