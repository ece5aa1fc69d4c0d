import type { Backoff } from '../net/venue-socket.js';

/**
 * The `[binance]` config section as the adapters use it. Base URLs are configurable (testnets, and local fake
 * servers in tests); paths are appended here. Missing keys fall back to Binance's production endpoints.
 */
export interface BinanceEndpoints {
  restUrl: string;
  futuresRestUrl: string;
  /** Spot combined-stream endpoint: `<ws_url>/stream`. */
  spotStreamUrl: string;
  /** USD-M combined streams, split by the documented routing (F1): trades and klines on /market. */
  futuresMarketUrl: string;
  /** USD-M book data (bookTicker, depth) on /public. */
  futuresPublicUrl: string;
  wsApiUrl: string;
  staleMs: number;
  backoff: Backoff;
}

const str = (v: unknown, dflt: string) => (typeof v === 'string' && v.length > 0 ? v : dflt);
const num = (v: unknown, dflt: number) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : dflt);

/** A base URL with any stream path a user pasted (`/ws`, `/stream`, `/market`, `/public`) taken off. */
export function wsBase(url: string): string {
  return url.replace(/\/+$/, '').replace(/\/(market|public|private)?\/?(ws|stream)?$/, '').replace(/\/(market|public)$/, '');
}

export function binanceEndpoints(section: Record<string, unknown>): BinanceEndpoints {
  const spotWs = wsBase(str(section.ws_url, 'wss://stream.binance.com:9443'));
  const futWs = wsBase(str(section.futures_ws_url, 'wss://fstream.binance.com'));
  return {
    restUrl: str(section.rest_url, 'https://api.binance.com').replace(/\/+$/, ''),
    futuresRestUrl: str(section.futures_rest_url, 'https://fapi.binance.com').replace(/\/+$/, ''),
    spotStreamUrl: `${spotWs}/stream`,
    futuresMarketUrl: `${futWs}/market/stream`,
    futuresPublicUrl: `${futWs}/public/stream`,
    wsApiUrl: str(section.ws_api_url, 'wss://ws-api.binance.com:443/ws-api/v3'),
    staleMs: num(section.stale_ms, 10_000),
    backoff: { minMs: num(section.reconnect_min_ms, 1_000), maxMs: num(section.reconnect_max_ms, 60_000) },
  };
}
