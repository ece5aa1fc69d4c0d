import { join } from 'node:path';
import { InstrumentCache } from '../net/instrument-cache.js';
import { pairsFromAssetPairs, type AssetPairInfo, type KrakenPair } from './symbols.js';

/**
 * Kraken's market table from `GET /0/public/AssetPairs`, cached at `<cacheDir>/instruments.json` through the
 * shared InstrumentCache (the raw result is stored, so a better mapping applies to an old cache). The cache
 * answers at once at start; a background refresh replaces it only when it succeeds.
 */
export interface InstrumentsOptions {
  cacheDir: string;
  fetchAssetPairs: () => Promise<unknown>;
  log: (line: string) => void;
}

type Table = Record<string, AssetPairInfo>;

export class KrakenInstruments {
  private readonly cache: InstrumentCache<Table>;
  private applied: Table | null = null;
  private byFqme = new Map<string, KrakenPair>();
  private bySymbol = new Map<string, KrakenPair>();

  constructor(private readonly o: InstrumentsOptions) {
    this.cache = new InstrumentCache<Table>({
      file: join(o.cacheDir, 'instruments.json'),
      fetch: async () => {
        const t = await o.fetchAssetPairs();
        if (!usable(t)) throw new Error('AssetPairs listed no usable pair');
        return t;
      },
      validate: (stored) => (usable(stored) ? stored : null),
      log: (line) => o.log(`kraken: ${line}`),
    });
    if (this.cache.loadFromDisk()) this.apply(this.cache.current!);
    this.refresh().catch(() => undefined);
  }

  /** Resolves once a table is known: the cache at once, else the first download (whose error it rejects with). */
  async ready(): Promise<void> {
    this.apply(await this.cache.ready());
  }

  async refresh(): Promise<void> {
    this.apply(await this.cache.refresh());
  }

  /** True once this session downloaded the table (false while it is the one read from disk). */
  get fresh(): boolean {
    return this.cache.fetchedAt > 0;
  }

  get(fqme: string): KrakenPair | undefined {
    return this.byFqme.get(fqme);
  }

  symbol(symbol: string): KrakenPair | undefined {
    return this.bySymbol.get(symbol);
  }

  all(): KrakenPair[] {
    return [...this.byFqme.values()];
  }

  private apply(t: Table): void {
    if (t === this.applied) return;
    const { pairs, skipped } = pairsFromAssetPairs(t);
    if (skipped.length) this.o.log(`kraken: skipped ${skipped.length} AssetPairs entries, e.g. ${skipped.slice(0, 3).join(' | ')}`);
    this.applied = t;
    this.byFqme = new Map(pairs.map((p) => [p.fqme, p]));
    this.bySymbol = new Map(pairs.map((p) => [p.symbol, p]));
  }
}

function usable(t: unknown): t is Table {
  return !!t && typeof t === 'object' && !Array.isArray(t) && pairsFromAssetPairs(t as Table).pairs.length > 0;
}
