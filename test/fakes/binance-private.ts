import { createHmac } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { HttpReply, HttpRequest } from './fake-venue.js';
import type { TapeTrade } from './trade-tape.js';
import { BinanceEngine, ERR, isErr, type EngineMarket, type FakeOrder, type VenueErr } from './binance-engine.js';
import { MIN_NOTIONAL, pad8 } from './binance-rest.js';
import { fmtSize, type FakeBinance, type FakeKind, type PrivateApi } from './binance-server.js';

/**
 * The fake Binance's signed REST routes (B3: order, openOrders, myTrades, account) and its WebSocket API with the
 * user data stream (B4: `userDataStream.subscribe.signature`, events as `{subscriptionId, event}`), over the
 * BinanceEngine. Signatures are verified as the venue does: REST over the query string as sent, WS API over the
 * sorted params; a bad one is the documented -1022. Scripted errors go through FakeVenue.failHttp.
 */
export interface PrivateOptions {
  apiKey: string;
  apiSecret: string;
  balances?: Record<string, string>;
  fee?: string;
}

const INVALID_SIGNATURE: VenueErr = { code: -1022, msg: 'Signature for this request is not valid.' };
const INVALID_KEY: VenueErr = { code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' };
const OUTSIDE_WINDOW: VenueErr = { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' };
const hmac = (secret: string, s: string) => createHmac('sha256', secret).update(s).digest('hex');
/** B3: refused when timestamp >= serverTime + 1 s or serverTime - timestamp > recvWindow. */
const inWindow = (ts: number, window: number) => ts < Date.now() + 1000 && Date.now() - ts <= window;

export class FakeBinancePrivate implements PrivateApi {
  readonly engine: BinanceEngine;
  /** Live user data subscriptions: the WS API socket and its subscription id. */
  readonly subscribers = new Map<WebSocket, number>();
  /** Every WS API request, for tests (method and params, signature included). */
  readonly wsLog: { method: string; params: Record<string, unknown> }[] = [];
  private nextSub = 0;

  constructor(
    private readonly fake: FakeBinance,
    private readonly o: PrivateOptions,
  ) {
    const markets: EngineMarket[] = [...fake.tapes.spot.values()].map((t) => ({
      symbol: t.sym.symbol,
      base: t.sym.symbol.replace(/USDT$/, ''),
      quote: 'USDT',
      priceTick: t.sym.priceTick,
      sizeTick: t.sym.sizeTick,
      minQty: t.sym.sizeTick,
      minNotional: MIN_NOTIONAL,
    }));
    this.engine = new BinanceEngine(markets, o.fee ?? '0.001');
    for (const [asset, amount] of Object.entries(o.balances ?? { USDT: '100000' })) this.engine.setBalance(asset, amount);
    this.engine.onEvent = (event) => {
      for (const [ws, subscriptionId] of this.subscribers) fake.spot.send(ws, JSON.stringify({ subscriptionId, event }));
    };
    fake.privateApi = this;
  }

  onTrades(kind: FakeKind, symbol: string, trades: TapeTrade[]): void {
    if (kind !== 'spot' || !this.engine.market(symbol)) return;
    const tape = this.fake.tape('spot', symbol);
    for (const t of trades) this.engine.onTapeTrade(symbol, tape.fmt(t.price), fmtSize(tape, t.size), t.time);
  }

  http(req: HttpRequest): HttpReply | undefined {
    const route = `${req.method} ${req.path}`;
    const routes: Record<string, (q: URLSearchParams) => HttpReply> = {
      'POST /api/v3/order': (q) => this.place(q),
      'DELETE /api/v3/order': (q) => this.cancel(q),
      'GET /api/v3/order': (q) => this.query(q),
      'GET /api/v3/openOrders': (q) => ok(this.engine.open(q.get('symbol') ?? undefined).map(orderJson)),
      'GET /api/v3/myTrades': (q) => this.myTrades(q),
      'GET /api/v3/account': () => ok(this.account()),
    };
    const handler = routes[route];
    if (!handler) return undefined;
    const denied = this.verify(req);
    return denied ?? handler(req.query);
  }

  ws(socket: WebSocket): void {
    socket.on('close', () => this.subscribers.delete(socket));
    socket.on('message', (data) => {
      let m: { id?: unknown; method?: unknown; params?: Record<string, unknown> };
      try {
        m = JSON.parse(data.toString());
      } catch {
        return this.fake.spot.send(socket, JSON.stringify({ id: null, status: 400, error: { code: -1102, msg: 'Malformed request.' } }));
      }
      const id = m.id ?? null;
      this.wsLog.push({ method: String(m.method), params: m.params ?? {} });
      const reply = (r: { result: unknown } | { error: VenueErr; status?: number }) =>
        this.fake.spot.send(socket, JSON.stringify('result' in r ? { id, status: 200, result: r.result } : { id, status: r.status ?? 400, error: r.error }));
      if (m.method === 'ping') return reply({ result: {} });
      if (m.method === 'userDataStream.subscribe.signature') {
        const p = m.params ?? {};
        if (p.apiKey !== this.o.apiKey) return reply({ error: INVALID_KEY, status: 401 });
        const payload = Object.keys(p).filter((k) => k !== 'signature').sort().map((k) => `${k}=${String(p[k])}`).join('&');
        if (p.signature !== hmac(this.o.apiSecret, payload)) return reply({ error: INVALID_SIGNATURE });
        if (!inWindow(Number(p.timestamp), Number(p.recvWindow ?? 5000))) return reply({ error: OUTSIDE_WINDOW });
        if (this.subscribers.has(socket)) return reply({ error: { code: -1001, msg: 'User data stream subscription already active.' } });
        const subscriptionId = this.nextSub++;
        this.subscribers.set(socket, subscriptionId);
        return reply({ result: { subscriptionId } });
      }
      if (m.method === 'userDataStream.unsubscribe') {
        this.subscribers.delete(socket);
        return reply({ result: {} });
      }
      reply({ error: { code: -1100, msg: `Illegal characters found in parameter 'method'; legal range is 'ping|userDataStream.*'.` } });
    });
  }

  /** -2015 for an unknown key, -1022 for a bad signature, -1021 outside recvWindow; null when the request may go on. */
  private verify(req: HttpRequest): HttpReply | null {
    if (req.headers['x-mbx-apikey'] !== this.o.apiKey) return fail(INVALID_KEY, 401);
    const at = req.rawQuery.lastIndexOf('&signature=');
    if (at < 0 || req.rawQuery.slice(at + 11) !== hmac(this.o.apiSecret, req.rawQuery.slice(0, at) + req.body)) return fail(INVALID_SIGNATURE);
    if (!inWindow(Number(req.query.get('timestamp')), Number(req.query.get('recvWindow') ?? 5000))) return fail(OUTSIDE_WINDOW);
    return null;
  }

  private place(q: URLSearchParams): HttpReply {
    if (q.get('type') !== 'LIMIT' || q.get('timeInForce') !== 'GTC') return fail({ code: -1116, msg: 'Invalid orderType.' });
    const side = q.get('side');
    if (side !== 'BUY' && side !== 'SELL') return fail({ code: -1117, msg: 'Invalid side.' });
    const r = this.engine.place({ symbol: q.get('symbol') ?? '', side, price: q.get('price') ?? '', quantity: q.get('quantity') ?? '', clientOrderId: q.get('newClientOrderId') ?? undefined });
    if (isErr(r)) return fail(r);
    const ackOnly = q.get('newOrderRespType') === 'ACK';
    return ok(ackOnly ? { symbol: r.symbol, orderId: r.orderId, orderListId: -1, clientOrderId: r.clientOrderId, transactTime: r.time } : orderJson(r));
  }

  private cancel(q: URLSearchParams): HttpReply {
    const symbol = q.get('symbol') ?? '';
    const by = q.has('orderId') ? { orderId: Number(q.get('orderId')) } : { clientOrderId: q.get('origClientOrderId') ?? '' };
    const cancelId = q.get('newClientOrderId') ?? undefined;
    const r = this.engine.cancel(symbol, by, cancelId);
    if (isErr(r)) return fail(r);
    const { clientOrderId, ...rest } = orderJson(r);
    return ok({ ...rest, origClientOrderId: clientOrderId, clientOrderId: cancelId ?? `cancel-${r.orderId}`, transactTime: r.updateTime });
  }

  private query(q: URLSearchParams): HttpReply {
    const symbol = q.get('symbol') ?? '';
    if (!this.engine.market(symbol)) return fail(ERR.badSymbol);
    const o = this.engine.find(symbol, q.has('orderId') ? { orderId: Number(q.get('orderId')) } : { clientOrderId: q.get('origClientOrderId') ?? '' });
    return o ? ok(orderJson(o)) : fail(ERR.noSuchOrder);
  }

  private myTrades(q: URLSearchParams): HttpReply {
    const symbol = q.get('symbol') ?? '';
    if (!this.engine.market(symbol)) return fail(ERR.badSymbol);
    const num = (k: string) => (q.has(k) ? Number(q.get(k)) : undefined);
    const [start, end, fromId, orderId] = [num('startTime'), num('endTime'), num('fromId'), num('orderId')];
    const limit = Math.min(1000, num('limit') ?? 500);
    if (start !== undefined && end !== undefined && end - start > 24 * 3_600_000) return fail({ code: -1127, msg: 'More than 24 hours between startTime and endTime.' });
    const rows = this.engine.fills.filter(
      (f) =>
        f.symbol === symbol &&
        (orderId === undefined || f.orderId === orderId) &&
        (fromId === undefined || f.id >= fromId) &&
        (start === undefined || f.time >= start) &&
        (end === undefined || f.time <= end),
    );
    const page = start === undefined && fromId === undefined ? rows.slice(-limit) : rows.slice(0, limit);
    return ok(
      page.map((f) => ({
        symbol,
        id: f.id,
        orderId: f.orderId,
        orderListId: -1,
        price: pad8(f.price),
        qty: pad8(f.qty),
        quoteQty: pad8(f.quoteQty),
        commission: pad8(f.commission),
        commissionAsset: f.commissionAsset,
        time: f.time,
        isBuyer: f.isBuyer,
        isMaker: f.isMaker,
        isBestMatch: true,
      })),
    );
  }

  private account(): unknown {
    const balances = [...this.engine.balances].map(([asset, b]) => ({ asset, free: pad8(b.free), locked: pad8(b.locked) }));
    return { makerCommission: 10, takerCommission: 10, canTrade: true, canWithdraw: true, canDeposit: true, updateTime: Date.now(), accountType: 'SPOT', balances, permissions: ['SPOT'] };
  }
}

const ok = (body: unknown): HttpReply => ({ body });
const fail = (e: VenueErr, status = 400): HttpReply => ({ status, body: e });

function orderJson(o: FakeOrder) {
  return {
    symbol: o.symbol,
    orderId: o.orderId,
    orderListId: -1,
    clientOrderId: o.clientOrderId,
    price: pad8(o.price),
    origQty: pad8(o.origQty),
    executedQty: pad8(o.executedQty),
    cummulativeQuoteQty: pad8(o.cummulativeQuoteQty),
    status: o.status,
    timeInForce: 'GTC',
    type: 'LIMIT',
    side: o.side,
    stopPrice: '0.00000000',
    icebergQty: '0.00000000',
    time: o.time,
    updateTime: o.updateTime,
    isWorking: true,
    workingTime: o.time,
    origQuoteOrderQty: '0.00000000',
    selfTradePreventionMode: 'NONE',
  };
}
