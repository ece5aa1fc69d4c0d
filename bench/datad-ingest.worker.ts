import { parentPort, workerData } from 'node:worker_threads';
import { SimBackend } from '../core/brokers/sim/backend.js';
import type { Feed } from '../core/data/feed.js';
import type { Tick } from '../core/protocol/types.js';
import { ScanNormalizer, normalizeJson, tradeFrame, type SymbolMap } from './lib/wire-trade.js';
import { batches, expectTrades as expectFolded, freshFeed as openFeed, med, postPacked, timeRuns } from './lib/ingest-harness.js';
import type { Figure } from './lib/report.js';

/**
 * Runs inside ONE worker thread, as datad does: sim ticks and Binance-shaped wire frames folded into real
 * OhlcBuffers (1 s + 60 s) through Feed.ingest, whose onTicks packs the batch and posts it to the parent
 * (transferred), exactly like datad.worker.ts. Inputs are generated before any clock starts.
 */
export interface IngestConfig {
  seed: number;
  fqme: string;
  /** Sim trades per second: with bid + ask, 3 ticks per trade. */
  rate: number;
  spanMs: number;
  /** Trades per Feed.ingest batch (the sim pump at 20k trades/s and 5 ms emits ~100). */
  batchTrades: number;
  runs: number;
}

const port = parentPort!;
const cfg = workerData as IngestConfig;
const note = (line: string) => port.postMessage({ t: 'log', line });
const figure = (f: Figure) => port.postMessage({ t: 'figure', f });

const START_MS = Date.UTC(2026, 0, 5, 14, 30);
const freshFeed = (mkt: Feed['mkt'], backend: SimBackend, post: boolean) => openFeed(mkt, backend, post ? postPacked(port) : undefined);
const time = <S>(runs: number, setup: () => S, body: (s: S) => void, check?: (s: S) => void) => timeRuns(note, runs, setup, body, check);
const BUDGET = '>= 1000000';

async function main(): Promise<void> {
  const backend = new SimBackend({ seed: cfg.seed, rate: cfg.rate });
  const mkt = await backend.getMktInfo(cfg.fqme);
  const t0 = performance.now();
  const ticks = backend.ticksBetween(cfg.fqme, START_MS, START_MS + cfg.spanMs);
  const trades = ticks.filter((t) => t.type === 'trade');
  note(`generated ${ticks.length} sim ticks (${trades.length} trades) in ${(performance.now() - t0).toFixed(0)} ms`);

  // ---- (a) sim path: trade + bid + ask ticks, Feed.ingest in batches, packTicks + post to the parent ----
  const simBatches = batches(ticks, cfg.batchTrades * 3);
  const expectTrades = (f: Feed) => expectFolded(f, trades.length);
  const runFeed = (bs: Tick[][]) => (f: Feed) => {
    for (let i = 0; i < bs.length; i++) f.ingest(bs[i]!);
  };
  const simMs = time(cfg.runs, () => freshFeed(mkt, backend, true), runFeed(simBatches), expectTrades);
  const simOhlcMs = time(cfg.runs, () => freshFeed(mkt, backend, false), runFeed(simBatches), expectTrades);
  const sec = med(simMs) / 1000;
  const tradesPerSec = trades.length / sec;
  figure({
    bench: 'datad.ingest.sim',
    unit: 'trades/s',
    value: tradesPerSec,
    budget: BUDGET,
    withinBudget: tradesPerSec >= 1e6,
    ticksPerSec: ticks.length / sec,
    trades: trades.length,
    ticks: ticks.length,
    batchTicks: cfg.batchTrades * 3,
    runsMs: simMs,
    bestTradesPerSec: trades.length / (simMs[0]! / 1000),
    withoutPackAndPostTradesPerSec: trades.length / (med(simOhlcMs) / 1000),
    path: 'sim ticks (trade+bid+ask) -> Feed.ingest (1 s + 60 s OhlcBuffer) -> packTicks -> postMessage',
  });

  // ---- (b) wire path: Binance-shaped JSON text frames, one trade each ----
  const symbols: SymbolMap = new Map([['BTCUSDT', cfg.fqme]]);
  // Decoded from bytes, as `ws` hands a text frame over (data.toString()): flat strings, not concatenation ropes.
  // The utf8 decode itself is not timed.
  const frames = trades.map((t, i) => Buffer.from(tradeFrame('BTCUSDT', 1_000_000 + i, t.price, t.size, t.time, i % 2 === 0)).toString('utf8'));
  const hand = new ScanNormalizer(symbols);
  const normalizeHand = (text: string) => hand.normalize(text);
  const frameBatches = batches(frames, cfg.batchTrades);
  note(`built ${frames.length} wire frames (${frames[0]!.length} bytes each, e.g. ${frames[0]})`);
  // The adapter's scanner must give exactly the ticks JSON.parse gives.
  for (let i = 0; i < frames.length; i += 97) {
    const a = normalizeJson(frames[i]!, symbols);
    const b = normalizeHand(frames[i]!);
    if (!a || !b || a.price !== b.price || a.size !== b.size || a.time !== b.time) {
      throw new Error(`hand parser disagrees on ${frames[i]}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    }
  }
  for (const [name, normalize] of [
    ['wire_json', (text: string) => normalizeJson(text, symbols)],
    ['wire_hand', normalizeHand],
  ] as const) {
    const ingestMs = time(
      cfg.runs,
      () => freshFeed(mkt, backend, true),
      (f) => {
        for (const raw of frameBatches) f.ingest(normalizeBatch(raw, normalize));
      },
      expectTrades,
    );
    // The same loop without Feed.ingest: what parse + normalize alone cost.
    let kept = 0;
    const parseMs = time(
      2,
      () => null,
      () => {
        for (const raw of frameBatches) kept += normalizeBatch(raw, normalize).length;
      },
    );
    if (kept === 0) note('parse loop produced nothing');
    const perSec = frames.length / (med(ingestMs) / 1000);
    figure({
      bench: `datad.ingest.${name}`,
      unit: 'msgs/s',
      value: perSec,
      budget: BUDGET,
      withinBudget: perSec >= 1e6,
      msgs: frames.length,
      batchMsgs: cfg.batchTrades,
      runsMs: ingestMs,
      bestMsgsPerSec: frames.length / (ingestMs[0]! / 1000),
      parseNormalizeOnlyMsgsPerSec: frames.length / (med(parseMs) / 1000),
      path: `${name === 'wire_json' ? 'JSON.parse' : 'Binance adapter scanner (core/brokers/binance/wire.ts)'} + normalize -> Feed.ingest (1 s + 60 s) -> packTicks -> postMessage`,
    });
  }
  port.postMessage({ t: 'done' });
}

main().catch((e: unknown) => {
  port.postMessage({ t: 'error', message: (e as Error).stack ?? String(e) });
});

/** One batch of wire frames as ticks, dropping the frames the normalizer refuses. */
function normalizeBatch(raw: readonly string[], normalize: (text: string) => Tick | null): Tick[] {
  const out: Tick[] = [];
  for (let i = 0; i < raw.length; i++) {
    const t = normalize(raw[i]!);
    if (t) out.push(t);
  }
  return out;
}
