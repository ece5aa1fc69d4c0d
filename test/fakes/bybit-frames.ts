import { DOC_TICKER_LINEAR } from '../../core/brokers/bybit/doc-frames.test-util.js';

/**
 * Bybit V5 public frames built like the documented samples (exchange-protocols.md §Y1-Y4, the same field order):
 * decimals as strings at the instrument's precision, times in ms. Spot trade ids are long digit strings, linear
 * ids UUIDs; spot trades carry no tick direction `L`. Used by the fake server and the ingest bench.
 */
export type FrameCategory = 'spot' | 'linear';

export interface FrameTrade {
  /** The tape's integer id; the frame carries the category's id format. */
  id: number;
  price: string;
  size: string;
  time: number;
  buy: boolean;
}

export interface FrameQuote {
  bid: string;
  bidSize: string;
  ask: string;
  askSize: string;
}

/** The id Bybit would print for a tape id: 19 digits on spot, a UUID on linear (unique and stable per id). */
export function tradeId(category: FrameCategory, id: number): string {
  if (category === 'spot') return String(2290000000000000000n + BigInt(id));
  const hex = id.toString(16).padStart(20, '0');
  return `${hex.slice(0, 8)}-d8dd-5b31-${hex.slice(8, 12)}-${hex.slice(12)}`.padEnd(36, '0');
}

export function tradeFrame(category: FrameCategory, symbol: string, trades: readonly FrameTrade[], ts: number, seq: number): string {
  const data = trades.map((t) => ({
    T: t.time,
    s: symbol,
    S: t.buy ? 'Buy' : 'Sell',
    v: t.size,
    p: t.price,
    ...(category === 'linear' ? { L: t.buy ? 'PlusTick' : 'MinusTick' } : {}),
    i: tradeId(category, t.id),
    BT: false,
    seq,
  }));
  return JSON.stringify({ topic: `publicTrade.${symbol}`, type: 'snapshot', ts, data });
}

/** A linear tickers snapshot: the documented sample with our symbol, last price and L1. */
export function tickerSnapshot(symbol: string, q: FrameQuote, last: string, ts: number, cs: number): string {
  const doc = JSON.parse(DOC_TICKER_LINEAR) as { data: Record<string, string> };
  const prices = Object.fromEntries(['lastPrice', 'prevPrice24h', 'highPrice24h', 'lowPrice24h', 'prevPrice1h', 'markPrice', 'indexPrice'].map((k) => [k, last]));
  const data = { ...doc.data, symbol, ...prices, bid1Price: q.bid, bid1Size: q.bidSize, ask1Price: q.ask, ask1Size: q.askSize };
  return JSON.stringify({ topic: `tickers.${symbol}`, type: 'snapshot', data, cs, ts });
}

/** A linear tickers delta: only the fields that changed since the last frame to this client. */
export function tickerDelta(symbol: string, prev: FrameQuote, q: FrameQuote, extra: Record<string, string>, ts: number, cs: number): string {
  const data: Record<string, string> = { symbol, ...extra };
  if (q.bid !== prev.bid) data.bid1Price = q.bid;
  if (q.bidSize !== prev.bidSize) data.bid1Size = q.bidSize;
  if (q.ask !== prev.ask) data.ask1Price = q.ask;
  if (q.askSize !== prev.askSize) data.ask1Size = q.askSize;
  return JSON.stringify({ topic: `tickers.${symbol}`, type: 'delta', data, cs, ts });
}

/** The level-1 book (spot L1): snapshot-only, `ts` before `type` as on spot. */
export function book1Frame(symbol: string, q: FrameQuote, ts: number, u: number): string {
  return JSON.stringify({ topic: `orderbook.1.${symbol}`, ts, type: 'snapshot', data: { s: symbol, b: [[q.bid, q.bidSize]], a: [[q.ask, q.askSize]], u, seq: u * 7 }, cts: ts - 2 });
}

/** A subscribe/unsubscribe ack: spot says `ret_msg: "subscribe"`, linear leaves it empty. */
export function ack(category: FrameCategory, op: string, reqId: string, connId: string, success = true, message?: string): string {
  const retMsg = message ?? (category === 'spot' ? op : '');
  return JSON.stringify({ success, ret_msg: retMsg, conn_id: connId, req_id: reqId, op });
}

/** The pong: spot has no req_id unless one was sent; linear always has one. */
export function pong(category: FrameCategory, reqId: string | undefined, connId: string): string {
  const withId = category === 'linear' || reqId !== undefined;
  return JSON.stringify({ success: true, ret_msg: 'pong', conn_id: connId, ...(withId ? { req_id: reqId ?? '' } : {}), op: 'ping' });
}
