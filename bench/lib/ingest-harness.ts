import type { MessagePort } from 'node:worker_threads';
import type { DataBackend } from '../../core/brokers/backend.js';
import { Feed } from '../../core/data/feed.js';
import { OhlcBuffer } from '../../core/data/ohlc-buffer.js';
import { packTicks } from '../../core/data/tick-pack.js';
import type { MktPair, Tick } from '../../core/protocol/types.js';

/**
 * What the ingest benchmarks share: a Feed with real 1 s + 60 s OhlcBuffers laid out as Feed.open makes them,
 * the datad worker's tick hand-off (packTicks + transferred postMessage), and timed runs with fresh state.
 */

// Room as Feed.open gives it: a history area below, a week of minutes / a day of seconds above.
const LAYOUT = { 60: { hist: 2_880, live: 7 * 1440 }, 1: { hist: 3_600, live: 86_400 } } as const;

export type TickSink = (fqme: string, ticks: readonly Tick[]) => void;

/** What datad.worker.ts does with every ingested batch: pack it and transfer it to the host thread. */
export function postPacked(port: MessagePort): TickSink {
  return (fqme, ticks) => {
    const packed = packTicks(ticks);
    port.postMessage({ t: 'quotes', fqme, packed }, [packed.buffer as ArrayBuffer]);
  };
}

/** A feed that is open (buffers allocated) without history or a stream: ingest() is all a run calls. */
export function freshFeed(mkt: MktPair, backend: DataBackend, onTicks: TickSink = () => undefined): Feed {
  const feed = new Feed(mkt, backend, { rows60: LAYOUT[60].hist, rows1: LAYOUT[1].hist }, { onBuffer: () => undefined, onHistory: () => undefined, onTicks });
  for (const tf of [60, 1] as const) {
    const l = LAYOUT[tf];
    feed.buffers.set(tf, OhlcBuffer.create({ capacity: l.hist + l.live, origin: l.hist, timeframe: tf }));
  }
  return feed;
}

export function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/**
 * Sorted wall times (ms) of `runs` runs of `body` after one warm-up run; each run gets fresh state from `setup`.
 * With `cpu`, each run's process CPU time (ms) is pushed there too: on a loaded machine wall time also counts the
 * time other processes had the core, CPU time does not (it includes GC threads, and the parent thread's little).
 */
export function timeRuns<S>(note: (line: string) => void, runs: number, setup: () => S, body: (s: S) => void, check?: (s: S) => void, cpu?: number[]): number[] {
  const ms: number[] = [];
  for (let r = 0; r <= runs; r++) {
    const s = setup();
    const c0 = cpuMs();
    const t0 = performance.now();
    body(s);
    const dt = performance.now() - t0;
    const dc = cpuMs() - c0;
    check?.(s);
    if (r > 0) {
      ms.push(dt);
      cpu?.push(dc);
    }
  }
  note(`runs (ms, in order): ${ms.map((m) => m.toFixed(0)).join(' ')}${cpu ? `; cpu ms ${cpu.map((m) => m.toFixed(0)).join(' ')}` : ''}`);
  cpu?.sort((a, b) => a - b);
  return ms.sort((a, b) => a - b);
}

export const med = (sorted: number[]): number => sorted[(sorted.length - 1) >> 1]!;

/** Throws unless both buffers folded exactly `expected` trades. */
export function expectTrades(f: Feed, expected: number): void {
  if (f.stats[60].trades !== expected || f.stats[1].trades !== expected) {
    throw new Error(`ingest folded ${f.stats[60].trades}/${f.stats[1].trades} trades, expected ${expected}`);
  }
}
