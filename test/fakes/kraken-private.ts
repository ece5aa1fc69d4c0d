import { randomBytes } from 'node:crypto';
import type { WebSocket } from 'ws';
import { atPrecision } from '../../core/brokers/kraken/book-checksum.js';
import { parseExact, stringifyWithNumbers } from '../../core/brokers/kraken/exact-json.js';
import { apiSign } from '../../core/brokers/kraken/sign.js';
import type { HttpReply, HttpRequest } from './fake-venue.js';
import { failureAck, HEARTBEAT, pong, rfc3339 } from './kraken-frames.js';
import { KrakenEngine, NUMERIC_FIELDS, type ExecEvent, type FakeOrder, type FakeTrade } from './kraken-engine.js';
import type { FakeKraken, FakePair } from './kraken-server.js';

/**
 * The fake Kraken's private side: signed REST (`/0/private/*`: API-Key known and API-Sign verified, else
 * `EAPI:Invalid key`; nonces strictly increasing, else `EAPI:Invalid nonce`), WebSocket tokens, and WS v2 at
 * `/auth/v2` with `executions` (snapshot + updates with a sequence), add_order / amend_order / cancel_order answered
 * like the documented acks. State lives in the engine, so a client restart finds it unchanged. Scripted faults:
 * `failNext(method, error)` for WS requests, `loseEvents(n)`; REST faults through the FakeVenue (`failHttp`).
 */
export interface PrivateAccount {
  apiKey: string;
  apiSecret: string;
}

interface AuthClient {
  ws: WebSocket;
  subscribed: boolean;
  seq: number;
  lastSentAt: number;
}

const QTY_KEYS = new Set(['order_qty', 'cum_qty', 'last_qty']);
const PRICE_KEYS = new Set(['limit_price', 'last_price', 'avg_price']);

export class KrakenPrivate {
  readonly engine: KrakenEngine;
  readonly tokens = new Set<string>();
  readonly requests: Record<string, unknown>[] = [];
  readonly clients = new Set<AuthClient>();
  private lastNonce = 0n;
  private readonly failures: { method: string; error: string }[] = [];
  private readonly outbox: ExecEvent[] = [];
  private lostEvents = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly fake: FakeKraken,
    readonly account: PrivateAccount,
    balances?: Record<string, string>,
  ) {
    this.engine = new KrakenEngine(fake.pairs, fake.tapes, balances);
    this.engine.listeners.add((e) => {
      // Answers go out before the events they cause (the ack, then pending_new/new/trade): flushed after the turn.
      if (this.outbox.push(e) === 1) queueMicrotask(() => this.flush());
    });
    fake.onTrades.push((pair, trades) => this.engine.onTapeTrades(pair, trades));
    fake.attachPrivate({ http: (req) => this.http(req), ws: (ws) => this.onSocket(ws), close: () => clearInterval(this.timer) });
    this.timer = setInterval(() => this.heartbeat(), 250);
  }

  /** The next `n` executions events are lost on the way (their sequence numbers are used up). */
  loseEvents(n: number): void {
    this.lostEvents += n;
  }

  /** The next WS request of `method` is refused with `error` (rate limits, insufficient funds). */
  failNext(method: string, error: string, count = 1): void {
    for (let i = 0; i < count; i++) this.failures.push({ method, error });
  }

  private http(req: HttpRequest): HttpReply {
    const err = (e: string): HttpReply => ({ body: { error: [e] } });
    const form = new URLSearchParams(req.body);
    const nonce = form.get('nonce') ?? '';
    if (req.headers['api-key'] !== this.account.apiKey) return err('EAPI:Invalid key');
    if (req.headers['api-sign'] !== apiSign(req.path, nonce, req.body, this.account.apiSecret)) return err('EAPI:Invalid key');
    if (!/^\d{1,20}$/.test(nonce) || BigInt(nonce) <= this.lastNonce) return err('EAPI:Invalid nonce');
    this.lastNonce = BigInt(nonce);
    const result = this.route(req.path.slice('/0/private/'.length), form);
    return typeof result === 'string' ? err(result) : { body: { error: [], result } };
  }

  private route(name: string, f: URLSearchParams): unknown {
    const e = this.engine;
    const all = [...e.orders.values()];
    switch (name) {
      case 'GetWebSocketsToken': {
        const token = randomBytes(32).toString('base64').replace(/=+$/, '');
        this.tokens.add(token);
        return { token, expires: 900 };
      }
      case 'Balance':
        return Object.fromEntries([...e.balances].map(([k, v]) => [k, atPrecision(v, k.startsWith('Z') ? 4 : 10)]));
      case 'OpenOrders':
        return { open: this.orderMap(all.filter((o) => isOpen(o) && (!f.get('cl_ord_id') || o.clOrdId === f.get('cl_ord_id')))) };
      case 'ClosedOrders': {
        const closed = all.filter((o) => !isOpen(o) && (!f.get('cl_ord_id') || o.clOrdId === f.get('cl_ord_id')));
        return { closed: this.orderMap(closed.reverse()), count: closed.length };
      }
      case 'QueryOrders': {
        const ids = (f.get('txid') ?? '').split(',').filter(Boolean);
        if (ids.length === 0 || ids.length > 50) return 'EGeneral:Invalid arguments';
        return this.orderMap(ids.map((id) => e.orders.get(id)).filter((o): o is FakeOrder => !!o));
      }
      case 'TradesHistory': {
        const start = Number(f.get('start') ?? '0');
        const ofs = Number(f.get('ofs') ?? '0');
        const list = e.trades.filter((t) => t.time / 1000 > start).reverse();
        return { trades: Object.fromEntries(list.slice(ofs, ofs + 50).map((t) => [t.txid, tradeInfo(t)])), count: list.length };
      }
      default:
        return 'EGeneral:Unknown method';
    }
  }

  private orderMap(orders: FakeOrder[]): Record<string, unknown> {
    return Object.fromEntries(orders.map((o) => [o.orderId, orderInfo(o)]));
  }

  private onSocket(ws: WebSocket): void {
    const c: AuthClient = { ws, subscribed: false, seq: 0, lastSentAt: Date.now() };
    this.clients.add(c);
    ws.on('close', () => this.clients.delete(c));
    ws.on('message', (data) => this.onMessage(c, data.toString()));
  }

  private send(c: AuthClient, frame: string): void {
    this.fake.venue.send(c.ws, frame);
    c.lastSentAt = Date.now();
  }

  private onMessage(c: AuthClient, text: string): void {
    let m: { method?: string; params?: Record<string, unknown>; req_id?: string };
    try {
      m = parseExact(text) as typeof m;
    } catch {
      return this.send(c, failureAck('unknown', 'EGeneral:Invalid arguments', undefined));
    }
    this.requests.push(m as Record<string, unknown>);
    const reqId = m.req_id === undefined ? undefined : Number(m.req_id);
    const p = m.params ?? {};
    const method = String(m.method);
    if (method === 'ping') return this.send(c, pong(reqId));
    if (!['subscribe', 'add_order', 'cancel_order', 'amend_order'].includes(method)) return this.send(c, failureAck(method, 'EGeneral:Invalid arguments', reqId));
    if (typeof p.token !== 'string' || !this.tokens.has(p.token)) return this.send(c, failureAck(method, 'ESession:Invalid session', reqId));
    const scripted = this.failures.findIndex((f) => f.method === method);
    if (scripted >= 0) return this.send(c, failureAck(method, this.failures.splice(scripted, 1)[0]!.error, reqId));
    const ok = (result: Record<string, unknown>) => this.send(c, answer(method, result, reqId));
    const str = (v: unknown) => (typeof v === 'string' ? v : null);
    const closed = method === 'add_order' || method === 'amend_order' ? this.engineRefusal(p) : null;
    if (closed) return this.send(c, failureAck(method, closed, reqId));
    if (method === 'subscribe') {
      if (p.channel !== 'executions') return this.send(c, failureAck(method, 'EGeneral:Invalid arguments', reqId));
      const snapOrders = p.snap_orders !== false;
      const snapTrades = p.snap_trades === true;
      ok({ channel: 'executions', maxratecount: 125, snap_orders: snapOrders, snap_trades: snapTrades });
      c.subscribed = true;
      const data = [...(snapOrders ? this.engine.openOrders().map(orderEntry) : []), ...(snapTrades ? this.engine.trades.slice(-50).map(tradeEntry) : [])];
      return this.send(c, this.frame('snapshot', c, data));
    }
    if (method === 'add_order') {
      const r = this.engine.add({ symbol: String(p.symbol), side: String(p.side), orderType: String(p.order_type), qty: String(p.order_qty), limit: String(p.limit_price), clOrdId: str(p.cl_ord_id) });
      if ('error' in r) return this.send(c, failureAck(method, r.error, reqId));
      return ok({ order_id: r.orderId, ...(p.cl_ord_id ? { cl_ord_id: p.cl_ord_id } : {}) });
    }
    if (method === 'amend_order') {
      const r = this.engine.amend({ ...(str(p.order_id) ? { orderId: str(p.order_id)! } : {}), ...(str(p.cl_ord_id) ? { clOrdId: str(p.cl_ord_id)! } : {}) }, String(p.order_qty), str(p.limit_price));
      if ('error' in r) return this.send(c, failureAck(method, r.error, reqId));
      return ok({ amend_id: r.amendId, order_id: r.orderId });
    }
    // cancel_order: one answer per order (K7).
    const refs = [...((p.order_id as string[] | undefined) ?? []).map((orderId) => ({ orderId })), ...((p.cl_ord_id as string[] | undefined) ?? []).map((clOrdId) => ({ clOrdId }))];
    if (refs.length === 0) return this.send(c, failureAck(method, 'EGeneral:Invalid arguments', reqId));
    for (const ref of refs) {
      const r = this.engine.cancel(ref);
      if ('error' in r) this.send(c, failureAck(method, r.error, reqId));
      else ok({ order_id: r.orderId, ...(r.clOrdId ? { cl_ord_id: r.clOrdId } : {}) });
    }
  }

  /**
   * The engine status's answer to an add or amend (K7 service errors): maintenance takes nothing, cancel_only only
   * cancels, post_only only orders that rest (the docs do not say whether a plain limit that would rest is taken in
   * post_only: the fake takes it, and refuses one that would cross the tape's quote unless flagged post_only).
   */
  private engineRefusal(p: Record<string, unknown>): string | null {
    const status = this.fake.engineStatus;
    if (status === 'maintenance') return 'EService:Unavailable';
    if (status === 'cancel_only') return 'EService:Market in cancel_only mode';
    if (status !== 'post_only' || p.post_only === true) return null;
    const known = typeof p.order_id === 'string' ? this.engine.orders.get(p.order_id) : typeof p.cl_ord_id === 'string' ? [...this.engine.orders.values()].find((o) => o.clOrdId === p.cl_ord_id) : undefined;
    const side = known?.side ?? String(p.side);
    const q = this.fake.tapes.get(known?.pair.symbol ?? String(p.symbol))?.quote;
    const limit = Number(String(p.limit_price ?? known?.limit));
    const crosses = q !== null && q !== undefined && (side === 'buy' ? limit >= q.ask : limit <= q.bid);
    return crosses ? 'EService:Market in post_only mode' : null;
  }

  private frame(type: 'snapshot' | 'update', c: AuthClient, data: ExecEvent[]): string {
    return stringifyWithNumbers({ channel: 'executions', type, data: data.map((e) => this.pad(e)), sequence: ++c.seq }, NUMERIC_FIELDS);
  }

  /** The engine's precision on the wire: quantities at lot_decimals, prices at pair_decimals, trailing zeros kept. */
  private pad(e: ExecEvent): ExecEvent {
    const pair = [...this.fake.pairs.values()].find((p) => p.symbol === e.symbol) ?? this.pairOf(e);
    if (!pair) return e;
    const out: ExecEvent = { ...e };
    for (const [k, v] of Object.entries(e)) {
      if (typeof v !== 'string') continue;
      if (QTY_KEYS.has(k)) out[k] = atPrecision(v, pair.lotDecimals);
      else if (PRICE_KEYS.has(k)) out[k] = atPrecision(v, pair.pairDecimals);
    }
    return out;
  }

  private pairOf(e: ExecEvent): FakePair | undefined {
    return typeof e.order_id === 'string' ? this.engine.orders.get(e.order_id)?.pair : undefined;
  }

  private flush(): void {
    for (const e of this.outbox.splice(0)) {
      const lost = this.lostEvents > 0;
      if (lost) this.lostEvents--;
      for (const c of this.clients) {
        if (!c.subscribed) continue;
        // A lost event still takes its sequence number: the client sees the gap on the next one.
        if (lost) c.seq++;
        else this.send(c, this.frame('update', c, [e]));
      }
    }
  }

  private heartbeat(): void {
    const now = Date.now();
    for (const c of this.clients) if (c.subscribed && now - c.lastSentAt >= 1_000) this.send(c, HEARTBEAT);
  }
}

function isOpen(o: FakeOrder): boolean {
  return o.status === 'open' || o.status === 'pending';
}

function answer(method: string, result: Record<string, unknown>, reqId: number | undefined): string {
  const now = Date.now();
  return JSON.stringify({ method, ...(reqId === undefined ? {} : { req_id: reqId }), result, success: true, time_in: rfc3339(now), time_out: rfc3339(now + 1) });
}

/** An order as the REST order-info endpoints print it (strings for decimals, seconds for times). */
function orderInfo(o: FakeOrder): Record<string, unknown> {
  const p = o.pair;
  const status = o.status === 'pending' ? 'pending' : o.status;
  return {
    refid: null, userref: 0, cl_ord_id: o.clOrdId ?? undefined, status, opentm: o.openedMs / 1000, starttm: 0, expiretm: 0,
    descr: { pair: p.altname, type: o.side, ordertype: 'limit', price: atPrecision(o.limit, p.pairDecimals), price2: '0', leverage: 'none', order: `${o.side} ${atPrecision(o.qty, p.lotDecimals)} ${p.altname} @ limit ${o.limit}`, close: '' },
    vol: atPrecision(o.qty, p.lotDecimals), vol_exec: atPrecision(o.filled, p.lotDecimals), cost: atPrecision(o.cost, 5), fee: atPrecision(o.fee, 5),
    price: o.filled === '0' ? '0.00000' : atPrecision(o.cost, 5), stopprice: '0.00000', limitprice: '0.00000', misc: '', oflags: 'fciq',
    ...(o.closedMs !== null ? { closetm: o.closedMs / 1000, reason: o.reason } : {}),
    trades: o.trades,
  };
}

function tradeInfo(t: FakeTrade): Record<string, unknown> {
  return {
    ordertxid: t.orderId, postxid: 'TKH2SE-M7IF5-CFI7LT', pair: t.pair.key, time: t.time / 1000, type: t.side, ordertype: 'limit',
    price: atPrecision(t.price, 5), cost: atPrecision(t.cost, 5), fee: atPrecision(t.fee, 5), vol: atPrecision(t.qty, 8), margin: '0.00000', misc: '',
    trade_id: t.tradeId, maker: t.maker,
  };
}

/** An open order in an executions snapshot: the full order fields. */
function orderEntry(o: FakeOrder): ExecEvent {
  return {
    order_id: o.orderId, ...(o.clOrdId ? { cl_ord_id: o.clOrdId } : {}), symbol: o.pair.symbol, order_qty: o.qty, cum_qty: o.filled, cum_cost: o.cost,
    time_in_force: 'GTC', exec_type: 'new', side: o.side, order_type: 'limit', limit_price: o.limit, order_status: o.filled === '0' ? 'new' : 'partially_filled',
    timestamp: rfc3339(o.openedMs),
  };
}

function tradeEntry(t: FakeTrade): ExecEvent {
  return {
    order_id: t.orderId, exec_id: t.txid, exec_type: 'trade', trade_id: t.tradeId, symbol: t.pair.symbol, side: t.side, last_qty: t.qty, last_price: t.price,
    liquidity_ind: t.maker ? 'm' : 't', cost: t.cost, order_type: 'limit', timestamp: rfc3339(t.time), fee_usd_equiv: t.fee, fees: [{ asset: 'USD', qty: t.fee }],
  };
}
