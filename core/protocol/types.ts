/** Shapes shared by host and renderer. Prices and sizes on the order path are decimal strings. */

export type Timeframe = 1 | 60;
export const TIMEFRAMES: readonly Timeframe[] = [1, 60];

export interface Asset {
  name: string;
  atype: 'crypto' | 'fiat' | 'future' | 'index' | 'stable';
  txTick: string;
}

/** Market metadata (piker's MktPair): ticks and minimums are exact decimals. */
export interface MktPair {
  fqme: string;
  broker: string;
  venue: string;
  expiry: string | null;
  bsMktid: string;
  dst: Asset;
  src: Asset;
  priceTick: string;
  sizeTick: string;
  minSize: string;
  minNotional: string;
}

export type TickType = 'trade' | 'bid' | 'ask' | 'bsize' | 'asize' | 'last';

/** Feed ticks are floats for charting; the order path re-quantizes against MktPair ticks. */
export interface Tick {
  type: TickType;
  price: number;
  size: number;
  /** epoch milliseconds */
  time: number;
}

export interface Quote {
  fqme: string;
  ticks: Tick[];
}

export type ServiceState = 'starting' | 'running' | 'restarting' | 'crashed' | 'stopped';

export interface ServiceInfo {
  name: string;
  kind: 'datad' | 'samplerd' | 'emsd' | 'paperd' | 'brokerd' | 'api';
  state: ServiceState;
  startedAt: number | null;
  restarts: number;
  lastError: string | null;
  detail: Record<string, string | number>;
}

export interface SymbolMatch {
  fqme: string;
  broker: string;
  name: string;
  description: string;
  score: number;
}

export interface FeedStatus {
  fqme: string;
  broker: string;
  live: boolean;
  /** epoch ms of the newest tick seen, null before the first */
  lastTickAt: number | null;
  /** The venue connection: null for the embedded sim; 'stale' and 'down' warn before live orders. */
  link: 'connecting' | 'live' | 'stale' | 'down' | null;
  /** Why the link is in that state ("no message for 12 s", "closed 1006"). */
  detail: string;
  /** The fqme whose venue is feeding the chart: the backup's while failed over. */
  source: string;
  /**
   * What the venue's matching engine says it takes, where it says (Kraken: online, maintenance, cancel_only,
   * post_only); null when it has not said or has no such status. Anything but online limits live orders (emsd).
   */
  engine: string | null;
}
