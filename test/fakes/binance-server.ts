import type { WebSocket } from 'ws';
import { FakeVenue, type HttpReply, type HttpRequest } from './fake-venue.js';
import { TradeTape, type TapeSymbol, type TapeTrade } from './trade-tape.js';
import { futuresAggTradeFrame, futuresBookTickerFrame, spotBookTickerFrame, spotTradeFrame, type FrameTrade } from './binance-frames.js';
import { exchangeInfo, klines } from './binance-rest.js';

/**
 * A local Binance: spot (REST /api/v3 + combined streams on /stream) on one FakeVenue and USD-M futures (REST
 * /fapi/v1 + the routed streams /market/stream and /public/stream, F1) on another, each publishing TradeTapes
 * (BTCUSDT, ETHUSDT) as the documented frames. The stream side behaves as B1 says: stream set in the URL or via
 * SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS with `{"result":…,"id":…}` answers and `{"code":…,"msg":…}`
 * refusals, more than `maxIncomingPerSec` client messages in a second disconnects, a ping every `pingMs` that
 * must be answered with the same payload within `pongTimeoutMs`, and a connection lifetime (24 h) ended by a
 * serverShutdown notice and a close. Private trading plugs in through `privateApi`.
 */
export type FakeKind = 'spot' | 'usdtm';
type Route = 'spot' | 'market' | 'public';

export interface FakeBinanceOptions {
  spot?: TapeSymbol[];
  futures?: TapeSymbol[];
  /** Trades per second per symbol. */
  rate?: number;
  seed?: number;
  publishMs?: number;
  /** History printed before the server starts (REST klines reach back this far). */
  historyMs?: number;
  pingMs?: number;
  pongTimeoutMs?: number;
  /** Connection lifetime (Binance: 24 h); a serverShutdown notice goes out `shutdownNoticeMs` before. */
  maxConnectionMs?: number;
  shutdownNoticeMs?: number;
  maxIncomingPerSec?: number;
  /** Streams a SUBSCRIBE is refused for (a fault: the venue's error frame). */
  refuseStreams?: string[];
}

/** Hooks the private side (orders, WS API) adds to the spot venue. */
export interface PrivateApi {
  http(req: HttpRequest): HttpReply | undefined;
  ws(socket: WebSocket): void;
  onTrades(kind: FakeKind, symbol: string, trades: TapeTrade[]): void;
}

/** Klines the fake leaves out of its next `times` answers that reach them: open times [from, to) in epoch s. */
export interface KlineHole {
  symbol: string;
  /** Seconds: 60 for 1m, 1 for 1s. */
  interval: number;
  from: number;
  to: number;
  times: number;
}

export const FAKE_SPOT: TapeSymbol[] = [
  { symbol: 'BTCUSDT', base: 50_000, priceTick: '0.01', sizeTick: '0.00001', meanSize: 0.02 },
  { symbol: 'ETHUSDT', base: 3_000, priceTick: '0.01', sizeTick: '0.0001', meanSize: 0.5 },
];
export const FAKE_FUTURES: TapeSymbol[] = [
  { symbol: 'BTCUSDT', base: 50_010, priceTick: '0.1', sizeTick: '0.001', meanSize: 0.05 },
  { symbol: 'ETHUSDT', base: 3_001, priceTick: '0.01', sizeTick: '0.001', meanSize: 0.8 },
];

interface StreamClient {
  ws: WebSocket;
  route: Route;
  streams: Set<string>;
  /** Next tape index to send, per trade stream (kept while silenced, so a stall delivers the backlog). */
  cursor: Map<string, number>;
  quoteSent: Map<string, number>;
  incoming: number[];
  timers: NodeJS.Timeout[];
}

const ALLOWED: Record<Route, string[]> = { spot: ['trade', 'aggTrade', 'bookTicker'], market: ['aggTrade'], public: ['bookTicker'] };

export class FakeBinance {
  readonly tapes: Record<FakeKind, Map<string, TradeTape>> = { spot: new Map(), usdtm: new Map() };
  readonly clients = new Set<StreamClient>();
  /** Every control frame a client sent, parsed: what tests check subscriptions against. */
  readonly controlLog: { route: Route; method: string; params: unknown }[] = [];
  readonly pongs = { ok: 0, bad: 0 };
  privateApi: PrivateApi | null = null;
  /** Scripted holes in the klines answers (a venue that skips bars once, or never has them). */
  readonly klineHoles: KlineHole[] = [];
  private readonly quoteIds = new Map<TradeTape, { u: number; time: number }>();
  private readonly timer: NodeJS.Timeout;

  private constructor(
    readonly spot: FakeVenue,
    readonly futures: FakeVenue,
    readonly o: FakeBinanceOptions,
  ) {
    const now = Date.now();
    (['spot', 'usdtm'] as const).forEach((kind, k) => {
      for (const [i, sym] of (kind === 'spot' ? (o.spot ?? FAKE_SPOT) : (o.futures ?? FAKE_FUTURES)).entries()) {
        const tape = new TradeTape(sym, { seed: (o.seed ?? 7) + i + 10 * k, rate: o.rate ?? 20, startMs: now, firstId: 1_000_000 * (i + 1) + 500_000 * k });
        tape.backfillFrom(now - (o.historyMs ?? 30 * 60_000));
        this.tapes[kind].set(sym.symbol, tape);
        this.quoteIds.set(tape, { u: 400_000_000 * (i + 1), time: 0 });
      }
    });
    this.timer = setInterval(() => this.publish(), o.publishMs ?? 25);
  }

  static async start(o: FakeBinanceOptions = {}): Promise<FakeBinance> {
    let self: FakeBinance | null = null;
    const spot = await FakeVenue.start({
      http: (req) => self!.http('spot', req),
      ws: (ws, path, query) => (path === '/ws-api/v3' ? self!.privateApi?.ws(ws) : self!.accept(ws, path === '/stream' ? 'spot' : null, query)),
    });
    const futures = await FakeVenue.start({
      http: (req) => self!.http('usdtm', req),
      // Unrouted legacy URLs carry only public data (F1).
      ws: (ws, path, query) => self!.accept(ws, path === '/market/stream' ? 'market' : path === '/public/stream' || path === '/stream' ? 'public' : null, query),
    });
    self = new FakeBinance(spot, futures, o);
    return self;
  }

  /** The `[binance]` config section pointing at this server. */
  config(extra: Record<string, string | number> = {}): Record<string, string | number> {
    return {
      rest_url: this.spot.httpUrl,
      ws_url: this.spot.wsUrl,
      futures_rest_url: this.futures.httpUrl,
      futures_ws_url: this.futures.wsUrl,
      ws_api_url: `${this.spot.wsUrl}/ws-api/v3`,
      stale_ms: 10_000,
      reconnect_min_ms: 20,
      reconnect_max_ms: 80,
      ...extra,
    };
  }

  tape(kind: FakeKind, symbol: string): TradeTape {
    const t = this.tapes[kind].get(symbol);
    if (!t) throw new Error(`fake binance has no ${kind} ${symbol}`);
    return t;
  }

  /** A tape trade as the venue prints it on its stream (for resend / out-of-order faults). */
  tradeFrame(kind: FakeKind, symbol: string, t: TapeTrade): string {
    const tape = this.tape(kind, symbol);
    const ft: FrameTrade = { id: t.id, price: tape.fmt(t.price), size: fmtSize(tape, t.size), time: t.time, buyerMaker: !t.buy };
    return kind === 'spot' ? spotTradeFrame(symbol, ft) : futuresAggTradeFrame(symbol, ft);
  }

  /** The serverShutdown notice (B1) to every stream connection of `kind` now, as before a restart of the venue's server. */
  announceShutdown(kind: FakeKind): void {
    for (const c of this.clients) if ((c.route === 'spot') === (kind === 'spot')) this.venueOf(kind).send(c.ws, shutdownNotice());
  }

  venueOf(kind: FakeKind): FakeVenue {
    return kind === 'spot' ? this.spot : this.futures;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    for (const c of this.clients) c.timers.forEach(clearTimeout);
    await Promise.all([this.spot.close(), this.futures.close()]);
  }

  private http(kind: FakeKind, req: HttpRequest): HttpReply | undefined {
    const p = kind === 'spot' ? '/api/v3' : '/fapi/v1';
    if (req.method === 'GET' && req.path === `${p}/time`) return { body: { serverTime: Date.now() } };
    if (req.method === 'GET' && req.path === `${p}/exchangeInfo`) return { body: exchangeInfo(kind, this.tapes[kind]) };
    if (req.method === 'GET' && req.path === `${p}/klines`) return this.punch(req.query, klines(kind, this.tapes[kind], req.query));
    return kind === 'spot' ? this.privateApi?.http(req) : undefined;
  }

  /** Drops the rows of a klines answer that a scripted hole covers (and counts the hole down). */
  private punch(q: URLSearchParams, reply: HttpReply): HttpReply {
    if (!Array.isArray(reply.body) || this.klineHoles.length === 0) return reply;
    const interval = q.get('interval') === '1s' ? 1 : 60;
    const hit = new Set<KlineHole>();
    const rows = (reply.body as [number][]).filter((row) => {
      const t = row[0] / 1000;
      const h = this.klineHoles.find((x) => x.times > 0 && x.symbol === q.get('symbol') && x.interval === interval && t >= x.from && t < x.to);
      if (h) hit.add(h);
      return !h;
    });
    for (const h of hit) h.times--;
    return { ...reply, body: rows };
  }

  private accept(ws: WebSocket, route: Route | null, query: URLSearchParams): void {
    if (route === null) {
      ws.close(1008, 'unknown path');
      return;
    }
    const c: StreamClient = { ws, route, streams: new Set(), cursor: new Map(), quoteSent: new Map(), incoming: [], timers: [] };
    for (const s of (query.get('streams') ?? '').split('/').filter(Boolean)) {
      if (!this.addStream(c, s)) {
        ws.close(1008, `invalid stream ${s}`);
        return;
      }
    }
    this.clients.add(c);
    const venue = route === 'spot' ? this.spot : this.futures;
    ws.on('close', () => {
      this.clients.delete(c);
      c.timers.forEach(clearTimeout);
    });
    ws.on('message', (data) => this.onControl(c, data.toString()));
    this.keepAlive(c);
    const life = this.o.maxConnectionMs;
    if (life !== undefined) {
      const notice = this.o.shutdownNoticeMs ?? 0;
      if (notice > 0) c.timers.push(setTimeout(() => venue.send(ws, shutdownNotice()), life - notice));
      c.timers.push(setTimeout(() => ws.terminate(), life));
    }
  }

  /** Pings every pingMs with a fresh payload; no pong echoing it within pongTimeoutMs ends the connection. */
  private keepAlive(c: StreamClient): void {
    const every = this.o.pingMs ?? 20_000;
    let expect: Buffer | null = null;
    c.ws.on('pong', (data) => {
      if (expect && data.equals(expect)) {
        this.pongs.ok++;
        expect = null;
      } else this.pongs.bad++;
    });
    const ping = () => {
      if (expect !== null) return;
      expect = Buffer.from(String(Math.random()).slice(2, 12));
      c.ws.ping(expect);
      const sent = expect;
      c.timers.push(setTimeout(() => expect === sent && c.ws.terminate(), this.o.pongTimeoutMs ?? 60_000));
    };
    const t = setInterval(ping, every);
    c.timers.push(t as unknown as NodeJS.Timeout);
    c.ws.on('close', () => clearInterval(t));
  }

  private addStream(c: StreamClient, name: string): boolean {
    const m = /^([a-z0-9_]+)@(\w+)$/.exec(name);
    if (!m || !ALLOWED[c.route].includes(m[2]!)) return false;
    const kind: FakeKind = c.route === 'spot' ? 'spot' : 'usdtm';
    const tape = this.tapes[kind].get(m[1]!.toUpperCase());
    if (!tape) return false;
    c.streams.add(name);
    if (m[2] !== 'bookTicker') c.cursor.set(name, tape.trades.length);
    return true;
  }

  private onControl(c: StreamClient, text: string): void {
    const now = Date.now();
    c.incoming = c.incoming.filter((t) => now - t < 1_000);
    c.incoming.push(now);
    if (c.incoming.length > (this.o.maxIncomingPerSec ?? (c.route === 'spot' ? 5 : 10))) {
      c.ws.close(1008, 'too many messages');
      return;
    }
    const venue = c.route === 'spot' ? this.spot : this.futures;
    let m: { method?: unknown; params?: unknown; id?: unknown };
    try {
      m = JSON.parse(text);
    } catch {
      venue.send(c.ws, JSON.stringify({ code: 3, msg: 'Invalid JSON: expected value at line 1 column 1', id: null }));
      return;
    }
    const id = m.id ?? null;
    this.controlLog.push({ route: c.route, method: String(m.method), params: m.params });
    if (m.method === 'LIST_SUBSCRIPTIONS') return venue.send(c.ws, JSON.stringify({ result: [...c.streams], id }));
    if ((m.method !== 'SUBSCRIBE' && m.method !== 'UNSUBSCRIBE') || !Array.isArray(m.params)) {
      return venue.send(c.ws, JSON.stringify({ code: 2, msg: `Invalid request: unknown method ${String(m.method)}`, id }));
    }
    const names = m.params.map(String);
    if (m.method === 'SUBSCRIBE') {
      // All or nothing: a request naming one bad stream subscribes none of them.
      const trial: StreamClient = { ...c, streams: new Set(), cursor: new Map() };
      const bad = names.find((s) => this.o.refuseStreams?.includes(s) || !this.addStream(trial, s));
      if (bad !== undefined) return venue.send(c.ws, JSON.stringify({ code: 2, msg: `Invalid request: invalid stream ${bad}`, id }));
      for (const s of names) if (!c.streams.has(s)) this.addStream(c, s);
    } else {
      for (const s of names) {
        c.streams.delete(s);
        c.cursor.delete(s);
      }
    }
    venue.send(c.ws, JSON.stringify({ result: null, id }));
  }

  private publish(): void {
    const now = Date.now();
    for (const kind of ['spot', 'usdtm'] as const) {
      for (const [symbol, tape] of this.tapes[kind]) {
        const fresh = tape.advance(now);
        if (fresh.length) this.privateApi?.onTrades(kind, symbol, fresh);
        const q = this.quoteIds.get(tape)!;
        if (tape.quote && tape.quote.time !== q.time) {
          q.time = tape.quote.time;
          q.u++;
        }
      }
    }
    for (const c of this.clients) {
      const venue = c.route === 'spot' ? this.spot : this.futures;
      if (venue.silent) continue;
      const kind: FakeKind = c.route === 'spot' ? 'spot' : 'usdtm';
      for (const name of c.streams) {
        const [sym, type] = name.split('@') as [string, string];
        const symbol = sym.toUpperCase();
        const tape = this.tapes[kind].get(symbol)!;
        if (type === 'bookTicker') {
          const q = this.quoteIds.get(tape)!;
          if (!tape.quote || c.quoteSent.get(name) === q.u) continue;
          c.quoteSent.set(name, q.u);
          const fq = { updateId: q.u, bid: tape.fmt(tape.quote.bid), bidSize: fmtSize(tape, tape.quote.bidSize), ask: tape.fmt(tape.quote.ask), askSize: fmtSize(tape, tape.quote.askSize), time: tape.quote.time };
          venue.send(c.ws, kind === 'spot' ? spotBookTickerFrame(symbol, fq) : futuresBookTickerFrame(symbol, fq));
          continue;
        }
        for (let i = c.cursor.get(name)!; i < tape.trades.length; i++) venue.send(c.ws, this.tradeFrame(kind, symbol, tape.trades[i]!));
        c.cursor.set(name, tape.trades.length);
      }
    }
  }
}

function shutdownNotice(): string {
  return `{"stream":"!serverShutdown","data":{"e":"serverShutdown","E":${Date.now()}}}`;
}

export function fmtSize(tape: TradeTape, size: number): string {
  return size.toFixed((tape.sym.sizeTick.split('.')[1] ?? '').length);
}
