import { join } from 'node:path';
import { STALE_MARKET_REASON, type BrokerdMsg, type Order, type Status } from '../../protocol/orders.js';
import type { EventName, Events, AccountInfo, FillInfo, PositionInfo, ReconcileReport } from '../../protocol/messages.js';
import type { MktPair, ServiceInfo, Tick } from '../../protocol/types.js';
import { parseFqme } from '../../protocol/fqme.js';
import { compareDec } from '../../protocol/decimal.js';
import { ServiceStatus, type Service, type ServiceRegistry } from '../../services/registry.js';
import type { FeedHub } from '../../data/feed-hub.js';
import { unpackTicks } from '../../data/tick-pack.js';
import { BACKENDS, knownBackends } from '../../brokers/index.js';
import { Journal, intentRecord, type AppendRecord } from '../journal/index.js';
import { Ledger } from '../../accounting/ledger.js';
import type { Position } from '../../accounting/position.js';
import { validateCancel, validateOrder, PAPER_ACCOUNT } from '../validate-order.js';
import { adoptExternal, step, submitOrder } from '../order-machine.js';
import { eventFromBrokerd, isTerminal, STATE_RESP, type OrderAction, type OrderEvent, type OrderRecord, type Transition } from '../order-state.js';
import { TriggerBook, marketableLimit } from '../trigger-book.js';
import type { Latency } from '../paper/types.js';
import type { FeeModel } from '../paper/fees.js';
import type { SimVenue } from '../../brokers/sim/venue.js';
import { BrokerdSimService, PaperdService, newSimExchange, type TradeVenue } from './venues.js';
import { BrokerdRemoteService } from './brokerd-remote.js';
import { reconcile } from './reconcile.js';
import type { TradeDialog } from '../../brokers/trade-dialog.js';
import { SIM_LIVE_ACCOUNT } from '../../brokers/sim/venue.js';
import { finishedRecord, foldRecord, recoveryPlan, type ReplayedOrder } from './recovery.js';
import { compactionDue, DEFAULT_KEEP_FINISHED, JournalMirror, type CompactionOptions } from './compaction.js';
import { DurableOutbox } from './outbox.js';
import { engineRefusal, Touches } from './engine-gate.js';

export interface EmsOptions {
  dataDir: string;
  hub: FeedHub;
  registry: ServiceRegistry;
  broadcast<E extends EventName>(event: E, data: Events[E]): void;
  log(line: string): void;
  /** How many ticks through the trigger a released dark order is priced (marketable limit). */
  ticksThrough?: number;
  paperLatency?: Partial<Latency>;
  paperFees?: FeeModel;
  /** The sim exchange's live venue: latency, fee rates and the live account's cash. */
  venue?: { latency?: Partial<Latency>; fees?: FeeModel; balance?: string };
  /**
   * A real venue's trade dialog for brokerd.<broker>, or null when it has no credentials configured (then its
   * live account does not exist and the UI says to use paper). Only called when a live order needs it.
   */
  tradeDialog?: (broker: string, market: (fqme: string) => MktPair | undefined) => TradeDialog | null;
  /** Whether `broker` has credentials, asked without starting anything. */
  canTrade?: (broker: string) => boolean;
  /** When the journal is compacted and how many finished orders stay known (compaction.ts). */
  compaction?: CompactionOptions;
  now?: () => number;
}

const RECENT_FILLS = 500;

/**
 * emsd: the order router. Every order, cancel and venue message goes through one queue, so the state machine
 * sees events in the order they happened. Intents are journaled before they are acknowledged, fills before
 * they are shown; dark orders and alerts live in per-market trigger books fed by datad's ticks, with or without
 * a window open. brokerd.<broker> is started on the first live order that needs it, and by nothing else.
 *
 * The queue does not wait for the disk: a step journals its records (taking their seqs) and goes on, and what it
 * lets out of the process (statuses, fills, the answer to a submit or cancel, an order or cancel for a real venue)
 * waits in the outbox (outbox.ts) until the records it depends on are durable. So a paper order's intent, its
 * statuses and its fill share one group commit. Status and ack records are journaled lazily: recovery does not need
 * them (recovery.ts), so they ride along with the next record someone waits for instead of holding a sync of
 * their own in front of it.
 */
export class Emsd implements Service {
  readonly name = 'emsd';
  readonly kind = 'emsd' as const;
  private readonly status: ServiceStatus;
  private readonly records = new Map<string, OrderRecord>();
  private readonly byReqid = new Map<string, string>();
  private readonly books = new Map<string, TriggerBook>();
  private readonly markets = new Map<string, MktPair>();
  private readonly ledgers = new Map<string, Ledger>();
  private readonly fills: FillInfo[] = [];
  private readonly exchanges = new Map<string, SimVenue>();
  /** Orders re-placed for what remained after a restart, by oid: the order as the client placed it (a retry of it is no modify). */
  private readonly recoveredFrom = new Map<string, Order>();
  /** Started paperd/brokerd dialogs, fed every tick (kept here: the registry's list is for display). */
  private readonly tradeVenues = new Set<TradeVenue>();
  private readonly ledgerWrites = new Set<Promise<void>>();
  /** Best bid and ask of the markets whose venue reports an engine status (post_only needs to know what crosses). */
  private readonly touches = new Touches();
  private readonly outbox: DurableOutbox;
  private queue: Promise<unknown> = Promise.resolve();
  private unlisten: () => void = () => undefined;
  private readonly now: () => number;
  /** Off after a compaction failed (the journal has failed for good then; reopening is the way back). */
  private compaction: 'idle' | 'running' | 'off' = 'idle';
  /**
   * The newest start-up reconciliation of each venue account, by `<broker>.<account>`, newest last: a client that
   * connects later is shown these (core/api/session.ts), so a venue's report is not only for whoever was there.
   */
  private readonly reconciled = new Map<string, ReconcileReport>();
  /** Settles when the start-up reconciliation is done (tests wait on it). */
  reconciling: Promise<void> = Promise.resolve();

  private constructor(
    private readonly opts: EmsOptions,
    private readonly journal: Journal,
    /** What replay would make of the journal now: the state a compaction snapshots. */
    private readonly mirror: JournalMirror,
  ) {
    this.now = opts.now ?? Date.now;
    this.status = new ServiceStatus(this.name, this.kind, () => opts.registry.changed());
    this.outbox = new DurableOutbox(journal, (e) => opts.log(`emsd: ${e.stack ?? e.message}`));
  }

  static async start(opts: EmsOptions): Promise<Emsd> {
    // Replay folds straight into the mirror (recovery.ts): what each order's records say, from the latest snapshot on.
    const replayed = new Map<string, ReplayedOrder>();
    const journal = await Journal.open(join(opts.dataDir, 'journal'), { onReplay: (e) => foldRecord(replayed, e) });
    const ems = new Emsd(opts, journal, new JournalMirror(replayed));
    for (const broker of knownBackends()) {
      for (const account of [PAPER_ACCOUNT, ...ems.liveAccounts(broker)]) await ems.ledger(broker, account);
    }
    ems.unlisten = opts.hub.listen({
      // Ticks become objects only for markets something here watches: a chart-only session pays nothing.
      onQuotes: (fqme, packed) => {
        if (opts.hub.get(fqme)?.engine != null) ems.touches.onPacked(fqme, packed);
        if (ems.books.has(fqme) || ems.tradeVenues.size > 0) ems.onQuotes(fqme, unpackTicks(packed));
      },
    });
    await ems.recover();
    ems.status.set('running');
    return ems;
  }

  info(): ServiceInfo {
    this.status.detail = {
      working: [...this.records.values()].filter((r) => !isTerminal(r.state)).length,
      triggers: [...this.books.values()].reduce((n, b) => n + b.size, 0),
      journalSeq: this.journal.lastSeq,
      journalBytes: this.journal.bytes,
      compactions: this.journal.stats.compactions,
      orders: this.records.size,
    };
    return this.status.info();
  }

  async stop(): Promise<void> {
    this.unlisten();
    await this.queue.catch(() => undefined);
    // Lets out what waits for the journal (and the ledger lines of its fills) before the files close.
    await this.journal.whenDurable(this.journal.lastSeq).catch(() => undefined);
    await this.outbox.release(undefined).catch(() => undefined);
    await Promise.allSettled([...this.ledgerWrites]);
    await this.journal.close();
    for (const l of this.ledgers.values()) await l.close();
    for (const x of this.exchanges.values()) x.close();
    this.status.set('stopped');
  }

  // ---- client side ----

  /**
   * `confirmStale`: the trader saw the stale-market warning and sends a live order anyway. Resolves once the intent
   * is durable (and everything emsd showed before it has gone out); the queue moves on before that.
   */
  submit(raw: unknown, opts: { confirmStale?: boolean } = {}): Promise<Status> {
    return this.serial(async () => ({ answer: this.outbox.release(await this.doSubmit(raw, opts.confirmStale === true)) })).then((r) => r.answer);
  }

  /** Resolves once the cancel is durable. */
  cancel(raw: unknown): Promise<Status> {
    return this.serial(async () => ({ answer: this.outbox.release(await this.doCancel(raw)) })).then((r) => r.answer);
  }

  async cancelAll(fqme?: string): Promise<number> {
    const targets = [...this.records.values()].filter((r) => !isTerminal(r.state) && !r.cancelCalled && (!fqme || r.order.fqme === fqme));
    for (const r of targets) await this.cancel({ action: 'cancel', oid: r.oid, fqme: r.order.fqme });
    return targets.length;
  }

  active(): Status[] {
    return [...this.records.values()].filter((r) => !isTerminal(r.state)).map((r) => this.statusOf(r));
  }

  accounts(): AccountInfo[] {
    const out: AccountInfo[] = [];
    for (const broker of knownBackends()) {
      out.push({ broker, account: PAPER_ACCOUNT, mode: 'paper' });
      if (!BACKENDS[broker]!.brokerd) {
        out.push({ broker, account: 'live', mode: 'paper', note: `${broker} has no trading endpoint here: use paper` });
        continue;
      }
      const live = this.liveAccounts(broker);
      if (live.length === 0) out.push({ broker, account: 'live', mode: 'paper', note: `${broker}: no API keys in config.toml [${broker}]: use paper` });
      for (const account of live) out.push({ broker, account, mode: 'live' });
    }
    return out;
  }

  /** Live accounts a broker offers without starting its brokerd: the sim always, a venue once it has credentials. */
  readonly liveAccounts = (broker: string): string[] => {
    if (broker === 'sim') return [SIM_LIVE_ACCOUNT];
    if (!BACKENDS[broker]?.brokerd) return [];
    return this.opts.canTrade?.(broker) ? ['live'] : [];
  };

  /** Positions as the ledgers hold them, once fills still being written have landed. */
  async positions(): Promise<PositionInfo[]> {
    await Promise.allSettled([...this.ledgerWrites]);
    return this.positionsNow();
  }

  private positionsNow(): PositionInfo[] {
    return [...this.ledgers.values()].flatMap((l) => l.positions().map(positionInfo));
  }

  recentFills(limit: number): FillInfo[] {
    return this.fills.slice(-limit);
  }

  /** Each venue account's newest start-up reconciliation report, oldest first. */
  reconciliations(): ReconcileReport[] {
    return [...this.reconciled.values()];
  }

  /** The newest start-up reconciliation report of any venue, null before one finished. */
  get lastReconcile(): ReconcileReport | null {
    return [...this.reconciled.values()].at(-1) ?? null;
  }

  // ---- internals ----

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch((e) => this.opts.log(`emsd: ${(e as Error).stack ?? e}`)).then(() => this.maybeCompact());
    return run;
  }

  /**
   * Journals `records` and returns the seq of the last one once the journal took them (not once they are durable:
   * what depends on them waits in the outbox). The mirror folds exactly what the journal took, in its order; a
   * refused append takes no seq and throws.
   */
  private async journaled(records: AppendRecord[]): Promise<number> {
    const before = this.journal.lastSeq;
    const done = this.journal.append(records);
    if (this.journal.lastSeq === before) {
      await done;
      throw new Error('journal refused the records');
    }
    this.mirror.append(records);
    // A failed write reaches whoever waits for durability (the outbox's outputs, a live venue's send).
    done.catch(() => undefined);
    return this.journal.lastSeq;
  }

  /** Records nobody waits for (statuses, venue acks); a failed journal is logged, not thrown. */
  private journalLazily(records: AppendRecord[]): void {
    const before = this.journal.lastSeq;
    this.journal.append(records, { lazy: true }).catch((e: Error) => this.opts.log(`emsd: journal: ${e.message}`));
    if (this.journal.lastSeq > before) this.mirror.append(records);
  }

  /** Broadcasts once the journal is durable up to `seq`, in order with everything shown before. */
  private show<E extends EventName>(event: E, data: Events[E], seq = 0): void {
    this.outbox.after(seq, () => this.opts.broadcast(event, data));
  }

  /** Queues a compaction once the journal is big enough (checked after every queued step). */
  private maybeCompact(): void {
    if (this.compaction !== 'idle' || !compactionDue(this.journal.bytes, this.journal.snapshotBytes, this.opts.compaction)) return;
    this.compaction = 'running';
    void this.serial(() => this.compact()).then(
      () => void (this.compaction = 'idle'),
      () => void (this.compaction = 'off'),
    );
  }

  /**
   * Snapshots the mirror into the journal, which then deletes the segments before it; finished orders beyond the
   * horizon are forgotten by the snapshot, the journal's index and this emsd alike (compaction.ts). Runs in the
   * queue, so the mirror holds exactly the records appended so far: the snapshot's seq is taken at the call.
   */
  private async compact(): Promise<void> {
    // Fills still on their way to a ledger must stay in the snapshot: let those in flight land first. The snapshot
    // drops the fills the ledgers hold, so their lines (written without an fsync of their own) go to disk first.
    await Promise.allSettled([...this.ledgerWrites]);
    await Promise.all([...this.ledgers.values()].map((l) => l.sync()));
    const dropped = this.mirror.prune(this.opts.compaction?.keepFinished ?? DEFAULT_KEEP_FINISHED);
    for (const oid of dropped) {
      this.records.delete(oid);
      this.recoveredFrom.delete(oid);
    }
    if (dropped.size) for (const [key, oid] of this.byReqid) if (dropped.has(oid)) this.byReqid.delete(key);
    const state = this.mirror.snapshot((r, tid) => this.ledgers.get(`${parseFqme(r.order.fqme).broker}.${r.order.account}`)?.has(tid) ?? false);
    const before = this.journal.bytes;
    await this.journal.compact(() => state, { forget: (s) => dropped.has(s.oid) });
    this.opts.log(`emsd: journal compacted, ${before} -> ${this.journal.bytes} bytes: ${state.orders.length} orders kept, ${dropped.size} finished ones forgotten`);
  }

  private async market(fqme: string): Promise<MktPair | undefined> {
    const known = this.markets.get(fqme);
    if (known) return known;
    try {
      // Opening the feed also starts the quotes paperd and the trigger book need.
      const feed = await this.opts.hub.open(fqme);
      this.markets.set(feed.fqme, feed.mkt);
      return feed.mkt;
    } catch {
      return undefined;
    }
  }

  private async doSubmit(raw: unknown, confirmStale = false): Promise<Status> {
    const fqme = typeof (raw as Order)?.fqme === 'string' ? (raw as Order).fqme.toLowerCase() : '';
    if (fqme) await this.market(fqme);
    const checked = validateOrder(raw, { market: (f) => this.markets.get(f), accounts: this.liveAccounts });
    if (!checked.ok) return this.reject(raw, checked.reason);
    const order = checked.order;
    // Refused before anything is journaled or sent: the venue would refuse it, and a trader must hear why now. A
    // retried submit of an order already taken is not a new order (it gets its status below).
    const known = this.records.get(order.oid);
    const closed = order.execMode === 'live' && !(known && sameOrder(known.order, order)) ? this.engineClosed(order) : null;
    if (closed) return this.refuse(order, closed);
    if (order.execMode === 'live' && !confirmStale) {
      const feed = this.opts.hub.get(order.fqme);
      if (feed && (feed.link === 'stale' || feed.link === 'down')) {
        return this.refuse(order, `${STALE_MARKET_REASON}: ${order.fqme} is ${feed.link} (${feed.detail}); confirm to send anyway`);
      }
    }
    const existing = this.records.get(order.oid);
    if (existing) {
      const placed = this.recoveredFrom.get(order.oid);
      if (sameOrder(existing.order, order) || (placed && sameOrder(placed, order))) return this.statusOf(existing);
      // A refused modify is never journaled: replay would take it for the order.
      const t = step(existing, { kind: 'modify', time: this.now(), order });
      if (!t.ok) return this.applyTransition(existing, t);
      const seq = await this.journaled([intentRecord(order)]);
      this.recoveredFrom.delete(order.oid);
      return this.applyTransition(existing, t, seq);
    }
    const venue = this.venueFor(order);
    if (typeof venue !== 'string') return this.reject(order, venue.error);
    // Intent first: nothing is acknowledged, shown or sent out of the process before the order is on disk.
    const seq = await this.journaled([intentRecord(order)]);
    return this.applyTransition(null, submitOrder(order, venue, this.now()), seq);
  }

  private async doCancel(raw: unknown): Promise<Status> {
    const checked = validateCancel(raw, { market: (f) => this.markets.get(f), accounts: this.liveAccounts });
    if (!checked.ok) return this.reject(raw, checked.reason);
    const rec = this.records.get(checked.order.oid);
    if (!rec) return this.reject(checked.order, `no order ${checked.order.oid} to cancel`);
    const seq = await this.journaled([{ type: 'cancel', cancel: checked.order }]);
    return this.applyTransition(rec, step(rec, { kind: 'cancel', time: this.now(), cancel: checked.order }), seq);
  }

  /** Why the venue's matching engine takes no new live order (or change) on this market now, or null (engine-gate.ts). */
  private engineClosed(order: Pick<Order, 'fqme' | 'action' | 'price'>): string | null {
    const feed = this.opts.hub.get(order.fqme);
    return feed ? engineRefusal(feed.mkt.broker, feed.engine, order, this.touches.get(order.fqme)) : null;
  }

  /** Where an order goes live: paperd for account paper, else the broker (dark orders: when triggered). */
  private venueFor(order: Order): string | { error: string } {
    const broker = parseFqme(order.fqme).broker;
    if (order.account === PAPER_ACCOUNT || order.execMode === 'paper') return 'paperd';
    if (order.action === 'alert') return 'paperd';
    if (!BACKENDS[broker]?.brokerd) return { error: `${broker} has no trading endpoint here: use paper` };
    return broker;
  }

  /**
   * A valid order refused before it is taken. A change of a working order is answered with that order as it stands
   * (every window then keeps drawing it where it is), never with the refused change as if it were the order.
   */
  private refuse(order: Order, reason: string): Status {
    const existing = this.records.get(order.oid);
    if (!existing || isTerminal(existing.state)) return this.reject(order, reason);
    const status: Status = { ...this.statusOf(existing), resp: 'error', reason, time: this.now() };
    this.opts.log(`emsd: refused a change of ${order.oid}: ${reason}`);
    this.show('status', status);
    return status;
  }

  private reject(raw: unknown, reason: string): Status {
    const r = (raw ?? {}) as { oid?: unknown };
    const status: Status = {
      time: this.now(),
      oid: typeof r.oid === 'string' ? r.oid.slice(0, 64) : '',
      resp: 'error',
      reqid: null,
      req: raw as Order,
      src: 'emsd',
      cancelCalled: false,
      reason,
    };
    this.opts.log(`emsd: refused ${status.oid || '(no oid)'}: ${reason}`);
    this.show('status', status);
    return status;
  }

  /**
   * Applies a transition: its fills and status are journaled, its Status is shown once `needs` (the seq of the
   * intent or cancel that caused it) and its fills are durable, then what goes to venues and books.
   */
  private async applyTransition(prev: OrderRecord | null, t: Transition, needs = 0): Promise<Status> {
    if (!t.ok) {
      this.opts.log(`emsd: refused ${t.event} in state ${t.state}: ${t.reason}`);
      if (!prev) throw new Error(t.reason);
      return { ...this.statusOf(prev), resp: 'error', reason: t.reason, time: this.now() };
    }
    const rec = t.record;
    this.records.set(rec.oid, rec);
    if (isTerminal(rec.state)) this.mirror.finish(rec.oid);
    if (rec.reqid) this.byReqid.set(`${rec.venue}|${rec.reqid}`, rec.oid);
    for (const a of t.actions) if (a.kind === 'book_fill') needs = Math.max(needs, await this.bookFill(a));
    const status: AppendRecord = { type: 'status', status: t.status, state: rec.state };
    if (t.status.resp === 'triggered') {
      // A release is the one status recovery reads (a dark order goes out again at its release limit): shown once durable.
      if (rec.releasedAt) status.releasedAt = rec.releasedAt;
      needs = Math.max(needs, await this.journaled([status]));
    } else this.journalLazily([status]);
    this.show('status', t.status, needs);
    for (const a of t.actions) if (a.kind !== 'book_fill') await this.act(rec, a);
    return t.status;
  }

  /**
   * paperd runs in this process and starts empty after a crash, which recovery re-places from the journal: it takes
   * an order or cancel at once (its fill is journaled after the intent, so durable only with it). Anything for a
   * real venue leaves the process: it waits until everything journaled so far is on disk, as the client's answer does.
   */
  private async send(venueName: string, fqme: string, msg: Extract<OrderAction, { kind: 'send_order' | 'send_cancel' }>['msg']): Promise<void> {
    // A dark order released while the engine takes no orders: refused as the venue would, without asking it.
    const closed = venueName !== 'paperd' && 'price' in msg ? this.engineClosed({ fqme, action: msg.action, price: msg.price }) : null;
    if (closed) {
      void this.serial(() => this.onBrokerd(venueName, { type: 'error', reason: closed, fqme, oid: msg.oid, reqid: msg.reqid }));
      return;
    }
    const venue = await this.tradeVenue(fqme, venueName);
    if (venueName !== 'paperd') await this.journal.whenDurable(this.journal.lastSeq);
    venue.handle(msg);
  }

  private async act(rec: OrderRecord, a: OrderAction): Promise<void> {
    switch (a.kind) {
      case 'send_order':
      case 'send_cancel':
        return this.send(a.venue, rec.order.fqme, a.msg);
      case 'arm':
        this.book(a.order.fqme).arm({ oid: a.order.oid, action: a.order.action, price: a.order.price });
        return;
      case 'rearm':
        this.book(a.order.fqme).rearm(a.order.oid, a.order.price);
        return;
      case 'disarm':
        this.books.get(rec.order.fqme)?.remove(a.oid);
        return;
      case 'notify':
        this.show('alert', { oid: a.order.oid, fqme: a.order.fqme, price: a.order.price, time: this.now() });
        return;
      case 'book_fill':
        return;
    }
  }

  /** Journals a fill; returns its seq. It is shown, listed and booked in the ledger once that seq is durable. */
  private async bookFill(a: Extract<OrderAction, { kind: 'book_fill' }>): Promise<number> {
    const f = a.fill;
    const broker = parseFqme(f.fqme).broker;
    const seq = await this.journaled([
      {
        type: 'fill',
        oid: f.oid,
        fill: { time: f.time, brokerTime: f.time, reqid: f.reqid ?? '', tid: f.tid, action: f.action, size: f.size, price: f.price, fee: f.fee },
      },
    ]);
    // The journal is the durability point: the fill can be shown once it is on disk. The ledger follows in its own
    // queue, without an fsync per line: the journal keeps the fill until the ledger is synced (compaction does that
    // first), and recovery books journaled fills a crash kept out of the ledger. One disk sync per fill, not two.
    const info: FillInfo = { oid: f.oid, fqme: f.fqme, account: f.account, action: f.action, size: f.size, price: f.price, fee: f.fee, tid: f.tid, time: f.time };
    const shown = new Promise<void>((resolve, reject) =>
      this.outbox.after(
        seq,
        () => {
          this.fills.push(info);
          if (this.fills.length > RECENT_FILLS) this.fills.shift();
          this.opts.broadcast('fill', info);
          resolve();
        },
        reject,
      ),
    );
    const size = f.action === 'buy' ? f.size : `-${f.size}`;
    // In ledgerWrites from now on: positions() and compaction wait for fills on their way to the ledger.
    const booked = shown.then(async () => {
      const ledger = await this.ledger(broker, f.account);
      await ledger.append({ tid: f.tid, time: f.time, fqme: f.fqme, size, price: f.price, fee: f.fee }, { sync: false });
      const pos = ledger.position(f.fqme);
      if (pos) this.opts.broadcast('position', positionInfo(pos));
    });
    this.ledgerWrites.add(booked);
    void booked
      .catch((e) => this.opts.log(`emsd: ledger ${broker}.${f.account}: ${(e as Error).message} (the journal holds the fill)`))
      .finally(() => this.ledgerWrites.delete(booked));
    return seq;
  }

  private async ledger(broker: string, account: string): Promise<Ledger> {
    const key = `${broker}.${account}`;
    let l = this.ledgers.get(key);
    if (!l) {
      l = await Ledger.open(this.opts.dataDir, broker, account);
      for (const p of l.problems) this.opts.log(`emsd: ledger ${key}: ${p}`);
      this.ledgers.set(key, l);
    }
    return l;
  }

  /** A market's trigger book; a new one starts from the newest close datad holds, so arming knows the side. */
  private book(fqme: string): TriggerBook {
    let b = this.books.get(fqme);
    if (!b) {
      this.books.set(fqme, (b = new TriggerBook(fqme)));
      const buf = this.opts.hub.get(fqme)?.buffers.get(1);
      const last = buf && buf.length > 0 ? buf.cols.close[buf.last - 1]! : null;
      if (last !== null) b.onTick('last', last);
    }
    return b;
  }

  /** paperd.<broker> or brokerd.<broker>, started on first use through the registry. */
  private tradeVenue(fqme: string, venue: string): Promise<TradeVenue> {
    const broker = parseFqme(fqme).broker;
    const deps = {
      market: (f: string) => this.markets.get(f),
      emit: (v: string, m: BrokerdMsg) => void this.serial(() => this.onBrokerd(v, m)),
      onChange: () => this.opts.registry.changed(),
    };
    if (venue === 'paperd') {
      return this.opts.registry.startOrAttach(`paperd.${broker}`, async () => this.track(new PaperdService(broker, { ...deps, latency: this.opts.paperLatency, fees: this.opts.paperFees })));
    }
    return this.opts.registry.startOrAttach(`brokerd.${broker}`, async () => {
      this.opts.log(`emsd: starting brokerd.${broker} for a live order`);
      if (broker === 'sim') return this.track(new BrokerdSimService(this.exchange(broker), deps));
      const dialog = this.opts.tradeDialog?.(broker, deps.market) ?? null;
      if (!dialog) throw new Error(`${broker} has no API keys configured: use paper`);
      return this.track(await BrokerdRemoteService.start(dialog, (m) => deps.emit(broker, m), deps.onChange));
    });
  }

  private track<V extends TradeVenue>(v: V): V {
    this.tradeVenues.add(v);
    return v;
  }

  /** The sim exchange's live venue (the exchange itself, which outlives brokerd.sim); tests place "external" orders on it. */
  exchange(broker: 'sim'): SimVenue {
    let x = this.exchanges.get(broker);
    if (!x) this.exchanges.set(broker, (x = newSimExchange((f) => this.markets.get(f), this.opts.venue ?? {})));
    return x;
  }

  private async onBrokerd(venue: string, msg: BrokerdMsg): Promise<void> {
    if (msg.type === 'position') return;
    const oid = msg.type === 'ack' ? msg.oid : (this.byReqid.get(`${venue}|${'reqid' in msg ? msg.reqid : ''}`) ?? ('oid' in msg ? msg.oid : null));
    if (msg.type === 'ack' && oid) {
      this.byReqid.set(`${venue}|${msg.reqid}`, oid);
      this.journalLazily([{ type: 'ack', oid, reqid: msg.reqid, account: msg.account }]);
    }
    const rec = oid ? this.records.get(oid) : undefined;
    if (!rec) {
      if (msg.type === 'status' && msg.status === 'open') return this.adopt(venue, msg.reqid, msg.account);
      this.opts.log(`emsd: ${venue} ${msg.type} for unknown order (reqid ${'reqid' in msg ? msg.reqid : '?'}): ignored`);
      return;
    }
    const ev = eventFromBrokerd(msg, this.now());
    if (ev) await this.applyTransition(rec, step(rec, ev));
  }

  /** An order open at the venue that Candlewick did not place: adopt it so it shows and can be managed. */
  private async adopt(venue: string, reqid: string, account: string): Promise<void> {
    const v = [...this.tradeVenues].find((x) => x.venue === venue);
    const found = v ? (await v.openOrders(account)).find((o) => o.reqid === reqid) : undefined;
    if (!found) return;
    const order: Order = { action: found.action, execMode: venue === 'paperd' ? 'paper' : 'live', oid: `ext-${venue}-${reqid}`, fqme: found.fqme, account, price: found.price, size: found.size };
    await this.market(found.fqme);
    const seq = await this.journaled([intentRecord(order), { type: 'ack', oid: order.oid, reqid, account }]);
    const t = adoptExternal(order, venue, reqid, found.filled, this.now());
    this.opts.log(`emsd: adopted external order ${reqid} at ${venue} as ${order.oid}`);
    await this.applyTransition(null, t, seq);
  }

  /** datad ticks: fire dark triggers, and let paperd/brokerd.sim match resting orders. */
  private onQuotes(fqme: string, ticks: Tick[]): void {
    const book = this.books.get(fqme);
    // Every tick, even with nothing armed: the book's last price decides which way the next trigger fires.
    if (book) {
      for (const tk of ticks) {
        for (const trig of book.onTick(tk.type, tk.price)) {
          void this.serial(() => this.fire(trig.oid, tk.price));
        }
      }
    }
    for (const v of this.tradeVenues) v.onTicks(fqme, ticks);
  }

  private async fire(oid: string, tickPrice: number): Promise<void> {
    const rec = this.records.get(oid);
    if (!rec || rec.state !== 'dark_open') return;
    const mkt = this.markets.get(rec.order.fqme);
    const side = rec.order.action === 'sell' ? 'sell' : 'buy';
    const price = mkt ? marketableLimit(side, tickPrice, mkt.priceTick, this.opts.ticksThrough ?? 5) : rec.order.price;
    const ev: OrderEvent = { kind: 'trigger', time: this.now(), price };
    await this.applyTransition(rec, step(rec, ev));
  }

  /**
   * Replays the journal (recovery.ts says what each order's records mean): dark orders and alerts are re-armed;
   * orders that were working at paperd or the sim venue (in-process, they start empty) are placed again for what
   * remained; an acknowledged cancel stays canceled; finished orders stay finished and keep their record, so a
   * retried submit of their oid is a duplicate, never a new order. Journaled fills the ledger missed (a crash
   * between the two writes) are booked now.
   */
  private async recover(): Promise<void> {
    let rearmed = 0;
    let replaced = 0;
    const atVenues = new Map<string, OrderRecord[]>();
    for (const r of [...this.mirror.orders.values()]) {
      const { order } = r;
      await this.bookMissedFills(r);
      const plan = recoveryPlan(r);
      const venue = this.venueFor(order);
      if (plan.kind === 'finished') {
        if (plan.reason && !isTerminal(r.state)) this.opts.log(`emsd: ${order.oid}: ${plan.reason}`);
        this.records.set(order.oid, finishedRecord(r, typeof venue === 'string' ? venue : 'paperd', plan.state, plan.reason));
        this.mirror.finish(order.oid);
        continue;
      }
      if (typeof venue !== 'string' || !(await this.market(order.fqme))) {
        const why = typeof venue === 'string' ? `market ${order.fqme} is unknown` : venue.error;
        this.opts.log(`emsd: cannot recover ${order.oid}: ${why}`);
        this.records.set(order.oid, finishedRecord(r, 'paperd', 'rejected', `not recovered: ${why}`));
        this.mirror.finish(order.oid);
        continue;
      }
      if (plan.kind === 'replace' && venue !== 'paperd' && venue !== 'sim') {
        // A real venue outlived us: it holds the truth about this order, asked once brokerd is up.
        const rec = finishedRecord(r, venue, r.state);
        this.records.set(order.oid, rec);
        if (rec.reqid) this.byReqid.set(`${venue}|${rec.reqid}`, rec.oid);
        atVenues.set(venue, [...(atVenues.get(venue) ?? []), rec]);
        continue;
      }
      if (plan.kind === 'rearm') {
        await this.applyTransition(null, submitOrder(order, venue, this.now()));
        rearmed++;
      } else {
        // A released dark order goes out as the venue order it had become: same oid, its release limit.
        const placed: Order = plan.price ? { ...order, size: plan.size, price: plan.price, execMode: venue === 'paperd' ? 'paper' : 'live' } : { ...order, size: plan.size };
        if (!sameOrder(placed, order)) this.recoveredFrom.set(order.oid, order);
        await this.applyTransition(null, submitOrder(placed, venue, this.now()));
        replaced++;
      }
    }
    if (rearmed + replaced > 0) this.opts.log(`emsd: recovered ${rearmed} dark orders/alerts and ${replaced} working orders from the journal`);
    for (const [broker, working] of atVenues) {
      // Working orders at a venue need its brokerd now: that is the "live order" that starts it. It runs in the
      // background (a slow venue must not hold the host's start); each answer goes through the queue in order.
      this.reconciling = this.reconcileWith(broker, working).catch((e) =>
        this.opts.log(`emsd: reconciliation with ${broker} failed: ${(e as Error).message}; its orders stay as the journal left them`),
      );
    }
  }

  private async reconcileWith(broker: string, working: OrderRecord[]): Promise<void> {
    const v = await this.tradeVenue(working[0]!.order.fqme, broker);
    if (!(v instanceof BrokerdRemoteService)) return;
    const account = v.dialog.account;
    const report = await reconcile(
      {
        broker,
        dialog: v.dialog,
        record: (oid) => this.records.get(oid),
        deliver: (m) => this.serial(() => this.onBrokerd(broker, m)),
        resend: (m) => v.handle(m),
        adopt: (reqid) => this.serial(() => this.adopt(broker, reqid, v.dialog.account)),
        positions: async () => (await this.positions()).filter((p) => p.broker === broker && p.account === account).map((p) => ({ fqme: p.fqme, size: p.size })),
        market: (f) => this.markets.get(f),
        now: this.now,
      },
      working,
    );
    for (const o of report.orders) this.opts.log(`emsd: reconcile ${broker}: ${o.oid}: ${o.outcome}`);
    for (const d of report.differences) {
      this.opts.log(`emsd: reconcile ${broker}: ${d.fqme}: the ledger holds ${d.ledger} ${d.asset}, the venue ${d.venue}`);
    }
    const key = `${report.broker}.${report.account}`;
    this.reconciled.delete(key);
    this.reconciled.set(key, report);
    this.opts.broadcast('reconcile', report);
  }

  /** Fills are journaled before the ledger line is written: a crash in between leaves them for recovery to book. */
  private async bookMissedFills(r: ReplayedOrder): Promise<void> {
    if (!r.fills.length) return;
    const { fqme, account } = r.order;
    const ledger = await this.ledger(parseFqme(fqme).broker, account);
    for (const f of r.fills) {
      if (ledger.has(f.tid)) continue;
      await ledger.append({ tid: f.tid, time: f.time, fqme, size: f.action === 'buy' ? f.size : `-${f.size}`, price: f.price, fee: f.fee });
      this.opts.log(`emsd: booked fill ${f.tid} of ${r.order.oid} from the journal (the ledger missed it)`);
    }
  }

  private statusOf(r: OrderRecord): Status {
    return {
      time: this.now(),
      oid: r.oid,
      resp: STATE_RESP[r.state],
      reqid: r.reqid,
      req: r.order,
      src: r.venue === 'paperd' ? 'paperd' : r.state === 'dark_open' ? 'dark' : r.venue,
      cancelCalled: r.cancelCalled,
      filled: r.filled,
      remaining: r.remaining,
    };
  }
}

function sameOrder(a: Order, b: Order): boolean {
  return a.action === b.action && a.execMode === b.execMode && a.account === b.account && a.fqme === b.fqme && compareDec(a.price, b.price) === 0 && compareDec(a.size, b.size) === 0;
}

function positionInfo(p: Position): PositionInfo {
  return {
    broker: p.broker,
    account: p.account,
    fqme: p.fqme,
    size: p.size,
    ppu: p.ppu,
    realizedPnl: p.realizedPnl,
    fees: p.feesPaid,
    updatedAt: p.lastClearTime ?? 0,
  };
}
