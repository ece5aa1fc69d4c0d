import { compareDec, subDec } from '../../protocol/decimal.js';
import type { BrokerdCancel, BrokerdMsg, BrokerdOrder } from '../../protocol/orders.js';
import type { MktPair } from '../../protocol/types.js';
import { LogLimiter } from '../net/log-limiter.js';
import { DEFAULT_BACKOFF, type Backoff } from '../net/venue-socket.js';
import type { TradeDialog, VenueFill, VenueOrder } from '../trade-dialog.js';
import { parseExecReport } from './exec-report.js';
import { LiveOrders, feeIn, type LiveOrder } from './live-orders.js';
import { fqmeOf } from './markets.js';
import { BinancePrivateRest, venueFill, venueOrder, type OrderRow } from './private-rest.js';
import { BinanceError, BinanceRest, type RestOptions } from './rest.js';
import { UserStream } from './user-stream.js';

export interface BinanceDialogOptions {
  restUrl: string;
  wsApiUrl: string;
  apiKey: string;
  apiSecret: string;
  market(fqme: string): MktPair | undefined;
  log(line: string): void;
  now?(): number;
  staleMs?: number;
  backoff?: Backoff;
  rest?: RestOptions;
  recvWindow?: number;
}

const DAY_MS = 24 * 3_600_000;

/** The venue's reason, as emsd and the trader see it. */
export function reasonOf(e: unknown): string {
  if (e instanceof BinanceError && e.code !== null) return `Binance ${e.code}: ${e.venueMsg}`;
  return (e as Error).message;
}

const isDuplicate = (e: unknown) => e instanceof BinanceError && e.code === -2010 && /duplicate/i.test(e.venueMsg);

/**
 * brokerd.binance's dialog with Binance spot. Orders go out over signed REST (B3): LIMIT GTC with our oid as
 * newClientOrderId, so a retried place is the same order (the venue answers -2010 "Duplicate order sent." and we
 * report the order it has); cancels by origClientOrderId; a modify is cancel-then-place under the same client order
 * id (only documented endpoints, no dependence on a symbol's cancelReplaceAllowed, and the cancel's answer gives
 * the exact quantity already filled, so the replacement is for what remains). Acks, fills, cancels and rejects
 * come from the user data stream on the WebSocket API (B4). Requests for one oid run one after another.
 * The API key and secret never reach a log line: every line passes a redaction of both.
 */
export class BinanceDialog implements TradeDialog {
  readonly broker = 'binance';
  readonly account = 'live';
  private emit: (m: BrokerdMsg) => void = () => {};
  private readonly log: (line: string) => void;
  private readonly now: () => number;
  private readonly api: BinancePrivateRest;
  private readonly stream: UserStream;
  private readonly orders: LiveOrders;
  private readonly chains = new Map<string, Promise<void>>();
  private closed = false;

  constructor(private readonly o: BinanceDialogOptions) {
    const secrets = [o.apiKey, o.apiSecret].filter((s) => s.length >= 4);
    this.log = (line) => o.log(secrets.reduce((l, s) => l.split(s).join('***'), line));
    this.now = o.now ?? Date.now;
    const rest = new BinanceRest(o.restUrl, { log: this.log, ...o.rest });
    this.api = new BinancePrivateRest(rest, { apiKey: o.apiKey, apiSecret: o.apiSecret, now: this.now, recvWindow: o.recvWindow });
    this.orders = new LiveOrders((m) => !this.closed && this.emit(m), this.account, this.now, o.market, this.log);
    this.stream = new UserStream({
      url: o.wsApiUrl,
      apiKey: o.apiKey,
      apiSecret: o.apiSecret,
      now: () => this.api.venueNow(),
      staleMs: o.staleMs ?? 10_000,
      backoff: o.backoff ?? DEFAULT_BACKOFF,
      log: this.log,
      logs: new LogLimiter(this.log),
      onEvent: (e) => this.onEvent(e),
      onResubscribed: () => void this.catchUp().catch((e) => this.log(`binance: catch-up after reconnect failed: ${reasonOf(e)}`)),
    });
  }

  async connect(emit: (m: BrokerdMsg) => void): Promise<void> {
    this.emit = emit;
    // The subscription is signed with a timestamp the venue checks: start from its clock, not ours.
    await this.api.syncClock().catch((e: unknown) => this.log(`binance: clock sync failed (${reasonOf(e)}); using the local clock`));
    await this.stream.start();
  }

  handle(msg: BrokerdOrder | BrokerdCancel): void {
    const work = 'price' in msg ? (msg.reqid === null ? () => this.place(msg) : () => this.modify(msg)) : () => this.cancel(msg);
    const prev = this.chains.get(msg.oid) ?? Promise.resolve();
    const next = prev.then(work).catch((e: unknown) => this.log(`binance: ${msg.oid}: ${reasonOf(e)}`));
    this.chains.set(msg.oid, next);
    void next.then(() => this.chains.get(msg.oid) === next && this.chains.delete(msg.oid));
  }

  async openOrders(): Promise<VenueOrder[]> {
    return (await this.api.openOrders()).map((r) => venueOrder(r, fqmeOf('spot', r.symbol, null)));
  }

  async queryOrder(fqme: string, oid: string): Promise<VenueOrder | null> {
    const row = await this.api.order(this.symbolOf(fqme), { clientOrderId: oid });
    return row && venueOrder(row, fqme);
  }

  /**
   * myTrades in windows of at most 24 h (the venue's limit for a time range); a window holding more than a page
   * continues by trade id (fromId, which the venue takes only without a time range) until past the window.
   */
  async fills(fqme: string, sinceMs: number): Promise<VenueFill[]> {
    const symbol = this.symbolOf(fqme);
    const mkt = this.o.market(fqme);
    const byTid = new Map<number, VenueFill>();
    const end = this.now();
    for (let from = sinceMs; from <= end; from += DAY_MS) {
      const to = Math.min(end, from + DAY_MS - 1);
      let page = await this.api.myTrades({ symbol, startTime: from, endTime: to });
      for (;;) {
        const inWindow = page.filter((t) => t.time <= to);
        for (const t of inWindow) byTid.set(t.id, venueFill(t, fqme, this.orders.byReqid(t.orderId)?.oid ?? null, (c, a, p) => feeIn(mkt, c, a, p), this.now()));
        if (page.length < 1000 || inWindow.length < page.length) break;
        page = await this.api.myTrades({ symbol, fromId: page[page.length - 1]!.id + 1 });
      }
    }
    return [...byTid.values()].sort((a, b) => a.brokerTime - b.brokerTime || Number(a.tid) - Number(b.tid));
  }

  balances(): Promise<Record<string, string>> {
    return this.api.balances();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stream.close();
    await Promise.allSettled([...this.chains.values()]);
  }

  private symbolOf(fqme: string): string {
    const m = this.o.market(fqme);
    if (!m || m.broker !== 'binance') throw new Error(`unknown Binance market ${fqme}`);
    if (m.venue !== 'spot') throw new Error(`${fqme}: brokerd.binance trades spot only`);
    return m.bsMktid;
  }

  private onEvent(e: Record<string, unknown>): void {
    if (e.e !== 'executionReport') return; // balances, list status: the ledger is ours
    const r = parseExecReport(e);
    if (typeof r === 'string') {
      this.log(`binance user stream: ${r}`);
      return;
    }
    this.orders.onReport(r, fqmeOf('spot', r.symbol, null));
  }

  private async place(msg: BrokerdOrder): Promise<void> {
    let symbol: string;
    try {
      symbol = this.symbolOf(msg.fqme);
    } catch (e) {
      return this.orders.error({ oid: msg.oid, fqme: msg.fqme }, msg.fqme, null, reasonOf(e));
    }
    const o = this.orders.track(msg.oid, msg.fqme, symbol, msg.action, msg.size);
    o.size = msg.size;
    o.expectNew = true;
    try {
      this.orders.ack(o, await this.api.placeLimit(symbol, msg.action, msg.price, msg.size, msg.oid));
    } catch (e) {
      if (isDuplicate(e) || (e instanceof BinanceError && e.unknownOutcome)) return this.adoptExisting(o, e, msg);
      o.expectNew = false;
      this.orders.error(o, msg.fqme, null, reasonOf(e));
    }
  }

  /**
   * The venue has (or may have) this client order id already: a retried place, or a place whose answer was
   * lost. The order it holds is the order; if it has none (a lost request), the place goes out once more.
   */
  private async adoptExisting(o: LiveOrder, cause: unknown, msg: BrokerdOrder): Promise<void> {
    const row = await this.api.order(o.symbol, { clientOrderId: o.oid });
    if (row && row.status !== 'CANCELED' && row.status !== 'EXPIRED' && row.status !== 'REJECTED') {
      this.log(`binance: ${o.oid} is already at the venue as order ${row.orderId} (${reasonOf(cause)})`);
      this.orders.ack(o, row.orderId);
      o.filled.set(row.orderId, row.executedQty);
      return this.orders.status(o, row.orderId, row.status === 'FILLED' ? 'closed' : 'open', row.status === 'FILLED' ? 'filled' : 'open at Binance');
    }
    if (isDuplicate(cause)) return this.orders.error(o, msg.fqme, null, reasonOf(cause));
    try {
      this.orders.ack(o, await this.api.placeLimit(o.symbol, msg.action, msg.price, msg.size, msg.oid));
    } catch (e) {
      o.expectNew = false;
      this.orders.error(o, msg.fqme, null, reasonOf(e));
    }
  }

  private async modify(msg: BrokerdOrder): Promise<void> {
    const o = this.orders.get(msg.oid);
    if (!o || o.reqid === null) return this.orders.error({ oid: msg.oid, fqme: msg.fqme }, msg.fqme, msg.reqid, 'cannot modify: Binance order unknown to this session');
    const old = o.reqid;
    o.replaced.add(old);
    let canceled: OrderRow;
    try {
      canceled = await this.api.cancel(o.symbol, o.oid);
    } catch (e) {
      o.replaced.delete(old);
      this.orders.error(o, o.fqme, old, `modify refused: ${reasonOf(e)}`);
      return this.settleAfterFailedCancel(o, old);
    }
    o.filled.set(old, canceled.executedQty);
    const rest = subDec(msg.size, this.orders.carried(o));
    o.size = msg.size;
    if (compareDec(rest, '0') <= 0) {
      o.replaced.delete(old);
      return this.orders.status(o, old, 'canceled', `modify to ${msg.size} leaves nothing to place (filled ${this.orders.carried(o)}): canceled`);
    }
    o.expectNew = true;
    try {
      this.orders.ack(o, await this.api.placeLimit(o.symbol, o.action, msg.price, rest, o.oid));
    } catch (e) {
      o.expectNew = false;
      o.replaced.delete(old);
      this.orders.status(o, old, 'canceled', `modify failed after its cancel, the order is canceled: ${reasonOf(e)}`);
    }
  }

  private async cancel(msg: BrokerdCancel): Promise<void> {
    const o = this.orders.get(msg.oid) ?? (await this.recover(msg.oid, msg.reqid));
    if (!o) return this.orders.error(null, '', msg.reqid, `cancel: Binance has no open order ${msg.reqid}`);
    try {
      const row = await this.api.cancel(o.symbol, o.oid);
      o.filled.set(row.orderId, row.executedQty);
      this.orders.status(o, row.orderId, 'canceled', 'canceled at Binance');
    } catch (e) {
      this.orders.error(o, o.fqme, msg.reqid, reasonOf(e));
      await this.settleAfterFailedCancel(o, msg.reqid);
    }
  }

  /** A cancel refused (-2011) usually means the order is already done: say how it ended. */
  private async settleAfterFailedCancel(o: LiveOrder, reqid: string): Promise<void> {
    const row = await this.api.order(o.symbol, { orderId: reqid }).catch(() => null);
    if (!row) return;
    o.filled.set(reqid, row.executedQty);
    if (row.status === 'FILLED') this.orders.status(o, reqid, 'closed', 'filled');
    else if (row.status === 'CANCELED' || row.status === 'EXPIRED') this.orders.status(o, reqid, 'canceled', `${row.status.toLowerCase()} at Binance`);
  }

  /** An order of an earlier session: found among the open orders by its venue id. */
  private async recover(oid: string, reqid: string): Promise<LiveOrder | undefined> {
    const row = (await this.api.openOrders()).find((r) => r.orderId === reqid || r.clientOrderId === oid);
    if (!row) return undefined;
    const o = this.orders.track(row.clientOrderId, fqmeOf('spot', row.symbol, null), row.symbol, row.side, row.origQty);
    o.reqid = row.orderId;
    o.base.set(row.orderId, '0');
    o.filled.set(row.orderId, row.executedQty);
    return o;
  }

  /**
   * After the user stream came back, events of the break may be lost: every order still working is asked for,
   * its missed fills are fetched by order id, and its status is told again.
   */
  private async catchUp(): Promise<void> {
    for (const o of this.orders.all()) {
      const reqid = o.reqid;
      if (reqid === null || o.terminal.has(reqid)) continue;
      const row = await this.api.order(o.symbol, { orderId: reqid });
      if (!row) continue;
      if (compareDec(row.executedQty, o.filled.get(reqid) ?? '0') > 0) {
        for (const t of await this.api.myTrades({ symbol: o.symbol, orderId: reqid })) {
          this.orders.fill(o, reqid, { tid: String(t.id), price: t.price, size: t.qty, commission: t.commission, commissionAsset: t.commissionAsset, time: t.time }, row.executedQty);
        }
      }
      o.filled.set(reqid, row.executedQty);
      if (row.status === 'FILLED') this.orders.status(o, reqid, 'closed', 'filled while the stream was down');
      else if (row.status === 'CANCELED' || row.status === 'EXPIRED') this.orders.status(o, reqid, 'canceled', `${row.status.toLowerCase()} while the stream was down`);
      else this.orders.status(o, reqid, 'open', 'open at Binance');
    }
  }
}
