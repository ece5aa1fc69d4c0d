import type { SecretBox } from './credentials.js';

export interface HostOptions {
  /** Holds config.toml, ledgers, journal and history. */
  dataDir: string;
  /** Seed of the embedded sim exchange: same seed, same market. */
  seed?: number;
  /** Sim trades per second per market. */
  simRate?: number;
  /** Enables debug methods that crash services on purpose (integration and e2e tests only). */
  testHooks?: boolean;
  log?: (line: string) => void;
  /** Electron's safeStorage once the app is ready (null where the OS cannot encrypt); absent under serve. */
  secrets?: Promise<SecretBox | null> | SecretBox | null;
  /** Latency models of paperd and the sim venue (tests slow the venue's ack to exercise cancel-before-ack). */
  paperLatency?: Partial<{ ackMs: number; openMs: number; cancelMs: number }>;
  venueLatency?: Partial<{ ackMs: number; openMs: number; cancelMs: number }>;
}
