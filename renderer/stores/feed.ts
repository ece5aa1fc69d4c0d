import { create } from 'zustand';

/** The loaded symbol's quote feed, as the status bar shows it. Written at most a few times a second. */
export interface FeedStore {
  fqme: string | null;
  lastPrice: number | null;
  /** Renderer clock (Date.now()) when the last tick arrived: liveness must not depend on the host's clock. */
  lastTickAt: number | null;
  /** The host's own verdict from `feed` events; null until one arrives. */
  hostLive: boolean | null;
  bid: number | null;
  ask: number | null;
  /** The venue connection as the host reports it (null for the sim or before a report). */
  link: 'connecting' | 'live' | 'stale' | 'down' | null;
  linkDetail: string;
  /** The fqme feeding the chart when it is not the loaded one: the backup venue during a failover. */
  backup: string | null;
  /** The venue's matching engine as it last said (Kraken: online, maintenance, cancel_only, post_only); null: unsaid. */
  engine: { broker: string; status: string } | null;
}

export const useFeed = create<FeedStore>(() => ({
  fqme: null,
  lastPrice: null,
  lastTickAt: null,
  hostLive: null,
  bid: null,
  ask: null,
  link: null,
  linkDetail: '',
  backup: null,
  engine: null,
}));
