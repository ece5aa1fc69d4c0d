import type { WebSocket } from 'ws';
import { FakeVenue, type HttpReply, type HttpRequest } from './fake-venue.js';
import { TradeTape, type TapeTrade } from './trade-tape.js';
import { failureAck, HEARTBEAT, pong, statusFrame, subscribeAck, tickerFrame, tradeFrame, type KrakenFrameTrade } from './kraken-frames.js';

/** The engine statuses Kraken documents for the `status` channel (K1). */
export type EngineStatus = 'online' | 'maintenance' | 'cancel_only' | 'post_only';

/**
 * A fake Kraken spot exchange on one FakeVenue: REST `/0/public/AssetPairs` and `/0/public/OHLC`, WS v2 at `/v2`
 * (status on connect, subscribe acks per symbol, trade and ticker snapshots and updates built like the documented
 * frames, heartbeats once a second when nothing else flowed, ping/pong). Each symbol prints a TradeTape, so REST
 * candles, the streams and a test's recomputation agree. The private side (`/0/private/*`, `/auth/v2`) is
 * attached by KrakenPrivate (kraken-private.ts) when a test trades.
 */
export interface FakePair {
  key: string;
  altname: string;
  wsname: string;
  symbol: string;
  base: string;
  quote: string;
  pairDecimals: number;
  lotDecimals: number;
  ordermin: string;
  costmin: string;
  tickSize: string;
  basePrice: number;
  meanSize: number;
}

export const FAKE_PAIRS: readonly FakePair[] = [
  { key: 'XXBTZUSD', altname: 'XBTUSD', wsname: 'XBT/USD', symbol: 'BTC/USD', base: 'XXBT', quote: 'ZUSD', pairDecimals: 1, lotDecimals: 8, ordermin: '0.0001', costmin: '0.5', tickSize: '0.1', basePrice: 50_000, meanSize: 0.05 },
  { key: 'XETHZUSD', altname: 'ETHUSD', wsname: 'ETH/USD', symbol: 'ETH/USD', base: 'XETH', quote: 'ZUSD', pairDecimals: 2, lotDecimals: 8, ordermin: '0.002', costmin: '0.5', tickSize: '0.01', basePrice: 3_000, meanSize: 0.8 },
];

/** The AssetPairs entry of a fake pair, shaped like the documented XXBTZUSD example. */
function assetPair(p: FakePair): Record<string, unknown> {
  return {
    altname: p.altname, wsname: p.wsname, aclass_base: 'currency', base: p.base, aclass_quote: 'currency', quote: p.quote,
    lot: 'unit', cost_decimals: 5, pair_decimals: p.pairDecimals, lot_decimals: p.lotDecimals, lot_multiplier: 1,
    leverage_buy: [2, 3], leverage_sell: [2, 3], fees: [[0, 0.26], [50000, 0.24]], fees_maker: [[0, 0.16], [50000, 0.14]],
    fee_volume_currency: 'ZUSD', margin_call: 80, margin_stop: 40, ordermin: p.ordermin, costmin: p.costmin,
    tick_size: p.tickSize, status: 'online', long_position_limit: 250, short_position_limit: 200,
  };
}

export interface FakeKrakenOptions {
  rate?: number;
  seed?: number;
  /** Publishing period (ms). */
  publishMs?: number;
  /** Minutes of tape printed before start (history). */
  historyMinutes?: number;
}

interface Client {
  ws: WebSocket;
  trade: Set<string>;
  ticker: Set<string>;
  lastSentAt: number;
  lastQuote: Map<string, string>;
}

function quoteKeyOf(tape: TradeTape): string {
  const q = tape.quote!;
  return `${q.bid}/${q.bidSize}/${q.ask}/${q.askSize}`;
}

export type PrivateRoutes = {
  http(req: HttpRequest): HttpReply | undefined;
  ws(socket: WebSocket): void;
  close?(): void;
};

export class FakeKraken {
  readonly tapes = new Map<string, TradeTape>();
  readonly pairs = new Map<string, FakePair>();
  readonly clients = new Set<Client>();
  readonly received: unknown[] = [];
  pings = 0;
  private timer: NodeJS.Timeout | null = null;
  /** Trade listeners (the private matching engine fills resting orders against the tape). */
  readonly onTrades: ((pair: FakePair, trades: TapeTrade[]) => void)[] = [];
  private priv: PrivateRoutes | null = null;
  private readonly stalled: { c: Client; text: string }[] = [];
  private paused = false;
  /** What the matching engine takes: sent on every connect and to every connection when it changes. */
  engineStatus: EngineStatus = 'online';

  private constructor(
    readonly venue: FakeVenue,
    o: FakeKrakenOptions,
  ) {
    const start = Date.now() - (o.historyMinutes ?? 20) * 60_000;
    for (const p of FAKE_PAIRS) {
      const tape = new TradeTape(
        { symbol: p.symbol, base: p.basePrice, priceTick: p.tickSize, sizeTick: `0.${'0'.repeat(p.lotDecimals - 1)}1`, meanSize: p.meanSize },
        { seed: o.seed ?? 7, rate: o.rate ?? 20, startMs: start, firstId: 4_665_000 },
      );
      tape.advance(Date.now());
      this.tapes.set(p.symbol, tape);
      this.pairs.set(p.symbol, p);
    }
    this.timer = setInterval(() => this.publish(), o.publishMs ?? 25);
  }

  static async start(o: FakeKrakenOptions = {}): Promise<FakeKraken> {
    let fake: FakeKraken | null = null;
    const venue = await FakeVenue.start({
      http: (req) => fake!.http(req),
      ws: (socket, path) => fake!.onSocket(socket, path),
    });
    fake = new FakeKraken(venue, o);
    return fake;
  }

  get restUrl(): string {
    return this.venue.httpUrl;
  }
  get wsUrl(): string {
    return `${this.venue.wsUrl}/v2`;
  }
  get wsAuthUrl(): string {
    return `${this.venue.wsUrl}/auth/v2`;
  }

  attachPrivate(routes: PrivateRoutes): void {
    this.priv = routes;
  }

  tape(symbol = 'BTC/USD'): TradeTape {
    return this.tapes.get(symbol)!;
  }

  /** A tape trade as the venue prints it. */
  frameTrade(symbol: string, t: TapeTrade): KrakenFrameTrade {
    const tape = this.tape(symbol);
    const p = this.pairs.get(symbol)!;
    return { id: t.id, price: tape.fmt(t.price), qty: t.size.toFixed(p.lotDecimals), time: t.time, side: t.buy ? 'buy' : 'sell' };
  }

  /**
   * The engine changes status (K1): every public connection hears the status frame now, as later connections do on
   * connect, and the private side's add_order / amend_order answer by it (kraken-private.ts).
   */
  setEngineStatus(status: EngineStatus): void {
    this.engineStatus = status;
    for (const c of this.clients) this.send(c, statusFrame(status));
  }

  /** Stops printing trades (a test then knows everything printed has been published). */
  pause(paused = true): void {
    this.paused = paused;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.priv?.close?.();
    await this.venue.close();
  }

  private http(req: HttpRequest): HttpReply | undefined {
    if (req.path === '/0/public/AssetPairs') {
      const wanted = req.query.get('pair')?.split(',');
      const result: Record<string, unknown> = {};
      for (const p of FAKE_PAIRS) if (!wanted || wanted.includes(p.altname) || wanted.includes(p.key)) result[p.key] = assetPair(p);
      return { body: { error: [], result } };
    }
    if (req.path === '/0/public/OHLC') return this.ohlc(req.query);
    if (req.path.startsWith('/0/private/')) return this.priv?.http(req) ?? { body: { error: ['EGeneral:Permission denied'] } };
    return undefined;
  }

  /** The newest 720 candles (the last one still open), rows after `since`, and `last` = the newest committed. */
  private ohlc(q: URLSearchParams): HttpReply {
    const name = q.get('pair') ?? '';
    const p = FAKE_PAIRS.find((x) => x.altname === name || x.key === name);
    if (!p) return { body: { error: ['EQuery:Unknown asset pair'] } };
    const interval = Number(q.get('interval') ?? '1') * 60;
    if (!Number.isInteger(interval) || interval <= 0) return { body: { error: ['EGeneral:Invalid arguments'] } };
    // Publish first: trades the candles include must also have gone out on the streams.
    this.publish();
    const tape = this.tape(p.symbol);
    const now = Math.floor(Date.now() / 1000 / interval) * interval;
    const since = Number(q.get('since') ?? '0');
    const rows = tape
      .bars(interval, now - 719 * interval, now + interval)
      .filter((b) => b.time > since)
      .map((b) => [b.time, tape.fmt(b.open), tape.fmt(b.high), tape.fmt(b.low), tape.fmt(b.close), tape.fmt(b.close), b.volume.toFixed(p.lotDecimals), b.trades]);
    return { body: { error: [], result: { [p.key]: rows, last: now - interval } } };
  }

  private onSocket(ws: WebSocket, path: string): void {
    if (path === '/auth/v2') {
      if (this.priv) this.priv.ws(ws);
      else ws.close(1008, 'no private side');
      return;
    }
    if (path !== '/v2') {
      ws.close(1008, 'unknown path');
      return;
    }
    const c: Client = { ws, trade: new Set(), ticker: new Set(), lastSentAt: Date.now(), lastQuote: new Map() };
    this.clients.add(c);
    ws.on('close', () => this.clients.delete(c));
    ws.on('message', (data) => {
      // A silence stalls the network both ways: requests wait for it to end, like the venue's answers.
      if (this.venue.silent) this.stalled.push({ c, text: data.toString() });
      else this.onMessage(c, data.toString());
    });
    this.send(c, statusFrame(this.engineStatus));
  }

  private send(c: Client, frame: string): void {
    this.venue.send(c.ws, frame);
    c.lastSentAt = Date.now();
  }

  private onMessage(c: Client, text: string): void {
    let m: { method?: unknown; params?: { channel?: unknown; symbol?: unknown; snapshot?: unknown }; req_id?: unknown };
    try {
      m = JSON.parse(text) as typeof m;
    } catch {
      return this.send(c, failureAck('unknown', 'EGeneral:Invalid arguments', undefined));
    }
    this.received.push(m);
    if (m.method === 'ping') {
      this.pings++;
      return this.send(c, pong(m.req_id));
    }
    if (m.method !== 'subscribe' && m.method !== 'unsubscribe') return this.send(c, failureAck(String(m.method), 'EGeneral:Invalid arguments', m.req_id));
    const channel = m.params?.channel;
    const symbols = m.params?.symbol;
    if ((channel !== 'trade' && channel !== 'ticker') || !Array.isArray(symbols)) {
      return this.send(c, failureAck(m.method, 'EGeneral:Invalid arguments', m.req_id));
    }
    for (const s of symbols as unknown[]) {
      const symbol = String(s);
      if (!this.pairs.has(symbol)) {
        this.send(c, failureAck(m.method, `Currency pair not supported ${symbol}`, m.req_id, { symbol }));
        continue;
      }
      const set = channel === 'trade' ? c.trade : c.ticker;
      if (m.method === 'unsubscribe') {
        set.delete(symbol);
        this.send(c, subscribeAck('unsubscribe', { channel, symbol }, m.req_id));
        continue;
      }
      // Snapshots: trade defaults to off, ticker to on (K2, K3).
      const snapshot = m.params?.snapshot ?? channel === 'ticker';
      set.add(symbol);
      this.send(c, subscribeAck('subscribe', { channel, snapshot, symbol }, m.req_id));
      if (snapshot !== true) continue;
      const tape = this.tape(symbol);
      if (channel === 'trade') this.send(c, tradeFrame('snapshot', symbol, tape.trades.slice(-50).map((t) => this.frameTrade(symbol, t))));
      else if (tape.quote) {
        c.lastQuote.set(symbol, quoteKeyOf(tape));
        this.send(c, this.ticker('snapshot', symbol));
      }
    }
  }

  private ticker(type: 'snapshot' | 'update', symbol: string): string {
    const tape = this.tape(symbol);
    const q = tape.quote!;
    const lot = this.pairs.get(symbol)!.lotDecimals;
    const last = tape.trades.at(-1);
    return tickerFrame(type, symbol, { bid: tape.fmt(q.bid), bidQty: q.bidSize.toFixed(lot), ask: tape.fmt(q.ask), askQty: q.askSize.toFixed(lot), time: q.time }, tape.fmt(last?.price ?? q.bid));
  }

  /** Advances every tape to now and publishes what printed; heartbeats idle subscribed connections. */
  publish(): void {
    if (this.paused) return;
    if (!this.venue.silent) for (const m of this.stalled.splice(0)) if (this.clients.has(m.c)) this.onMessage(m.c, m.text);
    const now = Date.now();
    for (const [symbol, tape] of this.tapes) {
      const fresh = tape.advance(now);
      const pair = this.pairs.get(symbol)!;
      if (fresh.length) for (const l of this.onTrades) l(pair, fresh);
      const frame = fresh.length ? tradeFrame('update', symbol, fresh.map((t) => this.frameTrade(symbol, t))) : null;
      const q = tape.quote ? this.ticker('update', symbol) : null;
      const quoteKey = q && quoteKeyOf(tape);
      for (const c of this.clients) {
        if (frame && c.trade.has(symbol)) this.send(c, frame);
        // event_trigger bbo: a client hears the quote when it differs from the one it last got.
        if (quoteKey && c.ticker.has(symbol) && c.lastQuote.get(symbol) !== quoteKey) {
          c.lastQuote.set(symbol, quoteKey);
          this.send(c, q!);
        }
      }
    }
    for (const c of this.clients) {
      if ((c.trade.size || c.ticker.size) && now - c.lastSentAt >= 1_000) this.send(c, HEARTBEAT);
    }
  }
}
