import { useEffect } from 'react';
import { useConnection } from '../../stores/connection.js';
import { attachOrdersFeed } from './orders-feed.js';

/** Keeps the orders store fed from the live connection; a reconnect re-runs it (and redraws from `orders.active`). */
export function useOrdersFeed(): void {
  const client = useConnection((s) => s.client);
  useEffect(() => (client ? attachOrdersFeed(client) : undefined), [client]);
}
