import { parentPort, workerData } from 'node:worker_threads';
import type { DataBackend } from '../core/brokers/backend.js';
import { PublicFrames } from '../core/brokers/kraken/frames.js';
import { pairFromInfo } from '../core/brokers/kraken/symbols.js';
import type { Tick } from '../core/protocol/types.js';
import { tickerFrame, tradeFrame } from '../test/fakes/kraken-frames.js';
import { FAKE_PAIRS } from '../test/fakes/kraken-server.js';
import { TradeTape } from '../test/fakes/trade-tape.js';
import { expectTrades, freshFeed, med, postPacked, timeRuns, type TickSink } from './lib/ingest-harness.js';
import type { Figure } from './lib/report.js';

/**
 * Runs inside ONE worker thread, as datad.kraken does. The frames are what the fake Kraken prints for a BTC/USD
 * tape: `trade` updates (one trade each, bare numbers with trailing zeros, RFC 3339 microsecond times) and, for
 * `mixed`, a `ticker` (bbo) update after each trade. They are built before any clock starts and decoded from
 * bytes as `ws` hands text frames over. PublicFrames parses them (hand scanner for trades, JSON.parse otherwise),
 * dedups by trade_id, and the ticks of `batchFrames` frames go to Feed.ingest as one batch, as KrakenStream hands
 * over the ticks of one socket-queue drain; Feed's onTicks packs and posts them to the parent.
 */
export interface KrakenIngestConfig {
  rate: number;
  spanMs: number;
  batchFrames: number;
  runs: number;
}

const port = parentPort!;
const cfg = workerData as KrakenIngestConfig;
const note = (line: string) => port.postMessage({ t: 'log', line });
const figure = (f: Figure) => port.postMessage({ t: 'figure', f });
const START_MS = Date.UTC(2026, 0, 5, 14, 30);
const BUDGET = '>= 1000000';

function record(): { trades: string[]; mixed: string[] } {
  const p = FAKE_PAIRS[0]!;
  const tape = new TradeTape({ symbol: p.symbol, base: p.basePrice, priceTick: p.tickSize, sizeTick: '0.00000001', meanSize: p.meanSize }, { seed: 3, rate: cfg.rate, startMs: START_MS });
  const tick = Number(p.tickSize);
  const trades: string[] = [];
  const mixed: string[] = [];
  for (let t = START_MS + 1_000; t <= START_MS + cfg.spanMs; t += 1_000) {
    for (const tr of tape.advance(t)) {
      const frame = tradeFrame('update', p.symbol, [{ id: tr.id, price: tape.fmt(tr.price), qty: tr.size.toFixed(8), time: tr.time, side: tr.buy ? 'buy' : 'sell' }]);
      trades.push(frame);
      mixed.push(frame);
      // The book the trade left: the taker's side moved to the trade price.
      const q = tape.quote!;
      const [bid, ask] = tr.buy ? [tr.price - tick, tr.price] : [tr.price, tr.price + tick];
      mixed.push(tickerFrame('update', p.symbol, { bid: tape.fmt(bid), bidQty: q.bidSize.toFixed(8), ask: tape.fmt(ask), askQty: q.askSize.toFixed(8), time: tr.time }, tape.fmt(tr.price)));
    }
  }
  const flat = (xs: string[]) => xs.map((f) => Buffer.from(f).toString('utf8'));
  return { trades: flat(trades), mixed: flat(mixed) };
}

/** A frame handler whose ticks gather until flush(), as one socket-queue drain's do in KrakenStream. */
function handlerInto(sink: TickSink) {
  let batch: Tick[] = [];
  const f = new PublicFrames({
    ticks: (_fqme, ticks) => {
      for (const t of ticks) batch.push(t);
    },
    ack: () => {},
    status: () => {},
    venueError: () => {},
    reject: (reason) => note(`bench frame rejected: ${reason}`),
  });
  f.track('BTC/USD', 'xbtusd.spot.kraken', START_MS);
  const flush = () => {
    if (batch.length) sink('xbtusd.spot.kraken', batch);
    batch = [];
  };
  return { f, flush };
}

function main(): void {
  const t0 = performance.now();
  const rec = record();
  note(`recorded ${rec.trades.length} trade frames and ${rec.mixed.length - rec.trades.length} ticker frames in ${(performance.now() - t0).toFixed(0)} ms, e.g. ${rec.trades[0]}`);
  const p = FAKE_PAIRS[0]!;
  const mkt = pairFromInfo(p.key, { altname: p.altname, wsname: p.wsname, pair_decimals: p.pairDecimals, lot_decimals: p.lotDecimals, ordermin: p.ordermin, costmin: p.costmin, tick_size: p.tickSize }).mkt;
  const noBackend = {} as DataBackend; // Feed only calls its backend from open() and backfill(), not from ingest()
  const feedRun = (frames: string[], cpu: number[] = []) => {
    const ms = timeRuns(
      note,
      cfg.runs,
      () => {
        const feed = freshFeed(mkt, noBackend, postPacked(port));
        return { feed, ...handlerInto((_f, ticks) => feed.ingest(ticks)) };
      },
      ({ f, flush }) => {
        for (let i = 0; i < frames.length; i++) {
          f.handle(frames[i]!);
          if (i % cfg.batchFrames === cfg.batchFrames - 1) flush();
        }
        flush();
      },
      ({ feed, f }) => {
        expectTrades(feed, rec.trades.length);
        // A ticker equal to the one before is counted as a duplicate; a trade never is here.
        if (f.counters.rejected > 0 || (frames === rec.trades && f.counters.duplicates > 0)) throw new Error(`bench frames rejected ${f.counters.rejected}, duplicates ${f.counters.duplicates}`);
      },
      cpu,
    );
    return frames.length / (med(ms) / 1000);
  };
  let parsed = 0;
  const parseMs = timeRuns(
    note,
    cfg.runs,
    () => handlerInto((_f, ticks) => (parsed += ticks.length)),
    ({ f, flush }) => {
      for (let i = 0; i < rec.trades.length; i++) f.handle(rec.trades[i]!);
      flush();
    },
  );
  const cpu: number[] = [];
  const tradesPerSec = feedRun(rec.trades, cpu);
  const mixedPerSec = feedRun(rec.mixed);
  figure({
    bench: 'kraken.ingest',
    unit: 'msgs/s',
    value: tradesPerSec,
    budget: BUDGET,
    withinBudget: tradesPerSec >= 1e6,
    msgs: rec.trades.length,
    bytesPerMsg: rec.trades[0]!.length,
    batchFrames: cfg.batchFrames,
    cpuTimeMsgsPerSec: rec.trades.length / (med(cpu) / 1000),
    handlerOnlyMsgsPerSec: rec.trades.length / (med(parseMs) / 1000),
    mixedMsgsPerSec: mixedPerSec,
    mixedFrames: rec.mixed.length,
    path: 'kraken trade frames -> PublicFrames (scanner, trade_id dedupe) -> per-drain batch -> Feed.ingest (1 s + 60 s) -> packTicks -> postMessage; mixed adds ticker (bbo) frames',
  });
  if (parsed === 0) note('handler-only loop produced nothing');
  port.postMessage({ t: 'done' });
}

try {
  main();
} catch (e) {
  port.postMessage({ t: 'error', message: (e as Error).stack ?? String(e) });
}
