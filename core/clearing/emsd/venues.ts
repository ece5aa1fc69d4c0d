import type { BrokerdCancel, BrokerdMsg, BrokerdOrder } from '../../protocol/orders.js';
import type { MktPair, ServiceInfo, Tick } from '../../protocol/types.js';
import { ServiceStatus, type Service } from '../../services/registry.js';
import { PaperEngine } from '../paper/engine.js';
import type { Latency } from '../paper/types.js';
import { SimVenue, SIM_LIVE_ACCOUNT } from '../../brokers/sim/venue.js';
import type { OpenOrder } from '../paper/types.js';
import type { FeeModel } from '../paper/fees.js';

/** What emsd routes orders to: paperd.<broker> or brokerd.<broker>, both speaking the Brokerd* messages. */
export interface TradeVenue extends Service {
  /** 'paperd' or the broker name: the `venue` of an order record. */
  readonly venue: string;
  handle(msg: BrokerdOrder | BrokerdCancel): void;
  onTicks(fqme: string, ticks: readonly Tick[]): void;
  /** Orders working at the venue (reconciliation, adoption); a real venue is asked over the network. */
  openOrders(account: string): OpenOrder[] | Promise<OpenOrder[]>;
}

export interface VenueDeps {
  market(fqme: string): MktPair | undefined;
  emit(venue: string, msg: BrokerdMsg): void;
  onChange(): void;
  latency?: Partial<Latency>;
  fees?: FeeModel;
}

/** paperd.<broker>: the paper engine filling against that backend's quotes. */
export class PaperdService implements TradeVenue {
  readonly kind = 'paperd' as const;
  readonly venue = 'paperd';
  readonly name: string;
  private readonly status: ServiceStatus;
  private readonly engine: PaperEngine;

  constructor(broker: string, deps: VenueDeps) {
    this.name = `paperd.${broker}`;
    this.status = new ServiceStatus(this.name, 'paperd', deps.onChange);
    this.engine = new PaperEngine({
      broker,
      market: deps.market,
      emit: (m) => deps.emit(this.venue, m),
      ...(deps.latency ? { latency: deps.latency } : {}),
      ...(deps.fees ? { fees: deps.fees } : {}),
    });
    this.status.set('running');
  }

  handle(msg: BrokerdOrder | BrokerdCancel): void {
    this.engine.handle(msg);
  }
  onTicks(fqme: string, ticks: readonly Tick[]): void {
    this.engine.onTicks(fqme, ticks);
  }
  openOrders(): OpenOrder[] {
    return this.engine.openOrders();
  }
  info(): ServiceInfo {
    this.status.detail = { open: this.engine.openOrders().length };
    return this.status.info();
  }
  async stop(): Promise<void> {
    this.status.set('stopped');
  }
}

/**
 * brokerd.sim: the trade dialog with the sim exchange's live venue. The venue is the exchange (it outlives a
 * brokerd restart); brokerd is only the connection to it.
 */
export class BrokerdSimService implements TradeVenue {
  readonly kind = 'brokerd' as const;
  readonly venue = 'sim';
  readonly name = 'brokerd.sim';
  private readonly status: ServiceStatus;
  private readonly detach: () => void;

  constructor(
    private readonly exchange: SimVenue,
    deps: VenueDeps,
  ) {
    this.status = new ServiceStatus(this.name, 'brokerd', deps.onChange);
    this.detach = exchange.connect((m) => deps.emit(this.venue, m));
    this.status.set('running');
  }

  handle(msg: BrokerdOrder | BrokerdCancel): void {
    this.exchange.handle(msg);
  }
  onTicks(fqme: string, ticks: readonly Tick[]): void {
    this.exchange.onTicks(fqme, ticks);
  }
  openOrders(account: string): OpenOrder[] {
    return this.exchange.openOrders(account);
  }
  info(): ServiceInfo {
    return this.status.info();
  }
  async stop(): Promise<void> {
    this.detach();
    this.status.set('stopped');
  }
}

export function newSimExchange(
  market: (fqme: string) => MktPair | undefined,
  opts: { latency?: Partial<Latency>; fees?: FeeModel; balance?: string },
): SimVenue {
  return new SimVenue({
    market,
    ...(opts.latency ? { latency: opts.latency } : {}),
    ...(opts.fees ? { fees: opts.fees } : {}),
    ...(opts.balance ? { balances: { [SIM_LIVE_ACCOUNT]: opts.balance } } : {}),
  });
}
