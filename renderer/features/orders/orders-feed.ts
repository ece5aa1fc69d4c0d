import type { ApiClient } from '../../../core/protocol/client.js';
import type { ReconcileReport } from '../../../core/protocol/messages.js';
import { errorMessage, isConnectionLoss } from '../../lib/errors.js';
import { useOrders } from '../../stores/orders.js';

const RECENT_FILLS = 200;

export interface OrdersFeedOptions {
  /** After an error Status the host's list is fetched again (a refused modify or cancel leaves the order working). */
  resyncAfterErrorMs?: number;
  /** Desktop notification for a fired alert (the page's Notification API by default). */
  notify?: (title: string, body: string) => void;
}

/**
 * Feeds the orders store from one connection: the host's active orders, accounts, positions and recent fills
 * (the lines are redrawn from them on every (re)connect), then `status`, `position`, `fill`, `alert` and
 * `reconcile` events (the host sends the newest reconciliation reports after `orders.active`, so a window opened
 * after the host's start shows them too). Returns the unsubscribe.
 */
export function attachOrdersFeed(client: ApiClient, opts: OrdersFeedOptions = {}): () => void {
  const store = useOrders.getState;
  const resyncMs = opts.resyncAfterErrorMs ?? 300;
  const notify = opts.notify ?? desktopNotify;
  let resync: ReturnType<typeof setTimeout> | null = null;
  let closed = false;
  const loadActive = () =>
    client.call('orders.active', {}).then((list) => !closed && store().setActive(list), quiet('orders'));
  const offs = [
    client.on('status', (st) => {
      store().applyStatus(st);
      if (st.resp === 'error' && !resync) {
        resync = setTimeout(() => {
          resync = null;
          void loadActive();
        }, resyncMs);
      }
    }),
    client.on('position', (p) => store().upsertPosition(p)),
    client.on('fill', (f) => store().addFills([f])),
    client.on('alert', (a) => {
      store().alertFired(a);
      notify(`alert ${a.fqme}`, `price crossed ${a.price}`);
    }),
    client.on('reconcile', (r) => {
      // Once per report however often it arrives (each connection, each window); a difference in positions is money
      // the trader must see, so it stays until clicked away.
      const differ = r.differences.length > 0;
      store().notify(reconcileText(r), differ ? 'warn' : 'info', undefined, { key: `reconcile:${r.id}`, sticky: differ });
      void loadActive();
    }),
  ];
  void loadActive();
  client.call('accounts.list', {}).then((l) => !closed && store().setAccounts(l), quiet('accounts'));
  client.call('positions.list', {}).then((l) => !closed && store().setPositions(l), quiet('positions'));
  client.call('fills.recent', { limit: RECENT_FILLS }).then((l) => !closed && store().addFills(l), quiet('fills'));
  return () => {
    closed = true;
    for (const off of offs) off();
    if (resync) clearTimeout(resync);
  };
}

/** One line a trader reads at a glance: what the venue said about our orders, and where positions disagree. */
export function reconcileText(r: ReconcileReport): string {
  const orders = `${r.broker}: ${r.orders.length} order${r.orders.length === 1 ? '' : 's'} reconciled with the venue`;
  if (!r.differences.length) return `${orders}; positions match`;
  const diffs = r.differences.map((d) => `${d.asset} ledger ${d.ledger}, venue ${d.venue}`).join('; ');
  return `${orders}; positions differ: ${diffs}`;
}

/** A failed load is logged, not shown: the status bar already says when the connection is gone. */
function quiet(what: string) {
  return (e: unknown) => {
    if (!isConnectionLoss(e)) console.warn(`candlewick: could not load ${what}: ${errorMessage(e)}`);
  };
}

function desktopNotify(title: string, body: string): void {
  try {
    // Electron's main process shows its own desktop notification for alerts; the page adds one under serve.
    if (typeof window !== 'undefined' && window.candlewick) return;
    if (typeof Notification !== 'undefined' && Notification.permission === 'granted') new Notification(title, { body });
  } catch {}
}
