import { stringify } from 'smol-toml';
import { FakeBinance } from './binance-server.js';
import { FakeBybit } from './bybit-server.js';
import { FakeKraken } from './kraken-server.js';

export interface FakeVenues {
  binance: FakeBinance;
  kraken: FakeKraken;
  bybit: FakeBybit;
  /** config.toml sections pointing every venue at its fake (fast reconnects, as tests want them). */
  configToml(extra?: Record<string, Record<string, unknown>>): string;
  close(): Promise<void>;
}

const FAST = { reconnect_min_ms: 50, reconnect_max_ms: 500 };

/** Binance, Kraken and Bybit on loopback, each with an hour of history: what e2e and `npm run fakes` use. */
export async function startFakeVenues(o: { rate?: number; historyMinutes?: number } = {}): Promise<FakeVenues> {
  const historyMinutes = o.historyMinutes ?? 60;
  const rate = o.rate ?? 10;
  const [binance, kraken, bybit] = await Promise.all([
    FakeBinance.start({ rate, historyMs: historyMinutes * 60_000 }),
    FakeKraken.start({ rate, historyMinutes }),
    FakeBybit.start({ rate, historyMinutes }),
  ]);
  return {
    binance,
    kraken,
    bybit,
    configToml: (extra = {}) =>
      stringify({
        binance: { ...binance.config(), ...FAST, ...extra.binance },
        kraken: { rest_url: kraken.restUrl, ws_url: kraken.wsUrl, ws_auth_url: kraken.wsAuthUrl, ...FAST, ...extra.kraken },
        bybit: { rest_url: bybit.restUrl, ws_url: bybit.wsUrl, ...FAST, ...extra.bybit },
        ...Object.fromEntries(Object.entries(extra).filter(([k]) => !['binance', 'kraken', 'bybit'].includes(k))),
      }),
    close: async () => {
      await Promise.all([binance.close(), kraken.close(), bybit.close()]);
    },
  };
}
