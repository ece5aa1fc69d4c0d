import { TriggerBook, WATCHED_TICKS } from '../core/clearing/trigger-book.js';
import { mix32 } from '../core/brokers/sim/prng.js';
import type { Action } from '../core/protocol/orders.js';
import type { TickType } from '../core/protocol/types.js';
import { emit, log, median } from './lib/report.js';

/**
 * ems.dark_trigger_check: the cost of one tick's trigger check (TriggerBook.onTick) with 10,000 resting dark
 * orders and alerts on one fqme (DESIGN.md §7: <= 20 us). Prices: xbtusd-like, 0.5 tick, triggers spread +-2%
 * around the start; ticks: a random walk of trade/bid/ask, so most ticks fire nothing and some fire a few.
 * Fired triggers are replaced between timed batches so the book stays at 10,000. For scale, the same ticks
 * against a plain scan of every trigger (what piker does) on a slice of the stream.
 */
const TRIGGERS = 10_000;
const TICKS = 1_000_000;
const BATCH = 1_000;
const RUNS = 5;
const START = 50_000;
const TICK = 0.5;
const SPREAD_TICKS = 2_000; // +-2% of 50,000 in 0.5 ticks
const ACTIONS: readonly Action[] = ['buy', 'sell', 'alert'];
const TYPES: readonly TickType[] = ['trade', 'bid', 'ask'];

let state = 12345;
const rnd = (): number => (state = mix32(state + 0x9e3779b9)) / 4294967296;

/** A trade/bid/ask random walk in whole ticks, with an occasional jump of a few ticks. */
function tickStream(n: number): Ticks {
  const types: TickType[] = new Array(n);
  const prices = new Float64Array(n);
  let last = START / TICK;
  for (let i = 0; i < n; i++) {
    const type = TYPES[i % 3]!;
    if (type === 'trade') last += rnd() < 0.02 ? Math.round((rnd() - 0.5) * 20) : Math.round((rnd() - 0.5) * 2.2);
    types[i] = type;
    prices[i] = (type === 'bid' ? last - 1 : type === 'ask' ? last + 1 : last) * TICK;
  }
  return { types, prices };
}

let nextOid = 0;
function armRandom(book: TriggerBook, around: number): void {
  const price = (Math.round(around / TICK) + Math.round((rnd() * 2 - 1) * SPREAD_TICKS)) * TICK;
  book.arm({ oid: `d${nextOid++}`, action: ACTIONS[Math.floor(rnd() * 3)]!, price: String(price) });
}

interface Ticks {
  types: TickType[];
  prices: Float64Array;
}
interface RunResult {
  usPerTick: number;
  worstBatchUs: number;
  fired: number;
  firingTicks: number;
}

function run(ticks: Ticks): RunResult {
  const book = new TriggerBook('xbtusd.spot.sim');
  book.onTick('trade', START);
  for (let i = 0; i < TRIGGERS; i++) armRandom(book, START);
  let ms = 0;
  let worst = 0;
  let fired = 0;
  let firingTicks = 0;
  const { types, prices } = ticks;
  for (let b = 0; b < TICKS; b += BATCH) {
    let batchFired = 0;
    let batchFiringTicks = 0;
    const t0 = performance.now();
    for (let i = b; i < b + BATCH; i++) {
      const n = book.onTick(types[i]!, prices[i]!).length;
      batchFired += n;
      if (n) batchFiringTicks++;
    }
    const dt = performance.now() - t0;
    ms += dt;
    worst = Math.max(worst, dt);
    fired += batchFired;
    firingTicks += batchFiringTicks;
    // Untimed: keep the book full, as new orders would.
    const last = book.last ?? START;
    for (let k = 0; k < batchFired; k++) armRandom(book, last);
  }
  if (book.size !== TRIGGERS) throw new Error(`book drifted to ${book.size} triggers`);
  return { usPerTick: (ms * 1000) / TICKS, worstBatchUs: (worst * 1000) / BATCH, fired, firingTicks };
}

/**
 * piker's way, for comparison: test every trigger of the symbol on every tick. Given its best chance: prices,
 * directions and watched tick types unpacked into typed arrays, so the scan is one tight loop.
 */
function naiveScan(ticks: Ticks, n: number): number {
  const book = new TriggerBook('x.y.sim');
  book.onTick('trade', START);
  for (let i = 0; i < TRIGGERS; i++) armRandom(book, START);
  const all = book.all();
  const px = Float64Array.from(all, (t) => t.px);
  const up = Uint8Array.from(all, (t) => (t.direction === 'up' ? 1 : 0));
  const watchBits = (a: Action): number =>
    TYPES.reduce((m, type, bit) => m | (WATCHED_TICKS[a].includes(type) ? 1 << bit : 0), 0);
  const watch = Uint8Array.from(all, (t) => watchBits(t.action));
  let hits = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const bit = 1 << TYPES.indexOf(ticks.types[i]!);
    const p = ticks.prices[i]!;
    for (let j = 0; j < px.length; j++) if (watch[j]! & bit && (up[j] ? p >= px[j]! : p <= px[j]!)) hits++;
  }
  const us = ((performance.now() - t0) * 1000) / n;
  log(`plain scan: ${us.toFixed(1)} us/tick (${hits} hits, none removed)`);
  return us;
}

const ticks = tickStream(TICKS);
run(ticks); // warm-up: JIT and the book's arrays
const runs = Array.from({ length: RUNS }, () => run(ticks));
for (const r of runs) {
  log(`dark trigger check: ${r.usPerTick.toFixed(3)} us/tick, ${r.fired} fired on ${r.firingTicks} ticks`);
}
const value = median(runs.map((r) => r.usPerTick));
const r0 = runs[0]!;
emit({
  bench: 'ems.dark_trigger_check',
  unit: 'us/tick',
  value,
  budget: '<= 20',
  withinBudget: value <= 20,
  triggers: TRIGGERS,
  ticks: TICKS,
  bestUsPerTick: Math.min(...runs.map((r) => r.usPerTick)),
  worstBatchUsPerTick: Math.max(...runs.map((r) => r.worstBatchUs)),
  firedPerRun: r0.fired,
  ticksFiringShare: r0.firingTicks / TICKS,
  naiveScanUsPerTick: naiveScan(ticks, 10_000),
  path: 'TriggerBook.onTick: per-(action, direction) sorted arrays, fired triggers popped from the end',
});
