import type { BrokerdCancel, BrokerdMsg, BrokerdOrder } from '../../protocol/orders.js';
import type { MktPair } from '../../protocol/types.js';
import { VenueSocket, type Backoff } from '../net/venue-socket.js';
import type { TradeDialog, VenueFill, VenueOrder } from '../trade-dialog.js';
import { parseExact, stringifyWithNumbers } from './exact-json.js';
import { Executions } from './executions.js';
import { KrakenQueries } from './private-queries.js';
import { KrakenPrivateRest } from './private-rest.js';
import type { RetryPolicy } from './rest.js';
import { BROKER, fqmeOfSymbol, symbolOfMkt } from './symbols.js';

/**
 * brokerd.kraken's dialog (K7): a WS token from `GetWebSocketsToken`, the `executions` channel on ws-auth v2 (acks,
 * fills, cancels), and orders over the same socket: add_order (cl_ord_id = our oid), amend_order (Kraken amends
 * in place, keeping the order id and, where it can, queue priority: no cancel-replace needed) and cancel_order.
 * A refusal is a BrokerdError with Kraken's own words ("EOrder:Insufficient funds"). Requests whose answer a
 * disconnect swallowed are settled after the reconnect: an add_order is looked up by cl_ord_id before it is sent
 * again, so a retry never doubles an order. Queries go over signed REST (private-queries.ts).
 */
export interface KrakenDialogOptions {
  restUrl: string;
  wsAuthUrl: string;
  apiKey: string;
  apiSecret: string;
  market: (fqme: string) => MktPair | undefined;
  log: (line: string) => void;
  now?: () => number;
  retry?: RetryPolicy;
  staleMs?: number;
  backoff?: Backoff;
  pingMs?: number;
  /** An answer not back after this long was lost (a stall, a dropped frame): the request is settled (default 10 s). */
  answerTimeoutMs?: number;
}

const LIVE_ACCOUNT = 'live';
/** Decimal params written as bare JSON numbers, digit for digit. */
const NUMERIC = new Set(['limit_price', 'order_qty']);
/** A token is good for 15 minutes until a subscription uses it; fetch a fresh one after this. */
const TOKEN_TTL_MS = 10 * 60_000;
/** Venue and local clocks differ: snapshot fills this much older than our last message are still checked. */
const SNAPSHOT_FILL_MARGIN_MS = 60_000;

/** A request sent (or waiting for the private stream) and not answered yet; `tries`: sends so far. */
type Pending = ({ kind: 'add'; order: BrokerdOrder; symbol: string } | { kind: 'amend'; order: BrokerdOrder } | { kind: 'cancel'; cancel: BrokerdCancel }) & {
  sent: boolean;
  tries: number;
  timer?: NodeJS.Timeout;
};
type AddPending = Extract<Pending, { kind: 'add' }>;
const MAX_TRIES = 3;

export class KrakenDialog implements TradeDialog {
  readonly broker = BROKER;
  readonly account = LIVE_ACCOUNT;
  private readonly rest: KrakenPrivateRest;
  private readonly queries: KrakenQueries;
  private readonly exec: Executions;
  private readonly now: () => number;
  private socket: VenueSocket | null = null;
  private token: { value: string; at: number } | null = null;
  private emitTo: (m: BrokerdMsg) => void = () => {};
  private readonly pending = new Map<number, Pending>();
  private reqId = 0;
  private subscribed = false;
  private everSubscribed = false;
  /** When the private stream was last known good: snapshot fills after it may be new. */
  private liveSince = 0;
  private expectedSeq = 0;
  private resyncing = false;
  private ready: { resolve: () => void; reject: (e: Error) => void } | null = null;
  private closed = false;

  constructor(private readonly o: KrakenDialogOptions) {
    this.now = o.now ?? Date.now;
    this.rest = new KrakenPrivateRest({ restUrl: o.restUrl, apiKey: o.apiKey, apiSecret: o.apiSecret, log: o.log, ...(o.retry ? { retry: o.retry } : {}) });
    this.queries = new KrakenQueries(this.rest, o.log);
    this.exec = new Executions({ account: LIVE_ACCOUNT, emit: (m) => this.emitTo(m), fqmeOf: fqmeOfSymbol, now: this.now, log: o.log });
  }

  async connect(emit: (m: BrokerdMsg) => void): Promise<void> {
    this.emitTo = emit;
    // The first token is fetched here so bad credentials fail connect with Kraken's reason.
    await this.freshToken();
    await new Promise<void>((resolve, reject) => {
      this.ready = { resolve, reject };
      this.socket = new VenueSocket({
        name: 'kraken.auth',
        url: () => this.o.wsAuthUrl,
        subscribe: async () => {
          this.subscribed = false;
          const token = await this.freshToken();
          const snapTrades = this.everSubscribed;
          return [JSON.stringify({ method: 'subscribe', params: { channel: 'executions', token, snap_orders: true, snap_trades: snapTrades }, req_id: ++this.reqId })];
        },
        onFrame: (raw) => this.onFrame(raw),
        onState: (state, detail) => {
          if (state !== 'live' && this.subscribed) this.o.log(`kraken: private stream ${state} (${detail})`);
          // A stale link may come back by itself (same connection, same subscription); down or reconnecting may not.
          if (state === 'down' || state === 'connecting') this.subscribed = false;
        },
        ping: { everyMs: this.o.pingMs ?? 20_000, frame: () => JSON.stringify({ method: 'ping', req_id: ++this.reqId }) },
        staleAfterMs: this.o.staleMs ?? 5_000,
        ...(this.o.backoff ? { backoff: this.o.backoff } : {}),
        log: this.o.log,
      });
    });
  }

  private async freshToken(): Promise<string> {
    if (this.token && this.now() - this.token.at < TOKEN_TTL_MS) return this.token.value;
    const r = (await this.rest.call('GetWebSocketsToken')) as { token?: unknown };
    if (typeof r?.token !== 'string') throw new Error('GetWebSocketsToken answered without a token');
    this.token = { value: r.token, at: this.now() };
    return r.token;
  }

  handle(msg: BrokerdOrder | BrokerdCancel): void {
    if (!('fqme' in msg)) return this.request({ kind: 'cancel', cancel: msg, sent: false, tries: 0 });
    const mkt = this.o.market(msg.fqme);
    if (!mkt) return this.error(`unknown market ${msg.fqme}: not listed by Kraken spot`, msg.fqme, msg.oid, msg.reqid);
    if (msg.reqid !== null) return this.request({ kind: 'amend', order: msg, sent: false, tries: 0 });
    // A retried submit: the order exists (or its add_order is in flight), so it is acked again, never re-sent.
    const known = this.exec.byOid.get(msg.oid);
    if (known) return this.emitTo({ type: 'ack', reqid: known, oid: msg.oid, account: this.account });
    for (const p of this.pending.values()) if (p.kind === 'add' && p.order.oid === msg.oid) return;
    this.request({ kind: 'add', order: msg, symbol: symbolOfMkt(mkt), sent: false, tries: 0 });
  }

  private request(p: Pending): void {
    const id = ++this.reqId;
    this.pending.set(id, p);
    if (this.subscribed) this.send(id, p);
  }

  private send(id: number, p: Pending): void {
    let frame: string;
    try {
      frame = this.frameOf(id, p);
    } catch (e) {
      // Not a plain decimal price or size: refused here with the reason, never thrown at emsd.
      this.pending.delete(id);
      return this.failPending(p, (e as Error).message);
    }
    p.sent = this.socket?.send(frame) ?? false;
    if (!p.sent) return;
    p.tries++;
    clearTimeout(p.timer);
    p.timer = setTimeout(() => this.onAnswerTimeout(id), this.o.answerTimeoutMs ?? 10_000);
    p.timer.unref?.();
  }

  private frameOf(id: number, p: Pending): string {
    const token = this.token?.value;
    if (p.kind === 'add') {
      const o = p.order;
      return stringifyWithNumbers({ method: 'add_order', params: { order_type: 'limit', side: o.action, limit_price: o.price, order_qty: o.size, symbol: p.symbol, cl_ord_id: o.oid, token }, req_id: id }, NUMERIC);
    }
    if (p.kind === 'amend') {
      const o = p.order;
      return stringifyWithNumbers({ method: 'amend_order', params: { order_id: o.reqid, order_qty: o.size, limit_price: o.price, token }, req_id: id }, NUMERIC);
    }
    return JSON.stringify({ method: 'cancel_order', params: { order_id: [p.cancel.reqid], token }, req_id: id });
  }

  /** No answer: an add is looked up by cl_ord_id (it may exist); an amend or cancel is idempotent and sent again. */
  private onAnswerTimeout(id: number): void {
    const p = this.pending.get(id);
    if (!p || !this.subscribed) return;
    this.o.log(`kraken: no answer to ${p.kind} request ${id} after ${this.o.answerTimeoutMs ?? 10_000} ms; settling it`);
    this.pending.delete(id);
    if (p.kind === 'add') void this.settleAdd(p);
    else if (p.tries >= MAX_TRIES) this.failPending(p, `no answer from Kraken to ${p.kind} after ${p.tries} tries`);
    else this.request({ ...p, sent: false });
  }

  private failPending(p: Pending, reason: string): void {
    if (p.kind === 'cancel') this.error(reason, this.fqmeOfReqid(p.cancel.reqid), p.cancel.oid, p.cancel.reqid);
    else this.error(reason, p.order.fqme, p.order.oid, p.order.reqid);
  }

  private error(reason: string, fqme: string, oid: string | null, reqid: string | null): void {
    this.emitTo({ type: 'error', reason, fqme, oid, reqid });
  }

  private onFrame(raw: string): void {
    let m: Record<string, unknown>;
    try {
      m = parseExact(raw) as Record<string, unknown>;
    } catch {
      this.o.log(`kraken: unreadable private frame (${raw.length} bytes) ignored`);
      return;
    }
    if (!m || typeof m !== 'object') {
      this.o.log('kraken: private frame is not a JSON object; ignored');
      return;
    }
    if (m.channel === 'executions') return this.onExecutions(m);
    if (m.channel === 'heartbeat' || m.method === 'pong' || m.channel === 'status') return;
    if (m.method === 'subscribe') return this.onSubscribed(m);
    if (m.method === 'add_order' || m.method === 'amend_order' || m.method === 'cancel_order') return this.onAnswer(m);
    this.o.log(`kraken: private frame not understood: ${raw.slice(0, 120)}`);
  }

  private onSubscribed(m: Record<string, unknown>): void {
    if (m.success !== true) {
      const reason = typeof m.error === 'string' ? m.error : 'subscribe refused';
      this.o.log(`kraken: executions subscription refused: ${reason}`);
      this.token = null;
      if (!this.everSubscribed) {
        this.ready?.reject(new Error(`Kraken refused the executions subscription: ${reason}`));
        this.ready = null;
        void this.close();
      } else this.socket?.reconnectNow('executions subscription refused');
      return;
    }
    this.subscribed = true;
    this.expectedSeq = 0;
    this.resyncing = false;
    const first = !this.everSubscribed;
    this.everSubscribed = true;
    this.ready?.resolve();
    this.ready = null;
    if (!first) void this.settlePending();
    else for (const [id, p] of this.pending) if (!p.sent) this.send(id, p);
  }

  private onExecutions(m: Record<string, unknown>): void {
    // After a gap, frames still queued from the old connection are moot: the new subscription's snapshot covers them.
    if (this.resyncing) return;
    const seq = Number(m.sequence);
    if (!Number.isInteger(seq)) this.o.log(`kraken: executions message without a sequence number; gap check skipped`);
    else if (this.expectedSeq !== 0 && seq !== this.expectedSeq) {
      // A lost event could be a fill: reconnect for a fresh snapshot (open orders + recent fills, deduped).
      this.o.log(`kraken: executions sequence gap (expected ${this.expectedSeq}, got ${seq}); resubscribing`);
      this.resyncing = true;
      this.socket?.reconnectNow('executions sequence gap');
      return;
    } else this.expectedSeq = seq + 1;
    const type = m.type === 'snapshot' ? 'snapshot' : 'update';
    const data = Array.isArray(m.data) ? (m.data as Record<string, unknown>[]) : [];
    const working = type === 'snapshot' ? this.exec.openIds() : [];
    // Snapshot fills newer than the last message before a break may be new (older ones are known; exec_id dedupes).
    this.exec.apply(type, data, this.liveSince - SNAPSHOT_FILL_MARGIN_MS);
    this.liveSince = this.now();
    // Orders we thought working that the snapshot no longer lists ended while we were away: ask how.
    const listed = new Set(data.filter((e) => e?.exec_type !== 'trade').map((e) => e?.order_id));
    const ended = working.filter((id) => !listed.has(id));
    if (ended.length) void this.settleEnded(ended);
  }

  private async settleEnded(ids: string[]): Promise<void> {
    let found: Map<string, VenueOrder>;
    try {
      found = await this.queries.ordersByTxid(ids);
    } catch (e) {
      this.o.log(`kraken: could not query ${ids.length} orders that ended during a disconnect: ${(e as Error).message}`);
      return;
    }
    for (const id of ids) {
      const v = found.get(id);
      if (v) this.exec.adopt(v, this.exec.orders.get(id)?.symbol ?? '');
      else this.o.log(`kraken: order ${id} is neither working nor known to QueryOrders`);
    }
  }

  private onAnswer(m: Record<string, unknown>): void {
    const id = Number(m.req_id);
    const p = this.pending.get(id);
    if (!p) return;
    // cancel_order answers once per order; we cancel one order per request.
    this.pending.delete(id);
    clearTimeout(p.timer);
    const result = (m.result ?? {}) as Record<string, unknown>;
    const error = typeof m.error === 'string' ? m.error : 'refused without a reason';
    if (p.kind === 'add') {
      const o = p.order;
      if (m.success === true && typeof result.order_id === 'string') {
        this.exec.learn(result.order_id, { oid: o.oid, symbol: p.symbol, side: o.action, qty: o.size, limit: o.price });
      } else if (/Duplicate/i.test(error)) void this.settleAdd(p);
      else this.error(error, o.fqme, o.oid, null);
      return;
    }
    if (m.success !== true) this.failPending(p, error);
  }

  private fqmeOfReqid(reqid: string): string {
    const symbol = this.exec.orders.get(reqid)?.symbol;
    return symbol ? fqmeOfSymbol(symbol) : '';
  }

  /** After a reconnect: unanswered add_orders are looked up first; everything else is sent again. */
  private async settlePending(): Promise<void> {
    for (const [id, p] of [...this.pending]) {
      if (p.kind !== 'add' || !p.sent) {
        this.send(id, p);
        continue;
      }
      this.pending.delete(id);
      clearTimeout(p.timer);
      await this.settleAdd(p);
    }
  }

  /** An add_order whose fate is unknown (or that Kraken calls a duplicate): the venue's order if any, else resend. */
  private async settleAdd(p: AddPending): Promise<void> {
    const o = p.order;
    let found: VenueOrder | null;
    try {
      found = await this.queries.queryOrder(o.fqme, o.oid);
    } catch (e) {
      return this.error(`could not settle order ${o.oid} after a lost answer: ${(e as Error).message}`, o.fqme, o.oid, null);
    }
    if (found) this.exec.adopt(found, p.symbol);
    else if (p.tries >= MAX_TRIES) this.error(`Kraken never answered or refused order ${o.oid} (${p.tries} tries) and does not list it`, o.fqme, o.oid, null);
    else this.request({ ...p, sent: false });
  }

  openOrders(): Promise<VenueOrder[]> {
    return this.queries.openOrders();
  }

  queryOrder(fqme: string, oid: string): Promise<VenueOrder | null> {
    return this.queries.queryOrder(fqme, oid);
  }

  fills(fqme: string, sinceMs: number): Promise<VenueFill[]> {
    return this.queries.fills(fqme, sinceMs);
  }

  balances(): Promise<Record<string, string>> {
    return this.queries.balances();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.socket?.close();
    this.socket = null;
    this.subscribed = false;
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
    this.ready?.reject(new Error('dialog closed'));
    this.ready = null;
  }
}
