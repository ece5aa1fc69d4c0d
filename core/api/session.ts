import type { ServerConnection } from './connection.js';
import { parseRequest, ProtocolError, requestIdOf } from '../protocol/validate.js';
import type { ErrorBody, EventName, Events, Method, Params, ReconcileReport, RequestMsg, Result } from '../protocol/messages.js';
import type { Timeframe } from '../protocol/types.js';
import type { OhlcBuffer } from '../data/ohlc-buffer.js';
import { COLUMNS, HEADER_BYTES } from '../protocol/frames.js';
import { BarStream } from './bar-stream.js';
import { QuoteQueue } from './quote-queue.js';
import type { ApiContext } from './context.js';
import { DatadError } from '../data/datad-service.js';

/** Above this many unsent bytes a connection gets no new updates until it drains (they coalesce). */
export const SLOW_CLIENT_BYTES = 1 << 20;
const MAX_STREAMS = 64;
const DEFAULT_SNAPSHOT_ROWS = 5_000;

/** `after` runs once the reply is sent: frames that the reply's ids announce go out behind it. */
type Handler<M extends Method> = (p: Params<M>, after: (() => void)[]) => Promise<Result<M>> | Result<M>;

/** One connected client: its requests, its subscriptions, and what has been sent to it. */
export class Session {
  private streams = new Map<number, BarStream>();
  private quotes = new Map<string, QuoteQueue>();
  /** Markets this client placed, modified or canceled orders on, or was listed working orders of (orders.active). */
  private ordersOn = new Set<string>();
  private nextStreamId = 1;
  /** Reconciliation reports sent to this client, by id: each goes out once, broadcast or caught up on. */
  private readonly reportsSent = new Set<string>();
  closed = false;
  /** Updates withheld because the client was slow; re-tried on the next flush. */
  behind = false;

  constructor(
    private readonly conn: ServerConnection,
    private readonly ctx: ApiContext,
  ) {
    conn.onMessage((data) => void this.receive(data));
    conn.onClose(() => {
      this.closed = true;
      ctx.detach(this);
    });
  }

  get label(): string {
    return this.conn.label;
  }

  /**
   * Whether this client gets the `status` events of orders on `fqme`: it follows the market when it streams its
   * bars or quotes (it draws the order lines), and also when it has placed, modified or canceled an order there or
   * was listed one by orders.active (what it sent or shows must not go stale because it charts another market, or
   * none: a CLI or script places orders without charting). The rest of the statuses are other markets' business;
   * positions, fills and alerts still go to every client.
   */
  follows(fqme: string): boolean {
    if (this.ordersOn.has(fqme) || this.quotes.has(fqme)) return true;
    for (const s of this.streams.values()) if (s.fqme === fqme) return true;
    return false;
  }

  /** Follows the market of an order this client sends or is shown, before any of its statuses can go out. */
  private followOrders(fqme: unknown): void {
    if (typeof fqme === 'string' && fqme) this.ordersOn.add(fqme.toLowerCase());
  }

  emit<E extends EventName>(event: E, data: Events[E]): void {
    if (!this.closed) this.conn.sendText(JSON.stringify({ event, data }));
  }

  /**
   * A reconciliation report, unless this client already has it: the broadcast when it finishes and the catch-up after
   * `orders.active` (a client that connected later) can both offer it.
   */
  sendReconcile(report: ReconcileReport): void {
    if (this.closed || this.reportsSent.has(report.id)) return;
    this.reportsSent.add(report.id);
    this.emit('reconcile', report);
  }

  /** An event already serialized as `{event, data}` (a broadcast serializes once for every client). */
  emitText(text: string): void {
    if (!this.closed) this.conn.sendText(text);
  }

  private reply(id: number | null, body: { result: unknown } | { error: ErrorBody }): void {
    if (!this.closed) this.conn.sendText(JSON.stringify({ id, ...body }));
  }

  private async receive(data: string | ArrayBuffer): Promise<void> {
    let req: RequestMsg;
    try {
      if (typeof data !== 'string') throw new ProtocolError('bad_request', 'binary messages are not accepted from clients');
      req = parseRequest(data);
    } catch (e) {
      const err = e as ProtocolError;
      this.ctx.log(`${this.label}: rejected message: ${err.message}`);
      return this.reply(requestIdOf(e), { error: { code: err.code ?? 'bad_request', message: err.message } });
    }
    try {
      const handler = this.handlers[req.method] as Handler<Method>;
      const after: (() => void)[] = [];
      const result = await handler(req.params, after);
      this.reply(req.id, { result });
      for (const fn of after) fn();
    } catch (e) {
      this.reply(req.id, { error: toErrorBody(e) });
      if (!(e instanceof ProtocolError || e instanceof DatadError)) this.ctx.log(`${this.label}: ${req.method} failed: ${(e as Error).stack}`);
    }
  }

  private handlers: { [M in Method]: Handler<M> } = {
    hello: () => ({ version: this.ctx.version, backends: this.ctx.backends(), serverTime: Date.now() }),
    'services.list': () => this.ctx.registry.list(),
    'feeds.status': () => this.ctx.hub.status(),
    'symbols.search': (p) => this.ctx.hub.search(p.pattern, p.limit ?? 50),
    'mkt.info': (p) => this.ctx.hub.mktInfo(p.fqme),
    'bars.subscribe': async (p, after) => {
      if (this.streams.size >= MAX_STREAMS) throw new ProtocolError('bad_params', `at most ${MAX_STREAMS} bar streams per client`);
      const feed = await this.ctx.hub.open(p.fqme);
      const buf = feed.buffers.get(p.timeframe)!;
      const stream = new BarStream(this.nextStreamId++, feed.fqme, p.timeframe, buf);
      this.streams.set(stream.streamId, stream);
      after.push(() => this.sendBinary(stream.snapshot(p.count ?? DEFAULT_SNAPSHOT_ROWS)));
      return { streamId: stream.streamId, fqme: feed.fqme, timeframe: p.timeframe, first: buf.first, last: buf.last };
    },
    'bars.range': (p, after) => {
      const stream = this.stream(p.streamId);
      const frame = stream.range(p.from, p.to);
      after.push(() => this.sendBinary(frame));
      return { rows: (frame.byteLength - HEADER_BYTES) / (8 * COLUMNS.length) };
    },
    'bars.unsubscribe': (p) => {
      this.stream(p.streamId);
      this.streams.delete(p.streamId);
      return { ok: true };
    },
    'quotes.subscribe': async (p) => {
      const feed = await this.ctx.hub.open(p.fqme);
      if (!this.quotes.has(feed.fqme)) this.quotes.set(feed.fqme, new QuoteQueue());
      return { fqme: feed.fqme };
    },
    'quotes.unsubscribe': (p) => {
      this.quotes.delete(p.fqme);
      return { ok: true };
    },
    'orders.submit': (p) => {
      this.followOrders(p.order?.fqme);
      return this.ctx.ems.submit(p.order, { confirmStale: p.confirmStale === true });
    },
    'orders.cancel': (p) => {
      this.followOrders(p.cancel?.fqme);
      return this.ctx.ems.cancel(p.cancel);
    },
    'orders.cancelAll': async (p) => {
      this.followOrders(p.fqme);
      return { canceled: await this.ctx.ems.cancelAll(p.fqme?.toLowerCase()) };
    },
    'orders.active': (_p, after) => {
      const active = this.ctx.ems.active();
      for (const s of active) this.followOrders(s.req?.fqme);
      // Asking for the order list is how a client starts following orders: one that missed a venue's start-up
      // reconciliation (connected after it) hears it now, behind the list it redraws from.
      after.push(() => {
        for (const r of this.ctx.ems.reconciliations()) this.sendReconcile(r);
      });
      return active;
    },
    'accounts.list': () => this.ctx.ems.accounts(),
    'positions.list': () => this.ctx.ems.positions(),
    'fills.recent': (p) => this.ctx.ems.recentFills(p.limit ?? 100),
    'history.export': async (p) => ({ ...(await this.ctx.hub.historyExport(p.fqme, p.timeframe, p.format)), timeframe: p.timeframe, format: p.format }),
    'history.gaps': (p) => this.ctx.hub.historyGaps(p.fqme),
    'layout.load': () => this.ctx.layout.get(),
    'layout.save': async (p) => {
      await this.ctx.layout.save(p.layout);
      return { ok: true };
    },
    'layout.saveWindow': async (p) => {
      await this.ctx.layout.saveWindow(p.window);
      return { ok: true };
    },
    'debug.crash': (p) => {
      if (!this.ctx.testHooks) throw new ProtocolError('unknown_method', `'debug.crash' is only available when the host runs with test hooks`);
      this.ctx.crash(p.service);
      return { ok: true };
    },
  };

  private stream(id: number): BarStream {
    const s = this.streams.get(id);
    if (!s) throw new ProtocolError('not_found', `no open bar stream ${id}`);
    return s;
  }

  private sendBinary(buf: ArrayBuffer): void {
    if (!this.closed) this.conn.sendBinary(buf);
  }

  onQuotes(fqme: string, packed: Float64Array): void {
    this.quotes.get(fqme)?.push(packed);
  }

  onBuffer(fqme: string, timeframe: Timeframe, buf: OhlcBuffer): void {
    for (const s of this.streams.values()) {
      if (s.fqme !== fqme || s.timeframe !== timeframe) continue;
      s.reset(buf);
      this.emit('stream', { streamId: s.streamId, first: buf.first, last: buf.last, reason: 'reset' });
      this.sendBinary(s.snapshot(DEFAULT_SNAPSHOT_ROWS));
    }
  }

  onHistory(fqme: string, timeframe: Timeframe, first: number): void {
    for (const s of this.streams.values()) {
      if (s.fqme === fqme && s.timeframe === timeframe) {
        this.emit('stream', { streamId: s.streamId, first, last: s.buf.last, reason: 'history' });
      }
    }
  }

  /** Sends what changed since the last flush, unless the client is still draining the previous ones. */
  flush(): void {
    if (this.closed) return;
    if (this.conn.bufferedAmount() > SLOW_CLIENT_BYTES) {
      this.behind = true;
      return;
    }
    this.behind = false;
    for (const [fqme, q] of this.quotes) {
      if (q.empty) continue;
      const { ticks, dropped } = q.drain();
      this.emit('quote', dropped > 0 ? { fqme, ticks, dropped } : { fqme, ticks });
    }
    for (const s of this.streams.values()) {
      const frame = s.update();
      if (frame) this.sendBinary(frame);
    }
  }
}

function toErrorBody(e: unknown): ErrorBody {
  if (e instanceof ProtocolError) return { code: e.code, message: e.message };
  if (e instanceof DatadError) return { code: e.code, message: e.message };
  return { code: 'internal', message: (e as Error)?.message ?? String(e) };
}
