/**
 * Bybit V5 naming. Spot and linear list the same symbols (BTCUSDT is both a spot pair and the USDT perpetual),
 * so every table here is keyed by category + symbol, never by symbol alone.
 */
export type Category = 'spot' | 'linear';
export const CATEGORIES: readonly Category[] = ['spot', 'linear'];
export const BROKER = 'bybit';

/** The key of a market in every per-market table (parser state, subscriptions, instruments). */
export function marketKey(category: Category, symbol: string): string {
  return `${category}:${symbol}`;
}

/** A venue symbol as Bybit prints it: uppercase letters and digits, dated futures add `-21FEB25`. */
const SYMBOL = /^[A-Z0-9][A-Z0-9_-]{0,39}$/;

export function isSymbol(s: unknown): s is string {
  return typeof s === 'string' && SYMBOL.test(s);
}

/**
 * The topics one market streams. Trades come from publicTrade on both. L1 on linear comes from tickers
 * (snapshot + delta, with bid1/ask1); spot tickers carry no bid/ask at all (exchange-protocols.md §Y3), so spot
 * L1 comes from orderbook.1, the level-1 book, which is snapshot-only.
 */
export function topicsFor(category: Category, symbol: string): string[] {
  return [`publicTrade.${symbol}`, category === 'spot' ? `orderbook.1.${symbol}` : `tickers.${symbol}`];
}

/** The symbol a topic is about (`publicTrade.BTCUSDT` -> BTCUSDT), or null for a topic we do not stream. */
export function topicSymbol(topic: string): string | null {
  for (const prefix of ['publicTrade.', 'tickers.', 'orderbook.1.']) {
    if (topic.startsWith(prefix)) {
      const s = topic.slice(prefix.length);
      return isSymbol(s) ? s : null;
    }
  }
  return null;
}
