import { randomUUID } from 'node:crypto';
import { WebSocket } from 'ws';
import { FakeVenue, type HttpReply, type HttpRequest } from './fake-venue.js';
import { TradeTape, type TapeQuote, type TapeTrade } from './trade-tape.js';
import { ack, book1Frame, pong, tickerDelta, tickerSnapshot, tradeFrame, type FrameCategory, type FrameQuote } from './bybit-frames.js';

/**
 * A fake Bybit V5 public venue on one FakeVenue: REST `/v5/market/kline` (1 m only, newest first, start/end/limit)
 * and `/v5/market/instruments-info` (linear paged by cursor), WS at `<path>/spot` and `<path>/linear` with
 * subscribe/unsubscribe acks (spot refuses more than 10 args per request; unknown topics fail like Bybit),
 * ping/pong, publicTrade arrays, linear tickers snapshot + deltas and the spot level-1 book. Each (category,
 * symbol) prints its own TradeTape, so REST candles, streams and a test's recomputation agree.
 */
export interface FakeBybitSymbol {
  symbol: string;
  base: number;
  spot: { tickSize: string; basePrecision: string };
  linear: { tickSize: string; qtyStep: string };
  meanSize: number;
}

export const FAKE_BYBIT_SYMBOLS: readonly FakeBybitSymbol[] = [
  { symbol: 'BTCUSDT', base: 30_000, spot: { tickSize: '0.1', basePrecision: '0.000001' }, linear: { tickSize: '0.10', qtyStep: '0.001' }, meanSize: 0.05 },
  { symbol: 'ETHUSDT', base: 2_000, spot: { tickSize: '0.01', basePrecision: '0.00001' }, linear: { tickSize: '0.01', qtyStep: '0.01' }, meanSize: 0.8 },
];

export interface FakeBybitOptions {
  rate?: number;
  seed?: number;
  publishMs?: number;
  /** Minutes of tape printed before start (REST history). */
  historyMinutes?: number;
  /** Linear instruments per page (Bybit: 500 by default, `limit` up to 1000). */
  linearPageSize?: number;
  /** Symbols listed by instruments-info whose WS topics Bybit refuses ("handler not found"). */
  refused?: string[];
  /** The markets (default FAKE_BYBIT_SYMBOLS), listed on both spot and linear. */
  symbols?: readonly FakeBybitSymbol[];
}

interface Client {
  ws: WebSocket;
  category: FrameCategory;
  connId: string;
  topics: Set<string>;
  /** The quote each quote topic last sent this client (deltas are relative to it). */
  quotes: Map<string, FrameQuote>;
}

const key = (c: FrameCategory, symbol: string) => `${c}:${symbol}`;
const decimalsOf = (tick: string) => (tick.split('.')[1] ?? '').length;

export class FakeBybit {
  readonly tapes = new Map<string, TradeTape>();
  /** Trades sent to at least one subscribed client, per `category:symbol`. */
  readonly published = new Map<string, TapeTrade[]>();
  /** The last trade frame of each market (for resend faults). */
  readonly lastTradeFrame = new Map<string, string>();
  readonly clients = new Set<Client>();
  /** Client requests as received: `{category, msg}`. */
  readonly received: { category: FrameCategory; msg: Record<string, unknown> }[] = [];
  private timer: NodeJS.Timeout | null = null;
  private seq = 1;

  private constructor(
    readonly venue: FakeVenue,
    private readonly o: FakeBybitOptions,
  ) {}

  static async start(o: FakeBybitOptions = {}): Promise<FakeBybit> {
    let fake: FakeBybit;
    const venue = await FakeVenue.start({ http: (req) => fake.http(req), ws: (ws, path) => fake.connect(ws, path) });
    fake = new FakeBybit(venue, o);
    const from = Date.now() - (o.historyMinutes ?? 30) * 60_000;
    for (const s of fake.symbols) {
      for (const category of ['spot', 'linear'] as const) {
        const priceTick = category === 'spot' ? s.spot.tickSize : s.linear.tickSize;
        const sizeTick = category === 'spot' ? s.spot.basePrecision : s.linear.qtyStep;
        const seed = (o.seed ?? 7) + (category === 'linear' ? 100 : 0) + s.base;
        const tape = new TradeTape({ symbol: s.symbol, base: s.base, priceTick, sizeTick, meanSize: s.meanSize }, { seed, rate: o.rate ?? 20, startMs: from });
        tape.backfillFrom(from);
        fake.tapes.set(key(category, s.symbol), tape);
        fake.published.set(key(category, s.symbol), []);
      }
    }
    fake.timer = setInterval(() => fake.pump(), o.publishMs ?? 25);
    return fake;
  }

  get symbols(): readonly FakeBybitSymbol[] {
    return this.o.symbols ?? FAKE_BYBIT_SYMBOLS;
  }

  /** Stops publishing (tests compare what arrived with what was sent once nothing is in flight). */
  pause(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  get restUrl(): string {
    return this.venue.httpUrl;
  }
  /** What `[bybit] ws_url` points at; the client appends /spot or /linear. */
  get wsUrl(): string {
    return `${this.venue.wsUrl}/v5/public`;
  }

  tape(category: FrameCategory, symbol: string): TradeTape {
    return this.tapes.get(key(category, symbol))!;
  }

  /** Rate limits on the next `count` kline requests: retCode 10006 with HTTP 200, or HTTP 403 "access too frequent". */
  rateLimitKlines(count: number, how: 'retCode' | 'http403'): void {
    const reply: HttpReply =
      how === 'retCode'
        ? { body: { retCode: 10006, retMsg: 'Too many visits!', result: {}, retExtInfo: {}, time: Date.now() } }
        : { status: 403, body: 'access too frequent' };
    this.venue.failHttp({ path: '/v5/market/kline', count, reply });
  }

  /** A raw frame to every client of a category (malformed, truncated, duplicate). */
  sendRaw(category: FrameCategory, frame: string): void {
    for (const c of this.clients) if (c.category === category && c.ws.readyState === WebSocket.OPEN) c.ws.send(frame);
  }

  /** Publishes everything the tapes printed up to now (also run before REST answers, so both see the same tape). */
  pump(): void {
    const now = Date.now();
    for (const [k, tape] of this.tapes) {
      const [category, symbol] = k.split(':') as [FrameCategory, string];
      const trades = tape.advance(now);
      if (trades.length > 0) this.publishTrades(category, symbol, tape, trades, now);
      if (tape.quote) this.publishQuote(category, symbol, tape, tape.quote, now);
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.venue.close();
  }

  private subscribers(category: FrameCategory, topic: string): Client[] {
    return [...this.clients].filter((c) => c.category === category && c.topics.has(topic) && c.ws.readyState === WebSocket.OPEN);
  }

  private publishTrades(category: FrameCategory, symbol: string, tape: TradeTape, trades: TapeTrade[], now: number): void {
    const sizeDec = decimalsOf(tape.sym.sizeTick);
    const frames: string[] = [];
    // Up to 1024 trades per message.
    for (let i = 0; i < trades.length; i += 1024) {
      const part = trades.slice(i, i + 1024).map((t) => ({ id: t.id, price: tape.fmt(t.price), size: t.size.toFixed(sizeDec), time: t.time, buy: t.buy }));
      frames.push(tradeFrame(category, symbol, part, now, this.seq++));
    }
    this.lastTradeFrame.set(key(category, symbol), frames[frames.length - 1]!);
    const to = this.subscribers(category, `publicTrade.${symbol}`);
    if (to.length === 0 || this.venue.silent) return;
    for (const c of to) for (const f of frames) this.venue.send(c.ws, f);
    this.published.get(key(category, symbol))!.push(...trades);
  }

  private frameQuote(tape: TradeTape, q: TapeQuote): FrameQuote {
    const d = decimalsOf(tape.sym.sizeTick);
    return { bid: tape.fmt(q.bid), bidSize: q.bidSize.toFixed(d), ask: tape.fmt(q.ask), askSize: q.askSize.toFixed(d) };
  }

  /** Sends each quote subscriber what changed: linear a tickers snapshot first, then deltas; spot the level-1 book. */
  private publishQuote(category: FrameCategory, symbol: string, tape: TradeTape, q: TapeQuote, now: number, only?: Client): void {
    const topic = category === 'spot' ? `orderbook.1.${symbol}` : `tickers.${symbol}`;
    const fq = this.frameQuote(tape, q);
    if (this.venue.silent) return;
    for (const c of only ? [only] : this.subscribers(category, topic)) {
      const prev = c.quotes.get(topic);
      if (prev && prev.bid === fq.bid && prev.bidSize === fq.bidSize && prev.ask === fq.ask && prev.askSize === fq.askSize) continue;
      const last = tape.trades.length > 0 ? tape.fmt(tape.trades[tape.trades.length - 1]!.price) : fq.bid;
      const frame =
        category === 'spot'
          ? book1Frame(symbol, fq, now, this.seq++)
          : prev
            ? tickerDelta(symbol, prev, fq, { lastPrice: last }, now, this.seq++)
            : tickerSnapshot(symbol, fq, last, now, this.seq++);
      this.venue.send(c.ws, frame);
      c.quotes.set(topic, fq);
    }
  }

  private connect(ws: WebSocket, path: string): void {
    const category: FrameCategory | null = path.endsWith('/spot') ? 'spot' : path.endsWith('/linear') ? 'linear' : null;
    if (!category) {
      ws.close(1008, `no stream at ${path}`);
      return;
    }
    const c: Client = { ws, category, connId: randomUUID(), topics: new Set(), quotes: new Map() };
    this.clients.add(c);
    ws.on('close', () => this.clients.delete(c));
    ws.on('message', (data) => this.onMessage(c, String(data)));
  }

  private onMessage(c: Client, text: string): void {
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    this.received.push({ category: c.category, msg });
    const reqId = typeof msg.req_id === 'string' ? msg.req_id : undefined;
    if (msg.op === 'ping') return this.venue.send(c.ws, pong(c.category, reqId, c.connId));
    if (msg.op !== 'subscribe' && msg.op !== 'unsubscribe') return;
    const args = Array.isArray(msg.args) ? (msg.args as unknown[]).map(String) : [];
    if (c.category === 'spot' && args.length > 10) {
      return this.venue.send(c.ws, ack(c.category, msg.op, reqId ?? '', c.connId, false, `args size >10`));
    }
    const bad = args.filter((a) => !this.knownTopic(c.category, a));
    const good = args.filter((a) => !bad.includes(a));
    for (const a of good) {
      if (msg.op === 'subscribe') c.topics.add(a);
      else c.topics.delete(a);
      c.quotes.delete(a);
    }
    const failure = bad.length > 0 ? `error:handler not found,topic:${bad[0]}` : undefined;
    this.venue.send(c.ws, ack(c.category, msg.op, reqId ?? '', c.connId, !failure, failure));
    // A quote subscription starts with a snapshot.
    if (msg.op === 'subscribe') {
      for (const a of good) {
        const symbol = a.slice(a.lastIndexOf('.') + 1);
        const tape = this.tapes.get(key(c.category, symbol))!;
        if (!a.startsWith('publicTrade.') && tape.quote) this.publishQuote(c.category, symbol, tape, tape.quote, Date.now(), c);
      }
    }
  }

  private knownTopic(category: FrameCategory, topic: string): boolean {
    const symbol = topic.slice(topic.lastIndexOf('.') + 1);
    const channel = topic.slice(0, topic.lastIndexOf('.') + 1);
    if (!this.tapes.has(key(category, symbol)) || this.o.refused?.includes(symbol)) return false;
    return channel === 'publicTrade.' || channel === 'orderbook.1.' || channel === 'tickers.';
  }

  private http(req: HttpRequest): HttpReply | undefined {
    const ok = (result: unknown): HttpReply => ({ body: { retCode: 0, retMsg: 'OK', result, retExtInfo: {}, time: Date.now() } });
    const fail = (retMsg: string): HttpReply => ({ body: { retCode: 10001, retMsg, result: {}, retExtInfo: {}, time: Date.now() } });
    const q = req.query;
    const category = (q.get('category') ?? 'linear') as FrameCategory;
    if (category !== 'spot' && category !== 'linear') return fail(`params error: category ${category}`);
    if (req.path === '/v5/market/instruments-info') return ok(this.instruments(category, q));
    if (req.path !== '/v5/market/kline') return undefined;
    const symbol = q.get('symbol') ?? '';
    const tape = this.tapes.get(key(category, symbol));
    if (!tape) return fail('params error: symbol invalid');
    if (q.get('interval') !== '1') return fail(`params error: the fake prints 1 m klines only, not ${q.get('interval')}`);
    const limit = q.has('limit') ? Number(q.get('limit')) : 200;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return fail(`params error: limit ${q.get('limit')}`);
    this.pump();
    const endMs = q.has('end') ? Number(q.get('end')) : Date.now();
    const last = Math.floor(endMs / 60_000) * 60;
    const from = Math.max(q.has('start') ? Math.ceil(Number(q.get('start')) / 60_000) * 60 : 0, last - (limit - 1) * 60);
    const d = decimalsOf(tape.sym.sizeTick);
    const list = tape
      .bars(60, from, last + 60)
      .reverse()
      .map((b) => [String(b.time * 1000), tape.fmt(b.open), tape.fmt(b.high), tape.fmt(b.low), tape.fmt(b.close), b.volume.toFixed(d), (b.volume * b.close).toFixed(4)]);
    return ok({ symbol, category, list });
  }

  private instruments(category: FrameCategory, q: URLSearchParams): unknown {
    const refused = (this.o.refused ?? []).map((symbol) => ({ ...FAKE_BYBIT_SYMBOLS[0]!, symbol }));
    const all = [...this.symbols, ...refused].map((s) => (category === 'spot' ? spotEntry(s) : linearEntry(s)));
    if (category === 'spot') return { category, list: all };
    const size = Math.min(Number(q.get('limit') ?? 500), this.o.linearPageSize ?? 500);
    const at = Number(q.get('cursor') ?? '0');
    const next = at + size < all.length ? String(at + size) : '';
    return { category, list: all.slice(at, at + size), nextPageCursor: next };
  }
}

const coins = (symbol: string) => ({ baseCoin: symbol.replace(/USDT$/, ''), quoteCoin: 'USDT' });

/** A spot instruments-info entry shaped like the documented BTCUSDT one. */
export function spotEntry(s: FakeBybitSymbol): unknown {
  return {
    symbolId: 9,
    symbol: s.symbol,
    ...coins(s.symbol),
    innovation: '0',
    status: 'Trading',
    marginTrading: 'utaOnly',
    stTag: '0',
    lotSizeFilter: { basePrecision: s.spot.basePrecision, quotePrecision: '0.0000001', minOrderQty: s.spot.basePrecision, maxOrderQty: '83', minOrderAmt: '5', maxOrderAmt: '8000000', maxLimitOrderQty: '83', maxMarketOrderQty: '41.5', postOnlyMaxLimitOrderSize: '60000' },
    priceFilter: { tickSize: s.spot.tickSize },
    riskParameters: { priceLimitRatioX: '0.005', priceLimitRatioY: '0.01' },
    symbolType: '',
  };
}

/** A linear instruments-info entry shaped like the documented BTCUSDT perpetual. */
export function linearEntry(s: FakeBybitSymbol): unknown {
  return {
    symbol: s.symbol,
    symbolId: 5,
    contractType: 'LinearPerpetual',
    status: 'Trading',
    ...coins(s.symbol),
    launchTime: '1585526400000',
    deliveryTime: '0',
    deliveryFeeRate: '',
    priceScale: String(decimalsOf(s.linear.tickSize)),
    leverageFilter: { minLeverage: '1', maxLeverage: '100.00', leverageStep: '0.01' },
    priceFilter: { minPrice: s.linear.tickSize, maxPrice: '1999999.80', tickSize: s.linear.tickSize },
    lotSizeFilter: { maxOrderQty: '1190.000', minOrderQty: s.linear.qtyStep, qtyStep: s.linear.qtyStep, postOnlyMaxOrderQty: '1190.000', maxMktOrderQty: '500.000', minNotionalValue: '5' },
    unifiedMarginTrade: true,
    fundingInterval: 480,
    settleCoin: 'USDT',
    copyTrading: 'both',
    upperFundingRate: '0.00375',
    lowerFundingRate: '-0.00375',
    isPreListing: false,
    preListingInfo: null,
    riskParameters: { priceLimitRatioX: '0.01', priceLimitRatioY: '0.02' },
    symbolType: '',
  };
}
