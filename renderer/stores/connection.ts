import { create } from 'zustand';
import type { ApiClient } from '../../core/protocol/client.js';

export type ConnState = 'connecting' | 'connected' | 'disconnected';

export interface ConnectionStore {
  state: ConnState;
  /** The live client while connected, else null. Features key their subscriptions on it: a new client after a reconnect re-runs them. */
  client: ApiClient | null;
  /** Reconnect attempts since the last good connection (0 on the first try). */
  attempt: number;
  /** When the next attempt starts (epoch ms) while disconnected. */
  retryAt: number | null;
  lastError: string | null;
  serverVersion: string | null;
  backends: string[];
}

export const useConnection = create<ConnectionStore>(() => ({
  state: 'connecting',
  client: null,
  attempt: 0,
  retryAt: null,
  lastError: null,
  serverVersion: null,
  backends: [],
}));
