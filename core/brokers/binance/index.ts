import type { MktPair } from '../../protocol/types.js';
import { BinanceDialog } from './dialog.js';
import { binanceEndpoints } from './endpoints.js';

/** The Binance backend: datad (spot + USD-M market data) and brokerd (spot trading). */
export { BinanceBackend, type BinanceBackendOptions } from './backend.js';
export { BinanceDialog, type BinanceDialogOptions } from './dialog.js';

/**
 * brokerd.binance's dialog from the `[binance]` config section (with its api_key / api_secret), or null when either
 * credential is empty: then Binance has no live trading here and orders go to paper.
 */
export function createBinanceDialog(section: Record<string, unknown>, market: (fqme: string) => MktPair | undefined, log: (line: string) => void): BinanceDialog | null {
  const apiKey = typeof section.api_key === 'string' ? section.api_key.trim() : '';
  const apiSecret = typeof section.api_secret === 'string' ? section.api_secret.trim() : '';
  if (!apiKey || !apiSecret) return null;
  const ep = binanceEndpoints(section);
  return new BinanceDialog({ restUrl: ep.restUrl, wsApiUrl: ep.wsApiUrl, apiKey, apiSecret, market, log, staleMs: ep.staleMs, backoff: ep.backoff });
}
