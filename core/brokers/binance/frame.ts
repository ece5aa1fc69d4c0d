/** What the Binance stream parser reads a frame into (wire.ts, templates.ts). */
export const F_REJECT = 0;
export const F_TRADE = 1;
export const F_QUOTE = 2;
/** `{"result":…,"id":…}`: a SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS answer. */
export const F_ACK = 3;
/** `{"code":…,"msg":…,"id":…}`: a control request the venue refused. */
export const F_ERROR = 4;
/** `serverShutdown`: the venue will close this connection soon. */
export const F_SHUTDOWN = 5;
export type FrameKind = typeof F_REJECT | typeof F_TRADE | typeof F_QUOTE | typeof F_ACK | typeof F_ERROR | typeof F_SHUTDOWN;

/** What the last parsed frame said. One instance is reused for every frame of a connection. */
export class WireFrame {
  kind: FrameKind = F_REJECT;
  /** Venue symbol, upper case (`BTCUSDT`). */
  symbol = '';
  /** Trade id (`t`, or `a` for aggTrade) or the book update id (`u`) of a quote. */
  id = 0;
  price = 0;
  size = 0;
  /** Trade time, or the quote's event time; 0 when the frame has none (spot bookTicker). */
  time = 0;
  buyerMaker = false;
  bid = 0;
  bidSize = 0;
  ask = 0;
  askSize = 0;
  reqId: string | number | null = null;
  code = 0;
  /** The venue's error message, or why the frame was rejected. */
  msg = '';
}
