import type { BrokerdCancel, BrokerdMsg, BrokerdOrder, BrokerdPosition, Side } from '../../protocol/orders.js';
import type { MktPair, Tick } from '../../protocol/types.js';
import { addDec, isDecimal, onTick } from '../../protocol/decimal.js';
import { BookSide } from './book.js';
import { systemClock, type Clock } from './clock.js';
import { minDec, signDec, subDec, ticksOf } from './exact.js';
import { checkFeeModel, feeFor, NO_FEES, type FeeModel } from './fees.js';
import { Positions } from './positions.js';
import { L1, QuoteLevel } from './quote.js';
import type { FillRecord, Latency, OpenOrder, WorkingOrder } from './types.js';

export interface MatcherOptions {
  /** Broker name on BrokerdPosition messages. */
  broker: string;
  market(fqme: string): MktPair | undefined;
  emit(msg: BrokerdMsg): void;
  nextReqid(): string;
  clock?: Clock;
  latency?: Partial<Latency>;
  fees?: FeeModel;
  /** The venue's own rules: why a new order (prev null) or a modify of `prev` must be refused, or null. */
  refuse?(req: BrokerdOrder, mkt: MktPair, prev: WorkingOrder | null): string | null;
  /** Called once per fill, after the order is updated and before the fill's messages go out. */
  onFill?(fill: FillRecord, order: WorkingOrder): void;
}

interface MarketBook {
  mkt: MktPair;
  buys: BookSide<WorkingOrder>;
  sells: BookSide<WorkingOrder>;
  l1: L1;
  /**
   * Orders that arrived before any opposite quote was known: they could not be judged marketable, so the first
   * quote that crosses them is the one they would have taken on arrival (taker), not one that came to them.
   */
  unquoted: Set<WorkingOrder>;
}

/**
 * Order matching against a market's quotes, shared by paperd (account 'paper') and the sim exchange's live venue.
 * Orders never match each other: they fill against the quotes, as a small order among the real book's would.
 * A marketable order takes the opposite quote at once (up to its size, the rest rests); resting orders fill at
 * the tick's price when a quote or trade crosses them. Messages go out through a queue, so a listener that
 * answers synchronously (a cancel on an ack) acts on settled state.
 */
export class Matcher {
  private readonly clock: Clock;
  private readonly latency: Latency;
  private readonly fees: FeeModel;
  private readonly books = new Map<string, MarketBook>();
  private readonly orders = new Map<string, WorkingOrder>();
  private readonly fillLog: FillRecord[] = [];
  private readonly held = new Positions();
  private readonly timers = new Set<() => void>();
  private outbox: BrokerdMsg[] = [];
  private flushing = false;
  private seq = 0;
  /** Scratch level for trade prints, which are not part of the L1 quote. */
  private readonly print = new QuoteLevel();

  constructor(private readonly opts: MatcherOptions) {
    this.clock = opts.clock ?? systemClock;
    this.latency = { ackMs: 0, openMs: 0, cancelMs: 0, ...opts.latency };
    this.fees = checkFeeModel(opts.fees ?? NO_FEES);
  }

  submit(req: BrokerdOrder): void {
    this.guarded(() => this.accept(req));
  }

  cancel(req: BrokerdCancel): void {
    this.guarded(() => this.later(this.latency.cancelMs, () => this.applyCancel(req)));
  }

  onTicks(fqme: string, ticks: readonly Tick[]): void {
    this.guarded(() => {
      const b = this.book(fqme);
      if (b) for (const t of ticks) this.onTick(b, t);
    });
  }

  /** An order that reached the venue by another route (another terminal, the venue's web page): open at once. */
  inject(req: Omit<BrokerdOrder, 'reqid' | 'oid' | 'time'>): WorkingOrder {
    const full: BrokerdOrder = { ...req, oid: '', reqid: null, time: this.clock.now() };
    const mkt = this.opts.market(req.fqme);
    const why = mkt ? (this.invalid(full, mkt) ?? this.opts.refuse?.(full, mkt, null) ?? null) : `unknown market '${req.fqme}'`;
    if (why) throw new Error(`external order refused: ${why}`);
    const o = this.create({ ...full, oid: '' }, mkt!, null, true);
    this.guarded(() => this.open(o, o.version));
    return o;
  }

  order(reqid: string): WorkingOrder | undefined {
    return this.orders.get(reqid);
  }

  /** Accepted orders not yet closed or canceled, oldest first (what reconciliation asks a venue for). */
  openOrders(account?: string): OpenOrder[] {
    const out: OpenOrder[] = [];
    for (const o of this.orders.values()) {
      if ((o.state === 'pending' || o.state === 'open') && (account === undefined || o.account === account)) out.push(snapshot(o));
    }
    return out;
  }

  fills(account: string, sinceTime = 0): FillRecord[] {
    return this.fillLog.filter((f) => f.account === account && f.time >= sinceTime);
  }

  positions(account: string): BrokerdPosition[] {
    return this.held.list(account).map((h) => this.positionMsg(h.account, h.fqme));
  }

  /** Resting orders of a market, best first per side (tests and diagnostics). */
  resting(fqme: string): { buys: OpenOrder[]; sells: OpenOrder[] } {
    const b = this.books.get(fqme);
    return { buys: b?.buys.orders().map(snapshot) ?? [], sells: b?.sells.orders().map(snapshot) ?? [] };
  }

  /** Stops pending latency timers (ack, open, cancel): nothing more is emitted for them. */
  close(): void {
    for (const stop of this.timers) stop();
    this.timers.clear();
  }

  private accept(req: BrokerdOrder): void {
    const mkt = this.opts.market(req.fqme);
    const prev = req.reqid === null ? null : (this.orders.get(req.reqid) ?? null);
    const why = !mkt
      ? `unknown market '${req.fqme}'`
      : req.reqid !== null
        ? (this.badModify(req, prev) ?? this.invalid(req, mkt) ?? this.opts.refuse?.(req, mkt, prev) ?? null)
        : (this.invalid(req, mkt) ?? this.opts.refuse?.(req, mkt, null) ?? null);
    if (why) return this.error(req.fqme, req.oid, req.reqid, why);
    const o = prev ?? this.create(req, mkt!, req.oid, false);
    // A modify is its own request: the order keeps working at its old terms until the venue applies it.
    const version = prev ? ++prev.version : o.version;
    this.later(this.latency.ackMs, () => {
      if (o.version !== version || !live(o)) return;
      this.send({ type: 'ack', reqid: o.reqid, oid: req.oid, account: o.account });
      this.later(this.latency.openMs, () => (prev ? this.applyModify(o, req, version) : this.open(o, version)));
    });
  }

  private create(req: BrokerdOrder, mkt: MktPair, oid: string | null, external: boolean): WorkingOrder {
    const o: WorkingOrder = {
      reqid: this.opts.nextReqid(),
      oid: oid || null,
      account: req.account,
      fqme: mkt.fqme,
      action: req.action,
      price: req.price,
      size: req.size,
      filled: '0',
      state: 'pending',
      key: ticksOf(req.price, mkt.priceTick),
      seq: this.seq++,
      time: this.clock.now(),
      external,
      version: 0,
      fillCount: 0,
    };
    this.orders.set(o.reqid, o);
    return o;
  }

  private open(o: WorkingOrder, version: number): void {
    if (o.version !== version || o.state !== 'pending') return;
    o.state = 'open';
    this.sendStatus(o, 'open', '');
    this.rest(o);
  }

  private applyModify(o: WorkingOrder, req: BrokerdOrder, version: number): void {
    if (o.version !== version) return;
    if (!live(o)) return this.error(o.fqme, req.oid, o.reqid, `order ${o.reqid} was ${o.state} before the modify took effect`);
    if (signDec(subDec(req.size, o.filled)) <= 0) {
      return this.error(o.fqme, req.oid, o.reqid, `new size ${req.size} is not above the ${o.filled} already filled`);
    }
    const b = this.books.get(o.fqme)!;
    if (o.state === 'open') this.side(b, o.action).remove(o);
    // Re-priced or re-sized, it queues again behind orders already at its (new) price.
    o.oid = req.oid || o.oid;
    o.price = req.price;
    o.size = req.size;
    o.key = ticksOf(req.price, b.mkt.priceTick);
    o.seq = this.seq++;
    o.state = 'open';
    this.sendStatus(o, 'open', 'modified');
    this.rest(o);
  }

  private applyCancel(req: BrokerdCancel): void {
    const o = this.orders.get(req.reqid);
    if (!o) return this.error('', req.oid, req.reqid, `cancel: unknown reqid '${req.reqid}'`);
    if (!live(o)) return this.error(o.fqme, req.oid, o.reqid, `cancel: order ${o.reqid} is already ${o.state}`);
    if (o.state === 'open') this.side(this.books.get(o.fqme)!, o.action).remove(o);
    o.state = 'canceled';
    o.version++;
    this.sendStatus(o, 'canceled', 'canceled by request');
  }

  /** Takes the opposite quote if it crosses (taker), then rests what is left (maker from then on). */
  private rest(o: WorkingOrder): void {
    const b = this.book(o.fqme)!;
    const side = this.side(b, o.action);
    const q = (o.action === 'buy' ? b.l1.ask : b.l1.bid).resolve(b.mkt);
    if (q && side.crosses(o.key, q.key)) this.take(o, q, 'taker', this.clock.now(), b.mkt);
    if (!q) b.unquoted.add(o);
    if (o.state === 'open') side.insert(o);
  }

  private onTick(b: MarketBook, t: Tick): void {
    switch (t.type) {
      case 'ask':
      case 'asize':
        if (t.type === 'ask') b.l1.ask.set(t.price, t.size, t.time);
        else b.l1.ask.setSize(t.size, t.time);
        return this.sweep(b, b.buys, b.l1.ask, t.time);
      case 'bid':
      case 'bsize':
        if (t.type === 'bid') b.l1.bid.set(t.price, t.size, t.time);
        else b.l1.bid.setSize(t.size, t.time);
        return this.sweep(b, b.sells, b.l1.bid, t.time);
      case 'trade':
      case 'last': {
        if (b.buys.length === 0 && b.sells.length === 0) return;
        // A print of size s at p is evidence of s available at p for each side: each side may fill up to s.
        this.print.set(t.price, t.size, t.time);
        this.sweep(b, b.buys, this.print, t.time);
        this.print.set(t.price, t.size, t.time);
        this.sweep(b, b.sells, this.print, t.time);
      }
    }
  }

  /** Fills the resting orders `level` crosses, best first, until its size is used up. */
  private sweep(b: MarketBook, side: BookSide<WorkingOrder>, level: QuoteLevel, brokerTime: number): void {
    if (side.length === 0) return;
    const q = level.resolve(b.mkt);
    if (!q) return;
    side.match(
      q.key,
      (o) => this.take(o, q, b.unquoted.has(o) ? 'taker' : 'maker', brokerTime, b.mkt),
      (o) => o.state === 'closed',
    );
    // An order this quote does not reach now rests in a quoted market: from here on, what crosses it came to it
    // (maker). One it reaches but could not fill (the quote's size ran out) is still taking.
    for (const o of b.unquoted) if (o.action === side.side && !side.crosses(o.key, q.key)) b.unquoted.delete(o);
  }

  /** Fills `o` against the size left at `q`; true while size is left there for the next order. */
  private take(o: WorkingOrder, q: { price: string; size: string }, liq: 'maker' | 'taker', brokerTime: number, mkt: MktPair): boolean {
    const size = minDec(subDec(o.size, o.filled), q.size);
    if (signDec(size) <= 0) return false;
    q.size = subDec(q.size, size);
    this.fill(o, q.price, size, liq, brokerTime, mkt);
    return signDec(q.size) > 0;
  }

  private fill(o: WorkingOrder, price: string, size: string, liquidity: 'maker' | 'taker', brokerTime: number, mkt: MktPair): void {
    o.filled = addDec(o.filled, size);
    const remaining = subDec(o.size, o.filled);
    if (signDec(remaining) === 0) o.state = 'closed';
    const f: FillRecord = {
      tid: `${o.reqid}-t${++o.fillCount}`,
      reqid: o.reqid,
      oid: o.oid,
      account: o.account,
      fqme: o.fqme,
      action: o.action,
      price,
      size,
      fee: feeFor(this.fees, liquidity, price, size, mkt.src.txTick),
      liquidity,
      time: this.clock.now(),
      brokerTime,
    };
    this.fillLog.push(f);
    this.opts.onFill?.(f, o);
    this.held.apply(o.account, o.fqme, o.action, price, size, mkt.priceTick);
    const { tid, reqid, action, fee, time } = f;
    this.send({ type: 'fill', time, brokerTime, reqid, tid, action, size, price, fee, brokerDetails: { liquidity, fqme: o.fqme } });
    this.sendStatus(o, o.state === 'closed' ? 'closed' : 'open', o.state === 'closed' ? 'filled' : 'partially filled');
    this.send({ type: 'position', ...this.positionMsg(o.account, o.fqme) });
  }

  /** Why the request itself is malformed for this market, or null. */
  private invalid(req: BrokerdOrder, mkt: MktPair): string | null {
    if (req.action !== 'buy' && req.action !== 'sell') return `action must be buy or sell, got '${String(req.action)}'`;
    if (!isDecimal(req.size) || signDec(req.size) <= 0) return `size must be a decimal > 0, got '${req.size}'`;
    if (!isDecimal(req.price) || signDec(req.price) <= 0) return `price must be a decimal > 0, got '${req.price}'`;
    if (!onTick(req.price, mkt.priceTick)) return `price ${req.price} is not a multiple of the price tick ${mkt.priceTick}`;
    return null;
  }

  private badModify(req: BrokerdOrder, prev: WorkingOrder | null): string | null {
    if (!prev) return `modify: unknown reqid '${req.reqid}'`;
    if (!live(prev)) return `modify: order ${prev.reqid} is already ${prev.state}`;
    if (prev.oid !== null && req.oid && prev.oid !== req.oid) return `modify: reqid ${prev.reqid} belongs to oid ${prev.oid}`;
    if (prev.action !== req.action) return `modify: cannot change side (${prev.action} -> ${req.action}); cancel and resubmit`;
    if (prev.fqme !== req.fqme) return `modify: cannot change market (${prev.fqme} -> ${req.fqme})`;
    if (prev.account !== req.account) return `modify: cannot change account (${prev.account} -> ${req.account})`;
    return null;
  }

  private book(fqme: string): MarketBook | undefined {
    let b = this.books.get(fqme);
    if (!b) {
      const mkt = this.opts.market(fqme);
      if (!mkt) return undefined;
      b = { mkt, buys: new BookSide('buy'), sells: new BookSide('sell'), l1: new L1(), unquoted: new Set() };
      this.books.set(fqme, b);
    }
    return b;
  }

  private side(b: MarketBook, action: Side): BookSide<WorkingOrder> {
    return action === 'buy' ? b.buys : b.sells;
  }

  private positionMsg(account: string, fqme: string): BrokerdPosition {
    const h = this.held.get(account, fqme)!;
    const currency = this.books.get(fqme)?.mkt.src.name ?? '';
    return { broker: this.opts.broker, account, fqme, size: h.size, avgPrice: h.avgPrice, currency };
  }

  private sendStatus(o: WorkingOrder, status: 'open' | 'canceled' | 'closed', reason: string): void {
    const remaining = o.state === 'canceled' ? '0' : subDec(o.size, o.filled);
    this.send({ type: 'status', time: this.clock.now(), reqid: o.reqid, status, oid: o.oid, account: o.account, filled: o.filled, remaining, reason });
  }

  private error(fqme: string, oid: string | null, reqid: string | null, reason: string): void {
    this.send({ type: 'error', reason, fqme, oid: oid || null, reqid });
  }

  /** Runs `fn` now when `ms` is 0 (so a zero-latency engine answers inside the call), else on the clock. */
  private later(ms: number, fn: () => void): void {
    if (ms <= 0) return fn();
    const stop = this.clock.after(ms, () => {
      this.timers.delete(stop);
      this.guarded(fn);
    });
    this.timers.add(stop);
  }

  private send(m: BrokerdMsg): void {
    this.outbox.push(m);
  }

  /** Runs a state change, then delivers what it queued; nested calls (from a listener) queue behind. */
  private guarded(fn: () => void): void {
    fn();
    if (this.flushing) return;
    this.flushing = true;
    try {
      for (let m = this.outbox.shift(); m; m = this.outbox.shift()) this.opts.emit(m);
    } finally {
      this.flushing = false;
    }
  }
}

function live(o: WorkingOrder): boolean {
  return o.state === 'pending' || o.state === 'open';
}

function snapshot(o: WorkingOrder): OpenOrder {
  const { reqid, oid, account, fqme, action, price, size, filled, state, time, external } = o;
  return { reqid, oid, account, fqme, action, price, size, filled, remaining: subDec(size, filled), state, time, external };
}
