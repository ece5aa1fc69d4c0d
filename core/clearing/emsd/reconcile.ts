import type { BrokerdMsg, BrokerdOrder } from '../../protocol/orders.js';
import type { ReconcileReport } from '../../protocol/messages.js';
import type { MktPair } from '../../protocol/types.js';
import { compareDec, subDec } from '../../protocol/decimal.js';
import type { TradeDialog, VenueOrder } from '../../brokers/trade-dialog.js';
import type { OrderRecord } from '../order-state.js';

/** What reconciliation needs of emsd: its records, its venue-message path, adoption and its ledger positions. */
export interface ReconcileHost {
  readonly broker: string;
  readonly dialog: TradeDialog;
  record(oid: string): OrderRecord | undefined;
  /** Feeds a venue message through emsd's normal path (state machine, journal, ledger, broadcast). */
  deliver(msg: BrokerdMsg): Promise<void>;
  /** Sends an order the venue never received (same client order id: idempotent at the venue). */
  resend(msg: BrokerdOrder): void;
  adopt(reqid: string): Promise<void>;
  /** Live positions by fqme as the ledger holds them once fills on their way to it have landed (exact decimals). */
  positions(): Promise<{ fqme: string; size: string }[]>;
  market(fqme: string): MktPair | undefined;
  now(): number;
}

/** How far before an order's time its fills are asked for (venue clocks drift). */
const FILL_LOOKBACK_MS = 60_000;

/**
 * Start-up reconciliation with a venue that outlived us: every order the journal says is working is asked about
 * (open orders first, then by client order id), and what the venue says (ack, fills by tid, open / filled /
 * canceled) goes through emsd's normal message path, so the state machine, journal and ledger stay the one truth.
 * Orders open there but unknown here are adopted; ledger positions are compared with venue balances.
 */
export async function reconcile(host: ReconcileHost, working: OrderRecord[]): Promise<ReconcileReport> {
  const time = host.now();
  const account = host.dialog.account;
  const report: ReconcileReport = { id: `${host.broker}.${account}@${time}`, broker: host.broker, account, time, orders: [], differences: [] };
  const open = await host.dialog.openOrders();
  const openByOid = new Map(open.filter((o) => o.oid !== null).map((o) => [o.oid!, o]));
  for (const rec of working) {
    const found = openByOid.get(rec.oid) ?? (await host.dialog.queryOrder(rec.order.fqme, rec.oid));
    if (!found) {
      host.resend({ oid: rec.oid, account: rec.order.account, time: host.now(), fqme: rec.order.fqme, price: rec.order.price, size: rec.remaining, action: rec.order.action === 'sell' ? 'sell' : 'buy', reqid: null });
      report.orders.push({ oid: rec.oid, outcome: 'sent: the venue never received it' });
      continue;
    }
    await settle(host, rec, found);
    report.orders.push({ oid: rec.oid, outcome: `${found.status} at the venue (filled ${found.filled} of ${found.size})` });
  }
  for (const o of open) {
    if (o.oid !== null && host.record(o.oid)) continue;
    await host.adopt(o.reqid);
    report.orders.push({ oid: o.oid ?? `ext:${o.reqid}`, outcome: 'adopted: open at the venue, unknown here' });
  }
  report.differences = await comparePositions(host);
  return report;
}

async function settle(host: ReconcileHost, rec: OrderRecord, vo: VenueOrder): Promise<void> {
  const account = rec.order.account;
  if (!rec.reqid) await host.deliver({ type: 'ack', reqid: vo.reqid, oid: rec.oid, account });
  if (compareDec(vo.filled, rec.filled) > 0) {
    const fills = await host.dialog.fills(rec.order.fqme, vo.time - FILL_LOOKBACK_MS);
    for (const f of fills) {
      if (f.reqid !== vo.reqid || rec.tids.includes(f.tid)) continue;
      const { oid: _oid, fqme: _fqme, ...fill } = f;
      await host.deliver({ type: 'fill', ...fill });
    }
  }
  const base = { time: host.now(), reqid: vo.reqid, oid: rec.oid, account, filled: vo.filled, remaining: subDec(vo.size, vo.filled) };
  switch (vo.status) {
    case 'open':
      return host.deliver({ type: 'status', status: 'open', reason: 'open at the venue after a restart', ...base });
    case 'filled':
      return host.deliver({ type: 'status', status: 'closed', reason: 'filled at the venue while we were away', ...base });
    case 'canceled':
    case 'expired':
      return host.deliver({ type: 'status', status: 'canceled', reason: `${vo.status} at the venue while we were away`, ...base });
    case 'rejected':
      return host.deliver({ type: 'error', reason: 'rejected by the venue', fqme: rec.order.fqme, oid: rec.oid, reqid: vo.reqid });
  }
}

/** A spot position is a holding of the base asset: the ledger's size against the venue's balance of it. */
async function comparePositions(host: ReconcileHost): Promise<ReconcileReport['differences']> {
  const balances = await host.dialog.balances();
  const out: ReconcileReport['differences'] = [];
  for (const p of await host.positions()) {
    const asset = host.market(p.fqme)?.dst.name;
    if (!asset) continue;
    const venue = balances[asset] ?? '0';
    if (compareDec(venue, p.size) !== 0) out.push({ fqme: p.fqme, asset, ledger: p.size, venue });
  }
  return out;
}
