import { parentPort, workerData } from 'node:worker_threads';
import type { DataBackend } from '../core/brokers/backend.js';
import { BybitFrameParser } from '../core/brokers/bybit/frame-parser.js';
import { buildMarkets } from '../core/brokers/bybit/instruments.js';
import type { Tick } from '../core/protocol/types.js';
import { tradeFrame, type FrameTrade } from '../test/fakes/bybit-frames.js';
import { FAKE_BYBIT_SYMBOLS, linearEntry } from '../test/fakes/bybit-server.js';
import { TradeTape } from '../test/fakes/trade-tape.js';
import { expectTrades, freshFeed, med, postPacked, timeRuns } from './lib/ingest-harness.js';
import type { Figure } from './lib/report.js';

/**
 * Runs inside ONE worker thread, as datad.bybit does. The frames are what the fake Bybit prints for a linear
 * BTCUSDT tape (the documented publicTrade shape: an array of trades with UUID ids), built before any clock starts
 * and decoded from bytes as `ws` hands text frames over. The Bybit frame parser turns each into trade ticks
 * (dedupe by id); the ticks of `batchFrames` frames go to Feed.ingest together, as BybitStreams hands over a
 * socket-queue drain; the feed's onTicks packs the batch and posts it to the parent.
 */
export interface BybitIngestConfig {
  /** Trades per second in the recorded tape. */
  rate: number;
  spanMs: number;
  /** Frames per Feed.ingest (one queue drain). */
  batchFrames: number;
  runs: number;
}

const port = parentPort!;
const cfg = workerData as BybitIngestConfig;
const note = (line: string) => port.postMessage({ t: 'log', line });
const figure = (f: Figure) => port.postMessage({ t: 'figure', f });
const START_MS = Date.UTC(2026, 0, 5, 14, 30);
const BUDGET = '>= 1000000';

/** The tape as publicTrade frames of `perFrame(i)` trades each. */
function record(perFrame: (i: number) => number): { frames: string[]; trades: number } {
  const sym = FAKE_BYBIT_SYMBOLS[0]!;
  const tape = new TradeTape({ symbol: sym.symbol, base: sym.base, priceTick: sym.linear.tickSize, sizeTick: sym.linear.qtyStep, meanSize: sym.meanSize }, { seed: 3, rate: cfg.rate, startMs: START_MS });
  const all: FrameTrade[] = [];
  for (let t = START_MS + 1_000; t <= START_MS + cfg.spanMs; t += 1_000) {
    for (const tr of tape.advance(t)) all.push({ id: tr.id, price: tape.fmt(tr.price), size: tr.size.toFixed(3), time: tr.time, buy: tr.buy });
  }
  const frames: string[] = [];
  for (let i = 0, n = 0; i < all.length; n++) {
    const part = all.slice(i, i + perFrame(n));
    i += part.length;
    frames.push(Buffer.from(tradeFrame('linear', sym.symbol, part, part[part.length - 1]!.time + 3, n)).toString('utf8'));
  }
  return { frames, trades: all.length };
}

function main(): void {
  const t0 = performance.now();
  const rec = record((n) => 1 + (n % 4));
  const single = record(() => 1);
  note(`recorded ${rec.trades} trades as ${rec.frames.length} publicTrade frames (1-4 trades each) in ${(performance.now() - t0).toFixed(0)} ms, e.g. ${rec.frames[0]}`);
  const mkt = buildMarkets([], [linearEntry(FAKE_BYBIT_SYMBOLS[0]!)], (why) => note(why))[0]!.mkt;
  const noBackend = {} as DataBackend; // Feed calls its backend from open() and backfill() only, not from ingest()

  const feedRun = (frames: string[], trades: number) =>
    timeRuns(
      note,
      cfg.runs,
      () => ({ feed: freshFeed(mkt, noBackend, postPacked(port)), parser: new BybitFrameParser('linear') }),
      ({ feed, parser }) => {
        let batch: Tick[] = [];
        for (let i = 0; i < frames.length; i++) {
          const out = parser.handle(frames[i]!);
          if (out.kind === 'ticks') for (const t of out.ticks) batch.push(t);
          if (i % cfg.batchFrames === cfg.batchFrames - 1 || i === frames.length - 1) {
            feed.ingest(batch);
            batch = [];
          }
        }
      },
      ({ feed, parser }) => {
        expectTrades(feed, trades);
        if (parser.counters.rejected + parser.counters.duplicates > 0) throw new Error(`bench frames rejected ${parser.counters.rejected}, duplicates ${parser.counters.duplicates}`);
      },
    );
  let parsed = 0;
  const parseMs = timeRuns(
    note,
    cfg.runs,
    () => new BybitFrameParser('linear'),
    (parser) => {
      for (const raw of rec.frames) {
        const out = parser.handle(raw);
        if (out.kind === 'ticks') parsed += out.ticks.length;
      }
    },
  );
  const ms = feedRun(rec.frames, rec.trades);
  const singleMs = feedRun(single.frames, single.trades);
  const perSec = rec.trades / (med(ms) / 1000);
  figure({
    bench: 'bybit.ingest',
    unit: 'msgs/s',
    value: perSec,
    budget: BUDGET,
    withinBudget: perSec >= 1e6,
    msgs: rec.trades,
    frames: rec.frames.length,
    framesPerSec: rec.frames.length / (med(ms) / 1000),
    tradesPerFrame: rec.trades / rec.frames.length,
    batchFrames: cfg.batchFrames,
    runsMs: ms,
    bestMsgsPerSec: rec.trades / (ms[0]! / 1000),
    parserOnlyMsgsPerSec: rec.trades / (med(parseMs) / 1000),
    oneTradePerFrameMsgsPerSec: single.trades / (med(singleMs) / 1000),
    path: 'bybit publicTrade frames (1-4 trades) -> BybitFrameParser (one-pass scanner, JSON.parse fallback; validation; id dedupe) -> Feed.ingest per 100 frames (1 s + 60 s) -> packTicks -> postMessage',
  });
  if (parsed === 0) note('parser-only loop produced nothing');
  port.postMessage({ t: 'done' });
}

try {
  main();
} catch (e) {
  port.postMessage({ t: 'error', message: (e as Error).stack ?? String(e) });
}
