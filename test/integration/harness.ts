import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Host } from '../../core/host/host.js';
import { startServer, type RunningServer } from '../../core/host/http-server.js';
import { connectWs } from '../../core/cli/node-client.js';
import type { ApiClient } from '../../core/protocol/client.js';
import type { Status } from '../../core/protocol/orders.js';
import { quantize } from '../../core/protocol/decimal.js';
import type { BarFrame } from '../../core/protocol/frames.js';

export interface TestHost {
  host: Host;
  server: RunningServer;
  dataDir: string;
  connect(): Promise<ApiClient>;
  stop(): Promise<void>;
}

/** A real host with the sim backend on a free loopback port, small history so tests start fast. */
export async function startTestHost(
  opts: { rate?: number; seed?: number; testHooks?: boolean; dataDir?: string; venueAckMs?: number; config?: string } = {},
): Promise<TestHost> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'cw-int-'));
  writeFileSync(join(dataDir, 'config.toml'), '[history]\ndays60 = 3\nhours1 = 1\n' + (opts.config ?? ''));
  const logs: string[] = [];
  const host = await Host.start({
    dataDir,
    seed: opts.seed ?? 11,
    simRate: opts.rate ?? 50,
    testHooks: opts.testHooks ?? false,
    log: (l) => logs.push(l),
    ...(opts.venueAckMs !== undefined ? { venueLatency: { ackMs: opts.venueAckMs, cancelMs: 20 } } : {}),
  });
  const server = await startServer(host, { port: 0, host: '127.0.0.1', staticDir: join(dataDir, 'no-ui') });
  const clients: ApiClient[] = [];
  return {
    host,
    server,
    dataDir,
    connect: async () => {
      const c = await connectWs(server.url);
      clients.push(c);
      return c;
    },
    stop: async () => {
      for (const c of clients) c.close();
      await server.close();
      await host.stop();
    },
  };
}

/**
 * Rows a client has seen for one stream, by absolute buffer index: snapshot, then updates overwrite.
 * Listen before subscribing: under Node the snapshot can arrive in the same socket read as the reply.
 */
export class RowMirror {
  readonly rows = new Map<number, { time: number; open: number; high: number; low: number; close: number; volume: number }>();
  frames = 0;
  streamId = -1;
  private early: BarFrame[] = [];
  constructor(client: ApiClient) {
    client.onFrame((f) => (this.streamId < 0 ? this.early.push(f) : this.apply(f)));
  }
  follow(streamId: number): this {
    this.streamId = streamId;
    for (const f of this.early) this.apply(f);
    this.early = [];
    return this;
  }
  apply(f: BarFrame): void {
    if (f.streamId !== this.streamId) return;
    this.frames++;
    for (let i = 0; i < f.count; i++) {
      this.rows.set(f.startIndex + i, {
        time: f.rows.time[i]!,
        open: f.rows.open[i]!,
        high: f.rows.high[i]!,
        low: f.rows.low[i]!,
        close: f.rows.close[i]!,
        volume: f.rows.volume[i]!,
      });
    }
  }
  byTime(): Map<number, { open: number; high: number; low: number; close: number; volume: number }> {
    return new Map([...this.rows.values()].map((r) => [r.time, r]));
  }
}

export async function until<T>(fn: () => T | undefined | false | null | Promise<T | undefined | false | null>, what: string, timeoutMs = 15_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Every status event a client sees, by oid. */
export function statuses(c: ApiClient) {
  const seen: Status[] = [];
  c.on('status', (s) => seen.push(s));
  return {
    seen,
    of: (oid: string) => seen.filter((s) => s.oid === oid).map((s) => s.resp),
  };
}

/** The next trade's price on `fqme`, on the price tick (subscribes the client to its quotes, which it keeps). */
export async function lastTradePrice(c: ApiClient, fqme: string, tick: string): Promise<string> {
  let last: number | null = null;
  const off = c.on('quote', (q) => {
    for (const tk of q.ticks) if (q.fqme === fqme && tk.type === 'trade') last = tk.price;
  });
  await c.call('quotes.subscribe', { fqme });
  await until(() => last !== null, `a trade on ${fqme}`);
  off();
  return quantize(last!.toFixed(2), tick);
}
