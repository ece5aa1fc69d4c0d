import type { BrokerdCancel, BrokerdMsg, BrokerdOrder, BrokerdPosition } from '../../protocol/orders.js';
import type { MktPair, Tick } from '../../protocol/types.js';
import type { Clock } from './clock.js';
import type { FeeModel } from './fees.js';
import { Matcher } from './matcher.js';
import type { FillRecord, Latency, OpenOrder } from './types.js';

/** The one account paperd trades; it always exists. */
export const PAPER_ACCOUNT = 'paper';

/** piker's paper engine waits ~10 ms between the ack and `open`, standing in for a venue round trip. */
export const PAPER_LATENCY: Latency = { ackMs: 0, openMs: 10, cancelMs: 0 };

export interface PaperEngineOptions {
  /** The backend whose quotes this engine fills against: paperd.<broker>. */
  broker: string;
  market(fqme: string): MktPair | undefined;
  emit(msg: BrokerdMsg): void;
  clock?: Clock;
  latency?: Partial<Latency>;
  fees?: FeeModel;
  /** Makes reqids unique across engine restarts (emsd's journal outlives paperd); defaults to the start time. */
  session?: string;
}

/**
 * paperd.<broker>: simulated execution for account 'paper' against the broker's live quotes, spoken to by emsd
 * in the Brokerd* messages exactly as a real brokerd would be.
 */
export class PaperEngine {
  private readonly matcher: Matcher;

  constructor(opts: PaperEngineOptions) {
    let n = 0;
    const session = opts.session ?? (opts.clock?.now() ?? Date.now()).toString(36);
    this.matcher = new Matcher({
      broker: opts.broker,
      market: opts.market,
      emit: opts.emit,
      clock: opts.clock,
      latency: { ...PAPER_LATENCY, ...opts.latency },
      fees: opts.fees,
      nextReqid: () => `paper-${session}-${String(++n).padStart(6, '0')}`,
      refuse: (req) => (req.account === PAPER_ACCOUNT ? null : `paperd trades only account '${PAPER_ACCOUNT}', not '${req.account}'`),
    });
  }

  onTicks(fqme: string, ticks: readonly Tick[]): void {
    this.matcher.onTicks(fqme, ticks);
  }

  /** A new order (reqid null) or a modify of a known one (same oid, its reqid). */
  submit(order: BrokerdOrder): void {
    this.matcher.submit(order);
  }

  cancel(cancel: BrokerdCancel): void {
    this.matcher.cancel(cancel);
  }

  /** What emsd sends, routed by shape. */
  handle(msg: BrokerdOrder | BrokerdCancel): void {
    if ('action' in msg) this.submit(msg);
    else this.cancel(msg);
  }

  openOrders(): OpenOrder[] {
    return this.matcher.openOrders(PAPER_ACCOUNT);
  }

  fills(sinceTime = 0): FillRecord[] {
    return this.matcher.fills(PAPER_ACCOUNT, sinceTime);
  }

  positions(): BrokerdPosition[] {
    return this.matcher.positions(PAPER_ACCOUNT);
  }

  resting(fqme: string): { buys: OpenOrder[]; sells: OpenOrder[] } {
    return this.matcher.resting(fqme);
  }

  close(): void {
    this.matcher.close();
  }
}
