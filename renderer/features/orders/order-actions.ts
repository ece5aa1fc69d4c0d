import { STALE_MARKET_REASON, type Action, type ExecMode, type Order, type Status } from '../../../core/protocol/orders.js';
import type { MktPair } from '../../../core/protocol/types.js';
import type { NextOrder } from '../../../core/protocol/allocator.js';
import { errorMessage } from '../../lib/errors.js';
import { sizeNext } from '../../lib/sizing.js';
import type { WorkingOrder } from '../../lib/orders-reducer.js';
import { useConnection } from '../../stores/connection.js';
import { positionOf, useOrders } from '../../stores/orders.js';
import { useSession } from '../../stores/session.js';

/** The loaded market's metadata, or null while it is unknown (no order can be sized or priced then). */
export function currentMkt(): MktPair | null {
  const { mkt, fqme } = useSession.getState();
  return mkt && mkt.fqme === fqme ? mkt : null;
}

/** What "live" means for the selected account: paperd for 'paper', the broker for a live account. */
export function liveModeFor(account: string): ExecMode {
  const info = useOrders.getState().accounts.find((a) => a.account === account);
  return account === 'paper' || info?.mode === 'paper' ? 'paper' : 'live';
}

/**
 * The allocator's next order on `side` at `price` for the loaded market and the account's position in it: an entry
 * slot, or an exit slice when the order reduces the position. Null when the market or the allocator is unusable.
 */
export function nextSize(side: 'buy' | 'sell', price: string, account = useOrders.getState().account, mkt = currentMkt()): NextOrder | null {
  if (!mkt) return null;
  const { alloc, positions } = useOrders.getState();
  return sizeNext(alloc, side, price, mkt, positionOf(positions, account, mkt.fqme));
}

export interface OrderDraft {
  action: Action;
  /** dark, or live (paper/live by account) */
  live: boolean;
  price: string;
  /** Defaults to the allocator's next order at `price` (an entry slot, or an exit slice of the position). */
  size?: string;
  account?: string;
  /** The market to trade: the focused chart's by default (order mode on a chart passes its own). */
  mkt?: MktPair | null;
}

/** A complete Order from a draft (a fresh uuid oid), or the reason it cannot be made. */
export function buildOrder(d: OrderDraft): { order: Order } | { error: string } {
  const mkt = d.mkt === undefined ? currentMkt() : d.mkt;
  if (!mkt) return { error: 'market metadata not loaded yet' };
  const { account: selected, alloc } = useOrders.getState();
  const account = d.account ?? selected;
  if (d.action === 'alert') {
    return { order: { action: 'alert', execMode: 'dark', oid: crypto.randomUUID(), fqme: mkt.fqme, account, price: d.price, size: '0' } };
  }
  const size = d.size ?? nextSize(d.action, d.price, account, mkt)?.size;
  if (!size) return { error: `no size: check the allocator limit (${alloc.limit})` };
  if (size === '0') return { error: `the ${alloc.limit} limit is used up by the position: raise it, or place an exit` };
  const execMode: ExecMode = d.live ? liveModeFor(account) : 'dark';
  return { order: { action: d.action, execMode, oid: crypto.randomUUID(), fqme: mkt.fqme, account, price: d.price, size } };
}

function client() {
  return useConnection.getState().client;
}

/**
 * Sends an order (new or modify); the answer is applied like any Status. Null when it could not be sent.
 * A live order on a stale market comes back refused with a question: "Send anyway" resends it confirmed.
 */
export async function submit(order: Order, confirmStale = false): Promise<Status | null> {
  const c = client();
  const store = useOrders.getState();
  if (!c) {
    store.notify('not connected: order not sent', 'error');
    return null;
  }
  if (order.action === 'alert') askNotificationPermission();
  try {
    const st = await c.call('orders.submit', confirmStale ? { order, confirmStale } : { order });
    if (st.resp === 'error' && st.reason?.startsWith(STALE_MARKET_REASON)) {
      useOrders.getState().notify(st.reason, 'warn', { label: 'Send anyway', run: () => void submit(order, true) });
      return st;
    }
    useOrders.getState().applyStatus(st);
    return st;
  } catch (e) {
    useOrders.getState().notify(`order not sent: ${errorMessage(e)}`, 'error');
    return null;
  }
}

export function placeOrder(d: OrderDraft): Promise<Status | null> {
  const built = buildOrder(d);
  if ('error' in built) {
    useOrders.getState().notify(built.error, 'error');
    return Promise.resolve(null);
  }
  return submit(built.order);
}

/** Moves a working order to `price` (same oid): drawn there at once, back where it was if refused. */
export async function modifyPrice(w: WorkingOrder, price: string): Promise<void> {
  if (price === w.order.price) return;
  const order: Order = { ...w.order, price };
  useOrders.getState().beginModify(order);
  const c = client();
  if (!c) return useOrders.getState().abortModify(w.oid, 'not connected');
  try {
    useOrders.getState().applyStatus(await c.call('orders.submit', { order }));
  } catch (e) {
    useOrders.getState().abortModify(w.oid, errorMessage(e));
  }
}

export async function cancelOrders(oids: readonly string[]): Promise<void> {
  const c = client();
  const { working, notify } = useOrders.getState();
  if (!c) return notify('not connected: cancel not sent', 'error');
  await Promise.all(
    oids.map(async (oid) => {
      const w = working[oid];
      if (!w) return;
      try {
        useOrders.getState().applyStatus(await c.call('orders.cancel', { cancel: { action: 'cancel', oid, fqme: w.order.fqme } }));
      } catch (e) {
        notify(`cancel not sent: ${errorMessage(e)}`, 'error');
      }
    }),
  );
}

export async function cancelAll(fqme: string): Promise<void> {
  const c = client();
  const { notify } = useOrders.getState();
  if (!c) return notify('not connected: cancel not sent', 'error');
  try {
    const { canceled } = await c.call('orders.cancelAll', { fqme });
    notify(`canceled ${canceled} order${canceled === 1 ? '' : 's'} on ${fqme}`);
  } catch (e) {
    notify(`cancel all failed: ${errorMessage(e)}`, 'error');
  }
}

/**
 * Desktop notifications for alerts need a permission, asked once, when the user places an alert (a gesture).
 * Under Electron the main process notifies instead (electron/notify.ts).
 */
function askNotificationPermission(): void {
  try {
    if (window.candlewick) return;
    if (typeof Notification !== 'undefined' && Notification.permission === 'default') void Notification.requestPermission();
  } catch {}
}
