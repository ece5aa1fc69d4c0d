/**
 * Binance market-stream frames built exactly like the documented samples (exchange-protocols.md B1, F1), for the
 * fake server, the parser tests and the ingest benchmarks. Combined-stream frames wrap the event as
 * `{"stream":"<name>","data":<event>}`.
 */
export interface FrameTrade {
  id: number;
  price: string;
  size: string;
  time: number;
  /** The buyer was the maker (the taker sold): Binance's `m`. */
  buyerMaker: boolean;
}

export interface FrameQuote {
  updateId: number;
  bid: string;
  bidSize: string;
  ask: string;
  askSize: string;
  time: number;
}

export const combined = (stream: string, event: string): string => `{"stream":"${stream}","data":${event}}`;

/** Spot `<symbol>@trade` event (B1), in the documented field order. */
export function tradeEvent(symbol: string, t: FrameTrade): string {
  return (
    `{"e":"trade","E":${t.time + 1},"s":"${symbol}","t":${t.id},"p":"${t.price}","q":"${t.size}",` +
    `"T":${t.time},"m":${t.buyerMaker},"M":true}`
  );
}

export const spotTradeFrame = (symbol: string, t: FrameTrade): string => combined(`${symbol.toLowerCase()}@trade`, tradeEvent(symbol, t));

/** USD-M `<symbol>@aggTrade` (F1) as the SDK fixture prints it (with `nq` and `st`), one trade per aggregate. */
export function futuresAggTradeFrame(symbol: string, t: FrameTrade): string {
  const event =
    `{"e":"aggTrade","E":${t.time + 1},"s":"${symbol}","a":${t.id},"p":"${t.price}","q":"${t.size}","nq":"${t.size}",` +
    `"f":${t.id},"l":${t.id},"T":${t.time},"m":${t.buyerMaker},"st":1}`;
  return combined(`${symbol.toLowerCase()}@aggTrade`, event);
}

/** Spot `<symbol>@bookTicker` (B1): no event type, no time. */
export function spotBookTickerFrame(symbol: string, q: FrameQuote): string {
  const event = `{"u":${q.updateId},"s":"${symbol}","b":"${q.bid}","B":"${q.bidSize}","a":"${q.ask}","A":"${q.askSize}"}`;
  return combined(`${symbol.toLowerCase()}@bookTicker`, event);
}

/** USD-M `<symbol>@bookTicker` (F1): with event type, update id, event and transaction times. */
export function futuresBookTickerFrame(symbol: string, q: FrameQuote): string {
  const event =
    `{"e":"bookTicker","u":${q.updateId},"E":${q.time + 1},"T":${q.time},"s":"${symbol}",` +
    `"b":"${q.bid}","B":"${q.bidSize}","a":"${q.ask}","A":"${q.askSize}"}`;
  return combined(`${symbol.toLowerCase()}@bookTicker`, event);
}
