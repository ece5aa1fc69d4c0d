import type { BrokerdCancel, BrokerdMsg, BrokerdOrder, BrokerdPosition, Side } from '../../protocol/orders.js';
import { compareDec, mulDec, onTick } from '../../protocol/decimal.js';
import type { MktPair, Tick } from '../../protocol/types.js';
import type { Clock } from '../../clearing/paper/clock.js';
import type { FeeModel } from '../../clearing/paper/fees.js';
import { subDec } from '../../clearing/paper/exact.js';
import { Matcher } from '../../clearing/paper/matcher.js';
import type { FillRecord, Latency, OpenOrder, WorkingOrder } from '../../clearing/paper/types.js';
import type { SimBackend } from './backend.js';
import { simMarket, simMktPair } from './markets.js';
import { VenueFunds } from './venue-funds.js';

/** Starts delivering a market's ticks to `onTicks`; returns the unsubscribe. */
export type QuoteSource = (fqme: string, onTicks: (fqme: string, ticks: Tick[]) => void) => () => void;

/** The sim exchange's own quote stream, from now on: what the venue matches against in the running app. */
export function simQuotes(sim: SimBackend, now: () => number = Date.now): QuoteSource {
  return (fqme, onTicks) => sim.streamQuotes(fqme, now(), onTicks);
}

export const SIM_LIVE_ACCOUNT = 'live';
export const SIM_DEFAULT_BALANCES: Readonly<Record<string, string>> = { [SIM_LIVE_ACCOUNT]: '1000000' };
/** A venue round trip: long enough that a cancel can be sent before the ack arrives. */
export const SIM_VENUE_LATENCY: Latency = { ackMs: 25, openMs: 0, cancelMs: 25 };
export const SIM_VENUE_FEES: FeeModel = { maker: '0.0002', taker: '0.0005' };

export interface SimVenueOptions {
  clock?: Clock;
  latency?: Partial<Latency>;
  fees?: FeeModel;
  /** Cash per account in the quote asset; the venue knows no other accounts. */
  balances?: Record<string, string>;
  /** The sim market's own quotes (`simQuotes(sim)`), subscribed per market on its first order; else feed onTicks. */
  quotes?: QuoteSource;
  /** Listed markets; defaults to the sim exchange's. */
  market?: (fqme: string) => MktPair | undefined;
}

/**
 * The sim exchange's live venue: what brokerd.sim trades with. It matches like paperd (the shared Matcher) and
 * adds what a real venue does to a client: it answers after a latency, refuses orders it cannot take (unknown
 * account, off tick or lot, below minimum size or notional, insufficient funds), names orders with its own
 * reqids, keeps state across client reconnects, answers reconciliation queries, and can hold orders placed
 * outside Candlewick.
 */
export class SimVenue {
  private readonly matcher: Matcher;
  private readonly funds: VenueFunds;
  private readonly market: (fqme: string) => MktPair | undefined;
  private readonly feeds = new Map<string, () => void>();
  private listener: ((msg: BrokerdMsg) => void) | null = null;

  constructor(private readonly opts: SimVenueOptions = {}) {
    const fees = opts.fees ?? SIM_VENUE_FEES;
    this.funds = new VenueFunds(opts.balances ?? SIM_DEFAULT_BALANCES, fees);
    this.market = opts.market ?? defaultMarket;
    let n = 0;
    this.matcher = new Matcher({
      broker: 'sim',
      market: this.market,
      emit: (m) => this.listener?.(m),
      clock: opts.clock,
      latency: { ...SIM_VENUE_LATENCY, ...opts.latency },
      fees,
      nextReqid: () => `sim-${String(++n).padStart(6, '0')}`,
      refuse: (req, mkt, prev) => this.refuse(req, mkt, prev),
      onFill: (f) => this.funds.settle(f),
    });
  }

  /**
   * Attaches brokerd's trade dialog; messages sent while nobody listens are not replayed (a reconnecting client
   * reconciles through the queries instead). Returns the detach.
   */
  connect(listener: (msg: BrokerdMsg) => void): () => void {
    this.listener = listener;
    return () => {
      if (this.listener === listener) this.listener = null;
    };
  }

  submit(order: BrokerdOrder): void {
    this.watch(order.fqme);
    this.matcher.submit(order);
  }

  cancel(cancel: BrokerdCancel): void {
    this.matcher.cancel(cancel);
  }

  handle(msg: BrokerdOrder | BrokerdCancel): void {
    if ('action' in msg) this.submit(msg);
    else this.cancel(msg);
  }

  onTicks(fqme: string, ticks: readonly Tick[]): void {
    this.matcher.onTicks(fqme, ticks);
  }

  /** An order placed at the venue by other means: open at once (with oid null), as emsd finds it on adoption. */
  injectExternalOrder(o: { account: string; fqme: string; action: Side; price: string; size: string }): string {
    this.watch(o.fqme);
    return this.matcher.inject(o).reqid;
  }

  accounts(): string[] {
    return this.funds.accounts();
  }

  balance(account: string): string | undefined {
    return this.funds.balance(account);
  }

  openOrders(account: string): OpenOrder[] {
    return this.matcher.openOrders(account);
  }

  fills(account: string, sinceTime = 0): FillRecord[] {
    return this.matcher.fills(account, sinceTime);
  }

  positions(account: string): BrokerdPosition[] {
    return this.matcher.positions(account);
  }

  close(): void {
    this.matcher.close();
    for (const stop of this.feeds.values()) stop();
    this.feeds.clear();
    this.listener = null;
  }

  private watch(fqme: string): void {
    if (!this.opts.quotes || this.feeds.has(fqme) || !this.market(fqme)) return;
    this.feeds.set(
      fqme,
      this.opts.quotes(fqme, (f, ticks) => this.matcher.onTicks(f, ticks)),
    );
  }

  private refuse(req: BrokerdOrder, mkt: MktPair, prev: WorkingOrder | null): string | null {
    if (!this.funds.has(req.account)) return `unknown account '${req.account}' at the sim venue (it has ${this.funds.accounts().join(', ')})`;
    if (!onTick(req.size, mkt.sizeTick)) return `size ${req.size} is not a multiple of the size tick ${mkt.sizeTick}`;
    if (compareDec(req.size, mkt.minSize) < 0) return `size ${req.size} is below the minimum size ${mkt.minSize}`;
    const notional = mulDec(req.price, req.size);
    if (compareDec(notional, mkt.minNotional) < 0) {
      return `notional ${notional} ${mkt.src.name} is below the minimum notional ${mkt.minNotional}`;
    }
    if (req.action !== 'buy') return null;
    const left = prev ? subSize(req.size, prev.filled) : req.size;
    const cost = this.funds.worstCost(req.price, left, mkt);
    const free = this.funds.available(req.account, this.matcher.openOrders(req.account), (f) => this.market(f)!, prev?.reqid ?? null);
    return this.funds.shortfall(req.account, cost, free, mkt.src.name);
  }
}

function defaultMarket(fqme: string): MktPair | undefined {
  const m = simMarket(fqme);
  return m ? simMktPair(m) : undefined;
}

/** size - filled, floored at 0 (a modify to at or below the filled size is refused later, with its own reason). */
function subSize(size: string, filled: string): string {
  return compareDec(size, filled) > 0 ? subDec(size, filled) : '0';
}
