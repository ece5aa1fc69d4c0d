// paper.submit_to_fill: a marketable order handed to paperd -> its BrokerdFill emitted, in process, with the zero
// latency model, so the figure is the engine's own cost (validation, crossing the quote, exact fill, fee,
// position). The book holds resting orders on both sides meanwhile, as a working session would.
import { performance } from 'node:perf_hooks';
import { PaperEngine } from '../core/clearing/paper/engine.js';
import { simMarket, simMktPair } from '../core/brokers/sim/markets.js';
import type { BrokerdOrder } from '../core/protocol/orders.js';
import type { MktPair } from '../core/protocol/types.js';
import { emit, log, summarize } from './lib/report.js';

const FQME = 'ethusd.spot.sim';
const RESTING_PER_SIDE = 1_000;
const WARMUP = 3_000;
const RUNS = Number(process.env.BENCH_PAPER_ORDERS ?? 30_000);

const mkt: MktPair = simMktPair(simMarket(FQME)!);
let filledAt = 0;
const paper = new PaperEngine({
  broker: 'sim',
  market: (f) => (f === FQME ? mkt : undefined),
  latency: { ackMs: 0, openMs: 0, cancelMs: 0 },
  fees: { maker: '0.0002', taker: '0.0005' },
  emit: (m) => {
    if (m.type === 'fill') filledAt = performance.now();
  },
});

let n = 0;
const order = (action: 'buy' | 'sell', price: string, size: string): BrokerdOrder => ({
  oid: `bench-${++n}`,
  account: 'paper',
  time: 0,
  fqme: FQME,
  price,
  size,
  action,
  reqid: null,
});

const now = Date.now();
paper.onTicks(FQME, [
  { type: 'bid', price: 2999.99, size: 1e6, time: now },
  { type: 'ask', price: 3000.01, size: 1e6, time: now },
]);
for (let i = 0; i < RESTING_PER_SIDE; i++) {
  paper.submit(order('buy', (2900 + i * 0.05).toFixed(2), '0.5'));
  paper.submit(order('sell', (3100 - i * 0.05).toFixed(2), '0.5'));
}

const lat: number[] = [];
for (let i = 0; i < WARMUP + RUNS; i++) {
  const buy = i % 2 === 0;
  const o = buy ? order('buy', '3000.5', '0.123') : order('sell', '2999.5', '0.123');
  filledAt = 0;
  const t0 = performance.now();
  paper.submit(o);
  if (filledAt === 0) throw new Error(`order ${o.oid} did not fill at once`);
  if (i >= WARMUP) lat.push((filledAt - t0) * 1000);
}

const s = summarize(lat);
const resting = paper.resting(FQME);
log(`paper: ${s.n} marketable orders, ${resting.buys.length + resting.sells.length} resting, mean ${s.mean.toFixed(2)} us`);
emit({
  bench: 'paper.submit_to_fill',
  unit: 'us',
  value: s.p99,
  p50: s.p50,
  p99: s.p99,
  budget: 'p99 <= 1000',
  withinBudget: s.p99 <= 1000,
  p95: s.p95,
  max: s.max,
  n: s.n,
  resting: resting.buys.length + resting.sells.length,
});
