/**
 * Kraken WS v2 frames built exactly like the documented samples (exchange-protocols.md K1-K3, K7): prices and
 * quantities are bare JSON numbers written at the engine's precision, trailing zeros included ("qty":40.00000000),
 * timestamps RFC 3339 with microseconds. Used by the fake server, the parser tests and the ingest bench.
 */
export interface KrakenFrameTrade {
  id: number;
  /** Exact decimals at the pair's precision: written into the frame as bare numbers. */
  price: string;
  qty: string;
  time: number;
  side: 'buy' | 'sell';
  ordType?: 'limit' | 'market';
}

export interface KrakenFrameQuote {
  bid: string;
  bidQty: string;
  ask: string;
  askQty: string;
  time: number;
}

/** RFC 3339 with 6 fraction digits, as v2 prints trade times. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '000Z');
}

export function tradeFrame(type: 'snapshot' | 'update', symbol: string, trades: readonly KrakenFrameTrade[]): string {
  const data = trades.map(
    (t) =>
      `{"symbol":"${symbol}","side":"${t.side}","price":${t.price},"qty":${t.qty},"ord_type":"${t.ordType ?? 'limit'}",` +
      `"trade_id":${t.id},"timestamp":"${rfc3339(t.time)}"}`,
  );
  return `{"channel":"trade","type":"${type}","data":[${data.join(',')}]}`;
}

/** `ticker` (K3) with the documented field set; the day statistics are filler the parser ignores. */
export function tickerFrame(type: 'snapshot' | 'update', symbol: string, q: KrakenFrameQuote, last: string): string {
  return (
    `{"channel":"ticker","type":"${type}","data":[{"symbol":"${symbol}","bid":${q.bid},"bid_qty":${q.bidQty},` +
    `"ask":${q.ask},"ask_qty":${q.askQty},"last":${last},"volume":997038.98383185,"vwap":${last},"low":${q.bid},` +
    `"high":${q.ask},"change":-0.00017,"change_pct":-0.17,"timestamp":"${rfc3339(q.time)}"}]}`
  );
}

export const HEARTBEAT = '{"channel":"heartbeat"}';

/** The status frame (K1), sent on connect and at each change of `system`: its connection_id is above 2^53, as documented. */
export function statusFrame(system: string): string {
  return `{"channel":"status","data":[{"api_version":"v2","connection_id":13834774380200032777,"system":${JSON.stringify(system)},"version":"2.0.0"}],"type":"update"}`;
}

function times(inMs: number): string {
  return `"time_in":"${rfc3339(inMs)}","time_out":"${rfc3339(inMs + 1)}"`;
}

function reqId(id: unknown): string {
  return typeof id === 'number' ? `,"req_id":${id}` : '';
}

export function subscribeAck(method: string, result: Record<string, unknown>, id: unknown, now = Date.now()): string {
  return `{"method":"${method}","result":${JSON.stringify(result)},"success":true,${times(now)}${reqId(id)}}`;
}

/** A refused request: v2 puts the reason in `error` and `success:false` (the wrong-name error is documented). */
export function failureAck(method: string, error: string, id: unknown, extra: Record<string, unknown> = {}, now = Date.now()): string {
  const more = Object.entries(extra)
    .map(([k, v]) => `,"${k}":${JSON.stringify(v)}`)
    .join('');
  return `{"error":${JSON.stringify(error)},"method":"${method}"${reqId(id)},"success":false${more},${times(now)}}`;
}

export function pong(id: unknown, now = Date.now()): string {
  return `{"method":"pong"${reqId(id)},${times(now)}}`;
}
