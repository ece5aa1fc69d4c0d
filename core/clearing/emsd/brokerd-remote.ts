import type { BrokerdCancel, BrokerdMsg, BrokerdOrder } from '../../protocol/orders.js';
import type { ServiceInfo, Tick } from '../../protocol/types.js';
import { subDec } from '../../protocol/decimal.js';
import { ServiceStatus } from '../../services/registry.js';
import type { TradeDialog, VenueOrder } from '../../brokers/trade-dialog.js';
import type { OpenOrder } from '../paper/types.js';
import type { TradeVenue } from './venues.js';

/**
 * brokerd.<broker> for a real venue: the trade dialog (signed requests, private stream) behind the same
 * TradeVenue face as paperd and brokerd.sim. The venue is the truth for its orders; this service only relays.
 */
export class BrokerdRemoteService implements TradeVenue {
  readonly kind = 'brokerd' as const;
  readonly name: string;
  readonly venue: string;
  private readonly status: ServiceStatus;
  private sent = 0;
  private received = 0;

  private constructor(
    readonly dialog: TradeDialog,
    onChange: () => void,
  ) {
    this.venue = dialog.broker;
    this.name = `brokerd.${dialog.broker}`;
    this.status = new ServiceStatus(this.name, 'brokerd', onChange);
  }

  /** Connects the dialog (auth, private stream) before any order can go out. */
  static async start(dialog: TradeDialog, emit: (m: BrokerdMsg) => void, onChange: () => void): Promise<BrokerdRemoteService> {
    const svc = new BrokerdRemoteService(dialog, onChange);
    await dialog.connect((m) => {
      svc.received++;
      emit(m);
    });
    svc.status.set('running');
    return svc;
  }

  handle(msg: BrokerdOrder | BrokerdCancel): void {
    this.sent++;
    this.dialog.handle(msg);
  }

  /** Quotes do not drive a real venue's matching. */
  onTicks(_fqme: string, _ticks: readonly Tick[]): void {}

  async openOrders(account: string): Promise<OpenOrder[]> {
    const orders = await this.dialog.openOrders();
    return orders.map((o) => openOrderOf(o, account));
  }

  info(): ServiceInfo {
    this.status.detail = { sent: this.sent, received: this.received };
    return this.status.info();
  }

  async stop(): Promise<void> {
    await this.dialog.close();
    this.status.set('stopped');
  }
}

export function openOrderOf(o: VenueOrder, account: string): OpenOrder {
  return {
    reqid: o.reqid,
    oid: o.oid,
    account,
    fqme: o.fqme,
    action: o.action,
    price: o.price,
    size: o.size,
    filled: o.filled,
    remaining: subDec(o.size, o.filled),
    state: 'open',
    time: o.time,
    external: o.oid === null,
  };
}
