import { join } from 'node:path';
import { NotFoundError } from '../backend.js';
import { InstrumentCache } from '../net/instrument-cache.js';
import { searchSymbols } from '../../data/symbol-search.js';
import { FqmeError, normalizeFqme, parseFqme } from '../../protocol/fqme.js';
import type { SymbolMatch } from '../../protocol/types.js';
import { buildMarkets, type BybitMarket } from './instruments.js';
import { BROKER, type Category } from './names.js';
import type { BybitRest } from './rest.js';

/** The venue's raw instrument lists: what the cache file holds (mapped on load, so a naming fix applies to it). */
interface RawLists {
  spot: unknown[];
  linear: unknown[];
}

/** After a failed download, searches answer "not loaded" at once for this long rather than wait on the venue. */
const RETRY_QUIET_MS = 30_000;

const isRawLists = (v: unknown): v is RawLists => typeof v === 'object' && v !== null && Array.isArray((v as RawLists).spot) && Array.isArray((v as RawLists).linear);

/** Linear lists more than 500 contracts, in pages of up to 1000; a cursor that repeats ends the walk. */
async function fetchList(rest: BybitRest, category: Category): Promise<unknown[]> {
  const out: unknown[] = [];
  let cursor = '';
  for (let page = 0; page < 50; page++) {
    const r = await rest.get('/v5/market/instruments-info', {
      category,
      limit: category === 'linear' ? 1000 : undefined,
      cursor: cursor || undefined,
    });
    if (!Array.isArray(r.list)) throw new Error(`bybit instruments-info (${category}): reply without a list`);
    out.push(...(r.list as unknown[]));
    const next = typeof r.nextPageCursor === 'string' ? r.nextPageCursor : '';
    if (!next || next === cursor) break;
    cursor = next;
  }
  return out;
}

/**
 * Bybit's markets, cached at `<cacheDir>/instruments.json` (core/brokers/net/instrument-cache.ts): a cache present
 * at start answers at once and is refreshed in the background, a failed refresh keeps it; without a cache the
 * first request waits for the venue.
 */
export class InstrumentTable {
  private byFqme = new Map<string, BybitMarket>();
  private mappedFrom: RawLists | null = null;
  private readonly cache: InstrumentCache<RawLists>;
  /** Instrument entries that did not map (logged). */
  rejected = 0;
  /** When the last download failed: a search right after one answers at once instead of waiting again. */
  private failedAt = -Infinity;

  constructor(
    rest: BybitRest,
    cacheDir: string,
    private readonly log: (line: string) => void,
  ) {
    this.cache = new InstrumentCache({
      file: join(cacheDir, 'instruments.json'),
      fetch: async () => {
        try {
          const lists = { spot: await fetchList(rest, 'spot'), linear: await fetchList(rest, 'linear') };
          // An empty answer must not replace a good cache.
          if (buildMarkets(lists.spot, lists.linear, () => {}).length === 0) throw new Error('bybit listed no markets');
          return lists;
        } catch (e) {
          this.failedAt = Date.now();
          throw e;
        }
      },
      validate: (v) => (isRawLists(v) ? v : null),
      log: (line) => log(`bybit: ${line}`),
    });
    this.cache.loadFromDisk();
    this.cache.refresh().catch(() => {}); // logged by the cache; requests retry
  }

  get size(): number {
    return this.table().size;
  }

  async market(fqme: string): Promise<BybitMarket> {
    let key: string;
    try {
      key = normalizeFqme(fqme);
    } catch (e) {
      throw new NotFoundError((e as FqmeError).message);
    }
    if (parseFqme(key).broker !== BROKER) throw new NotFoundError(`'${fqme}' is not a bybit symbol`);
    await this.cache.ready();
    let m = this.table().get(key);
    // Listed since the cache file was written? The venue's current list may know it.
    if (!m && this.cache.fetchedAt === 0) {
      await this.cache.refresh().catch(() => {});
      m = this.table().get(key);
    }
    if (!m) throw new NotFoundError(this.unknown(fqme, key));
    return m;
  }

  /** Search over the table; waits at most `waitMs` for a first load (a search must not hang on the venue). */
  async search(pattern: string, limit: number, waitMs: number): Promise<SymbolMatch[]> {
    if (!this.cache.current && Date.now() - this.failedAt > RETRY_QUIET_MS) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((r) => (timer = setTimeout(r, waitMs)));
      await Promise.race([this.cache.ready().catch(() => {}), late]).finally(() => clearTimeout(timer));
    }
    if (!this.cache.current) throw new Error('bybit instruments are not loaded yet (venue unreachable?)');
    return searchSymbols(this.items(), pattern, limit);
  }

  /** Downloads the lists again (the table follows on its next use). */
  refresh(): Promise<unknown> {
    return this.cache.refresh();
  }

  /** The markets of the current lists, re-mapped when the lists changed. */
  private table(): Map<string, BybitMarket> {
    const lists = this.cache.current;
    if (lists && lists !== this.mappedFrom) {
      this.mappedFrom = lists;
      const markets = buildMarkets(lists.spot, lists.linear, (why) => {
        this.rejected++;
        this.log(`bybit: instrument skipped: ${why}`);
      });
      this.byFqme = new Map(markets.map((m) => [m.mkt.fqme, m]));
    }
    return this.byFqme;
  }

  private items() {
    return [...this.table().values()].map((m) => ({ fqme: m.mkt.fqme, broker: BROKER, name: m.mkt.fqme.split('.')[0]!, description: m.description }));
  }

  private unknown(fqme: string, key: string): string {
    const counts = { spot: 0, linear: 0 };
    for (const m of this.table().values()) counts[m.category]++;
    const near = searchSymbols(this.items(), key.split('.')[0]!, 3).map((m) => m.fqme);
    return (
      `unknown symbol '${fqme}': bybit lists ${counts.spot} spot and ${counts.linear} linear markets, named like ` +
      `btcusdt.spot.bybit, btcusdt.linear.perp.bybit, btcusdt.linear.20250221.bybit` +
      (near.length > 0 ? `; did you mean ${near.join(', ')}?` : '')
    );
  }
}
