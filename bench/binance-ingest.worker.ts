import { parentPort, workerData } from 'node:worker_threads';
import { emptyStats, type DataBackend } from '../core/brokers/backend.js';
import { BinanceFrameHandler } from '../core/brokers/binance/handler.js';
import { marketFromInfo } from '../core/brokers/binance/markets.js';
import { LogLimiter } from '../core/brokers/net/log-limiter.js';
import type { Feed } from '../core/data/feed.js';
import { exchangeInfo } from '../test/fakes/binance-rest.js';
import { FAKE_SPOT, fmtSize } from '../test/fakes/binance-server.js';
import { spotBookTickerFrame, spotTradeFrame } from '../test/fakes/binance-frames.js';
import { TradeTape } from '../test/fakes/trade-tape.js';
import { expectTrades, freshFeed, med, postPacked, timeRuns } from './lib/ingest-harness.js';
import type { Figure } from './lib/report.js';

/**
 * Runs inside ONE worker thread, as datad.binance does. The frames are what the fake Binance prints for a
 * BTCUSDT tape (the documented trade and bookTicker shapes on a combined stream), built before any clock
 * starts and decoded from bytes as `ws` hands text frames over. The Binance frame handler parses them
 * (scanner for trades), dedups by trade id, batches per symbol and hands each batch to Feed.ingest, whose
 * onTicks packs it and posts it to the parent: the datad path minus the socket.
 */
export interface BinanceIngestConfig {
  /** Trades per second in the recorded tape. */
  rate: number;
  spanMs: number;
  /** Frames per flush (one Feed.ingest per symbol per flush, as a queue drain would give). */
  batchFrames: number;
  runs: number;
}

const port = parentPort!;
const cfg = workerData as BinanceIngestConfig;
const note = (line: string) => port.postMessage({ t: 'log', line });
const figure = (f: Figure) => port.postMessage({ t: 'figure', f });
const START_MS = Date.UTC(2026, 0, 5, 14, 30);
const BUDGET = '>= 1000000';

function record(): { trades: string[]; mixed: string[]; tradeCount: number } {
  const sym = FAKE_SPOT[0]!;
  const tape = new TradeTape(sym, { seed: 3, rate: cfg.rate, startMs: START_MS });
  const tick = Number(sym.priceTick);
  const trades: string[] = [];
  const mixed: string[] = [];
  let u = 400_000_000;
  // Whole seconds: the tape generates a second at a time. Each trade is followed by the book it left (the
  // taker's side moved to the trade price), as a bookTicker frame: Binance prints more quotes than trades.
  for (let t = START_MS + 1_000; t <= START_MS + cfg.spanMs; t += 1_000) {
    for (const tr of tape.advance(t)) {
      const price = tape.fmt(tr.price);
      const frame = spotTradeFrame(sym.symbol, { id: tr.id, price, size: fmtSize(tape, tr.size), time: tr.time, buyerMaker: !tr.buy });
      trades.push(frame);
      mixed.push(frame);
      const q = tape.quote!;
      const [bid, ask] = tr.buy ? [tape.fmt(tr.price - tick), price] : [price, tape.fmt(tr.price + tick)];
      mixed.push(spotBookTickerFrame(sym.symbol, { updateId: ++u, bid, bidSize: fmtSize(tape, q.bidSize), ask, askSize: fmtSize(tape, q.askSize), time: 0 }));
    }
  }
  const flat = (xs: string[]) => xs.map((f) => Buffer.from(f).toString('utf8'));
  return { trades: flat(trades), mixed: flat(mixed), tradeCount: trades.length };
}

function handlerInto(feed: Feed) {
  const stats = emptyStats();
  const h = new BinanceFrameHandler({
    name: 'bench',
    stats,
    deliver: (_f, ticks) => feed.ingest(ticks),
    logs: new LogLimiter(note),
    autoFlush: false,
  });
  h.add('BTCUSDT', 'btcusdt.spot.binance');
  return { h, stats };
}

function main(): void {
  const t0 = performance.now();
  const rec = record();
  note(`recorded ${rec.trades.length} trade frames and ${rec.mixed.length - rec.tradeCount} bookTicker frames in ${(performance.now() - t0).toFixed(0)} ms, e.g. ${rec.trades[0]}`);
  const mkt = marketFromInfo('spot', (exchangeInfo('spot', new Map([['BTCUSDT', new TradeTape(FAKE_SPOT[0]!)]])) as { symbols: unknown[] }).symbols[0])!.mkt;
  const noBackend = {} as DataBackend; // Feed only calls its backend from open() and backfill(), not from ingest()
  const feedRun = (frames: string[], cpu: number[] = []) => {
    const ms = timeRuns(
      note,
      cfg.runs,
      () => {
        const feed = freshFeed(mkt, noBackend, postPacked(port));
        return { feed, ...handlerInto(feed) };
      },
      ({ h }) => {
        for (let i = 0; i < frames.length; i++) {
          h.onFrame(frames[i]!, START_MS);
          if (i % cfg.batchFrames === cfg.batchFrames - 1) h.flush();
        }
        h.flush();
      },
      ({ feed, stats }) => {
        expectTrades(feed, rec.tradeCount);
        if (stats.rejected + stats.duplicates > 0) throw new Error(`bench frames rejected ${stats.rejected}, duplicates ${stats.duplicates}`);
      },
      cpu,
    );
    return frames.length / (med(ms) / 1000);
  };
  const cpu: number[] = [];
  const tradesPerSec = feedRun(rec.trades, cpu);
  const mixedPerSec = feedRun(rec.mixed);
  figure({
    bench: 'binance.ingest',
    unit: 'msgs/s',
    value: tradesPerSec,
    budget: BUDGET,
    withinBudget: tradesPerSec >= 1e6,
    msgs: rec.trades.length,
    bytesPerMsg: rec.trades[0]!.length,
    batchFrames: cfg.batchFrames,
    cpuTimeMsgsPerSec: rec.trades.length / (med(cpu) / 1000),
    mixedMsgsPerSec: mixedPerSec,
    mixedFrames: rec.mixed.length,
    path: 'binance trade frames -> BinanceFrameHandler (scanner, dedup, batch) -> Feed.ingest (1 s + 60 s) -> packTicks -> postMessage; mixed adds bookTicker frames',
  });
  port.postMessage({ t: 'done' });
}

try {
  main();
} catch (e) {
  port.postMessage({ t: 'error', message: (e as Error).stack ?? String(e) });
}
