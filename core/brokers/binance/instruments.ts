import { join } from 'node:path';
import type { SymbolMatch } from '../../protocol/types.js';
import { normalizeFqme } from '../../protocol/fqme.js';
import { searchSymbols, type Searchable } from '../../data/symbol-search.js';
import { NotFoundError } from '../backend.js';
import { InstrumentCache } from '../net/instrument-cache.js';
import { describe, marketsFromInfo, type BinanceMarket, type MarketKind } from './markets.js';
import type { BinanceRest } from './rest.js';

export type InstrumentTable = Record<MarketKind, BinanceMarket[]>;

const KINDS: readonly MarketKind[] = ['spot', 'usdtm'];
const INFO_PATH: Record<MarketKind, string> = { spot: '/api/v3/exchangeInfo', usdtm: '/fapi/v1/exchangeInfo' };
const SEARCH_WAIT_MS = 3_000;

function validTable(v: unknown): InstrumentTable | null {
  if (typeof v !== 'object' || v === null) return null;
  const t = v as Partial<InstrumentTable>;
  for (const k of KINDS) {
    const list = t[k];
    if (!Array.isArray(list) || !list.every((m) => typeof m?.symbol === 'string' && typeof m?.mkt?.fqme === 'string' && m.kind === k)) return null;
  }
  return t as InstrumentTable;
}

/**
 * Binance's spot and USD-M markets by fqme, from exchangeInfo, cached at `<cacheDir>/instruments.json`. The two
 * lists refresh independently: a venue that refuses futures (a region block) still lists spot, and a failed
 * download keeps that list's cached copy.
 */
export class BinanceInstruments {
  private readonly cache: InstrumentCache<InstrumentTable>;
  private indexed: InstrumentTable | null = null;
  private byFqme = new Map<string, BinanceMarket>();
  private searchable: Searchable[] = [];

  constructor(
    cacheDir: string,
    private readonly rest: Record<MarketKind, BinanceRest>,
    private readonly log: (line: string) => void,
  ) {
    this.cache = new InstrumentCache({ file: join(cacheDir, 'instruments.json'), fetch: () => this.download(), validate: validTable, log });
  }

  /** Reads the cache file; true when it held a table. */
  load(): boolean {
    return this.cache.loadFromDisk();
  }

  refresh(): Promise<InstrumentTable> {
    return this.cache.refresh();
  }

  /** The market of an fqme if the table we hold has it (no I/O). */
  lookup(fqme: string): BinanceMarket | null {
    const t = this.cache.current;
    if (t === null) return null;
    this.index(t);
    let key: string;
    try {
      key = normalizeFqme(fqme);
    } catch {
      return null;
    }
    return this.byFqme.get(key) ?? null;
  }

  /** The market of an fqme, downloading the table if we hold none; a miss on a cached table refreshes once. */
  async market(fqme: string): Promise<BinanceMarket> {
    let key: string;
    try {
      key = normalizeFqme(fqme);
    } catch (e) {
      throw new NotFoundError((e as Error).message);
    }
    await this.cache.ready();
    let m = this.lookup(key);
    if (!m && this.cache.fetchedAt === 0) {
      await this.cache.refresh().catch(() => undefined);
      m = this.lookup(key);
    }
    if (!m) {
      const near = await this.near(key.split('.')[0]!);
      throw new NotFoundError(
        `unknown symbol '${fqme}': Binance lists no such market (spot is <pair>.spot.binance, USD-M perpetuals <pair>.usdtm.perp.binance)` +
          (near.length ? `; did you mean ${near.join(', ')}?` : ''),
      );
    }
    return m;
  }

  /**
   * Fuzzy search over the markets trading now. Without a table yet (first start, venue unreachable) it waits
   * for the download at most `SEARCH_WAIT_MS`: a search across every backend must not hang on one.
   */
  async search(pattern: string, limit: number): Promise<SymbolMatch[]> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('Binance markets are not loaded yet (exchangeInfo still downloading)')), SEARCH_WAIT_MS);
    });
    const t = await Promise.race([this.cache.ready(), late]).finally(() => clearTimeout(timer));
    this.index(t);
    return searchSymbols(this.searchable, pattern, limit);
  }

  /** Markets whose name is closest to a pair we do not list: the longest prefix of it that matches anything. */
  private async near(pair: string): Promise<string[]> {
    for (let n = pair.length; n >= 3; n--) {
      const found = await this.search(pair.slice(0, n), 3);
      if (found.length) return found.map((s) => s.fqme);
    }
    return [];
  }

  private index(t: InstrumentTable): void {
    if (this.indexed === t) return;
    this.indexed = t;
    this.byFqme = new Map(KINDS.flatMap((k) => t[k].map((m) => [m.mkt.fqme, m] as const)));
    this.searchable = KINDS.flatMap((k) =>
      t[k].filter((m) => m.status === 'TRADING').map((m) => ({ fqme: m.mkt.fqme, broker: 'binance', name: m.symbol, description: describe(m) })),
    );
  }

  private async download(): Promise<InstrumentTable> {
    const prev = this.cache.current;
    const got = await Promise.allSettled(KINDS.map((k) => this.rest[k].get(INFO_PATH[k], {}, 1)));
    const out = {} as InstrumentTable;
    const failures: string[] = [];
    KINDS.forEach((k, i) => {
      const r = got[i]!;
      try {
        if (r.status === 'rejected') throw r.reason as Error;
        const { markets, skipped } = marketsFromInfo(k, r.value);
        if (skipped > 0) this.log(`binance ${k} exchangeInfo: ${skipped} symbols skipped (missing or malformed filters)`);
        out[k] = markets;
      } catch (e) {
        failures.push(`${k}: ${(e as Error).message}`);
        out[k] = prev?.[k] ?? [];
      }
    });
    if (failures.length === KINDS.length) throw new Error(`exchangeInfo failed (${failures.join('; ')})`);
    if (failures.length) this.log(`binance exchangeInfo partly failed, keeping the cached list: ${failures.join('; ')}`);
    return out;
  }
}
