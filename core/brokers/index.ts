import { NotFoundError, type BackendContext, type BackendEndpoints, type DataBackend } from './backend.js';
import { BinanceBackend } from './binance/index.js';
import { BybitBackend } from './bybit/backend.js';
import { KrakenBackend } from './kraken/backend.js';
import { SimBackend } from './sim/backend.js';

/** Backends this build knows, with the endpoint groups each declares (piker's `_eps`). */
export const BACKENDS: Record<string, BackendEndpoints> = {
  sim: { datad: true, brokerd: true },
  binance: { datad: true, brokerd: true },
  kraken: { datad: true, brokerd: true },
  // Public market data only: Bybit orders go to paper.
  bybit: { datad: true, brokerd: false },
};

export function knownBackends(): string[] {
  return Object.keys(BACKENDS);
}

export function createDataBackend(broker: string, ctx: BackendContext): DataBackend {
  if (broker === 'sim') return new SimBackend({ seed: ctx.seed, rate: ctx.rate });
  if (broker === 'binance') return new BinanceBackend(ctx);
  if (broker === 'kraken') return new KrakenBackend(ctx);
  if (broker === 'bybit') return new BybitBackend(ctx);
  throw new NotFoundError(`unknown backend '${broker}': this build has ${knownBackends().join(', ')}`);
}
