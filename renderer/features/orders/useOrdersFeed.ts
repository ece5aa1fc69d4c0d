import { useEffect } from 'react';
import type { ApiClient } from '../../../core/protocol/client.js';
import { errorMessage, isConnectionLoss } from '../../lib/errors.js';
import { useConnection } from '../../stores/connection.js';
import { useOrders } from '../../stores/orders.js';

const RECENT_FILLS = 200;
/** After an error Status the host's list is fetched again (a refused modify or cancel leaves the order working). */
const RESYNC_AFTER_ERROR_MS = 300;

/**
 * Keeps the orders store current: on every (re)connect the host's active orders, accounts, positions and
 * recent fills (the lines are redrawn from them), then `status`, `position`, `fill` and `alert` events.
 */
export function useOrdersFeed(): void {
  const client = useConnection((s) => s.client);
  useEffect(() => {
    if (!client) return;
    const store = useOrders.getState;
    let resync: ReturnType<typeof setTimeout> | null = null;
    const offs = [
      client.on('status', (st) => {
        store().applyStatus(st);
        if (st.resp === 'error' && !resync) {
          resync = setTimeout(() => {
            resync = null;
            void loadActive(client);
          }, RESYNC_AFTER_ERROR_MS);
        }
      }),
      client.on('position', (p) => store().upsertPosition(p)),
      client.on('fill', (f) => store().addFills([f])),
      client.on('alert', (a) => {
        store().alertFired(a);
        desktopNotify(`alert ${a.fqme}`, `price crossed ${a.price}`);
      }),
    ];
    void loadActive(client);
    client.call('accounts.list', {}).then((l) => store().setAccounts(l), quiet('accounts'));
    client.call('positions.list', {}).then((l) => store().setPositions(l), quiet('positions'));
    client.call('fills.recent', { limit: RECENT_FILLS }).then((l) => store().addFills(l), quiet('fills'));
    return () => {
      for (const off of offs) off();
      if (resync) clearTimeout(resync);
    };
  }, [client]);
}

async function loadActive(client: ApiClient): Promise<void> {
  try {
    const list = await client.call('orders.active', {});
    useOrders.getState().setActive(list);
  } catch (e) {
    quiet('orders')(e);
  }
}

/** A failed load is logged, not shown: the status bar already says when the connection is gone. */
function quiet(what: string) {
  return (e: unknown) => {
    if (!isConnectionLoss(e)) console.warn(`candlewick: could not load ${what}: ${errorMessage(e)}`);
  };
}

function desktopNotify(title: string, body: string): void {
  try {
    if (typeof Notification !== 'undefined' && Notification.permission === 'granted') new Notification(title, { body });
  } catch {}
}
