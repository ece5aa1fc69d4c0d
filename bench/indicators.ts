import { spawnWorker } from '../core/util/spawn-worker.js';
import { COLUMNS, type BarRows } from '../core/protocol/frames.js';
import { IndicatorEngine } from '../renderer/features/indicators/indicator-engine.js';
import { IndicatorHub, type IndicatorChange, type WorkerLike } from '../renderer/features/indicators/indicator-hub.js';
import type { FromWorker, ToWorker, ValuesMsg } from '../renderer/features/indicators/worker-protocol.js';
import { BarStore } from '../renderer/lib/bar-store.js';
import { emit, log, median, summarize } from './lib/report.js';

/**
 * indicators.*: the cost of keeping the full indicator set (Volume, VWAP day, SMA 20, EMA 20, RSI 14) current on a
 * 1,000,000-bar 1 m series, as the renderer's indicator worker does it (renderer/features/indicators/).
 *  - indicators.tick_update: per tick (the host resends its last two rows, the forming bar changed; every 60th tick
 *    a new bar), the engine's handle + flush: change detection, one value per indicator, the changed values out. µs.
 *  - indicators.tick_roundtrip: the same ticks through the page side (IndicatorFeed.push copies the rows, posts them)
 *    to a worker thread and back (values written into IndicatorValues, listener called). µs, one tick in flight.
 *  - indicators.batch_1m: the whole set over the 1M bars at once (a snapshot, or history prepended). ms.
 */
const BARS = 1_000_000;
const TICKS = 200_000;
const ROUNDTRIPS = 5_000;
const RUNS = 5;
const T0 = Date.UTC(2023, 0, 1) / 1000;
const SET = [
  { id: 'vol', kind: 'volume', params: {} },
  { id: 'vwap', kind: 'vwap', params: { anchor: 'day' } },
  { id: 'sma', kind: 'sma', params: { period: 20 } },
  { id: 'ema', kind: 'ema', params: { period: 20 } },
  { id: 'rsi', kind: 'rsi', params: { period: 14 } },
] as const;

let seed = 1;
const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);

function history(n: number): BarRows {
  const rows = {} as BarRows;
  for (const c of COLUMNS) rows[c] = new Float64Array(n);
  let p = 50_000;
  for (let i = 0; i < n; i++) {
    const o = p;
    p = Math.max(1, p + (rnd() - 0.5) * 40);
    rows.time[i] = T0 + i * 60;
    rows.open[i] = o;
    rows.close[i] = p;
    rows.high[i] = Math.max(o, p) + rnd() * 10;
    rows.low[i] = Math.min(o, p) - rnd() * 10;
    rows.volume[i] = rnd() * 5;
  }
  return rows;
}

/** The host's next update frame: its last two rows, with a trade in the newest (or a new bar every 60th tick). */
class Tape {
  constructor(readonly store: BarStore) {}
  next(k: number): { start: number; rows: BarRows } {
    const s = this.store;
    const newBar = k % 60 === 59;
    const start = newBar ? s.hi - 1 : s.hi - 2;
    const rows = {} as BarRows;
    for (const c of COLUMNS) rows[c] = new Float64Array(2);
    for (const c of COLUMNS) rows[c][0] = s.get(c, start);
    const last = s.bar(s.hi - 1)!;
    const price = last.close + (rnd() - 0.5) * 4;
    if (newBar) {
      for (const c of COLUMNS) rows[c][0] = s.get(c, s.hi - 1);
      rows.time[1] = last.time + 60;
      rows.open[1] = rows.high[1] = rows.low[1] = rows.close[1] = price;
      rows.volume[1] = 0.01;
    } else {
      for (const c of COLUMNS) rows[c][1] = s.get(c, s.hi - 1);
      rows.close[1] = price;
      rows.high[1] = Math.max(last.high, price);
      rows.low[1] = Math.min(last.low, price);
      rows.volume[1] = last.volume + 0.01;
    }
    s.set(start, rows);
    return { start, rows };
  }
}

function engineRun(base: BarRows): { tickUs: number[]; batchMs: number; appendUs: number[] } {
  const engine = new IndicatorEngine();
  for (const [k, s] of SET.entries()) engine.handle({ type: 'set', series: 1, id: s.id, rev: k + 1, kind: s.kind, params: s.params });
  const copy = Object.fromEntries(COLUMNS.map((c) => [c, base[c].slice()])) as unknown as BarRows;
  const t0 = performance.now();
  engine.handle({ type: 'rows', series: 1, epoch: 1, replace: true, start: 0, rows: copy });
  const full = engine.flush();
  const batchMs = performance.now() - t0;
  if (full[0]!.out.length !== SET.length) throw new Error('batch did not compute the set');
  const store = new BarStore();
  store.set(0, base);
  const tape = new Tape(store);
  const tickUs: number[] = [];
  const appendUs: number[] = [];
  let values = 0;
  for (let k = 0; k < TICKS; k++) {
    const { start, rows } = tape.next(k);
    const a = performance.now();
    engine.handle({ type: 'rows', series: 1, epoch: 1, replace: false, start, rows });
    const out = engine.flush();
    const us = (performance.now() - a) * 1000;
    (k % 60 === 59 ? appendUs : tickUs).push(us);
    values += out[0]?.out.reduce((n, o) => n + o.values.length, 0) ?? 0;
    if (out[0]?.out.some((o) => o.full)) throw new Error(`tick ${k} fell back to a batch`);
  }
  log(`engine: batch ${batchMs.toFixed(0)} ms; ${TICKS} ticks, ${values} values out (${(values / TICKS).toFixed(2)} per tick)`);
  return { tickUs, batchMs, appendUs };
}

/** A node worker_thread as the page's WorkerLike. */
function nodeWorker(): WorkerLike {
  const w = spawnWorker(import.meta.url, 'indicators.worker', { name: 'indicators' });
  const like: WorkerLike = {
    onmessage: null,
    onerror: null,
    postMessage: (msg: ToWorker, transfer: ArrayBuffer[]) => w.postMessage(msg, transfer),
    terminate: () => void w.terminate(),
  };
  w.on('message', (data: FromWorker) => like.onmessage?.({ data }));
  w.on('error', (e) => like.onerror?.(e));
  return like;
}

async function roundtrips(base: BarRows): Promise<{ us: number[]; snapshotMs: number; computeUs: number[] }> {
  let resolve: ((c: IndicatorChange[]) => void) | null = null;
  const hub = new IndicatorHub(nodeWorker);
  const feed = hub.open({ onValues: (c) => resolve?.(c) });
  const next = () => new Promise<IndicatorChange[]>((r) => (resolve = r));
  feed.setIndicators(SET);
  const store = new BarStore();
  store.set(0, base);
  const t0 = performance.now();
  let got = next();
  feed.push(store, null, true);
  await got;
  const snapshotMs = performance.now() - t0;
  const tape = new Tape(store);
  const us: number[] = [];
  const computeUs: number[] = [];
  for (let k = 0; k < ROUNDTRIPS; k++) {
    const { start, rows } = tape.next(k);
    const a = performance.now();
    got = next();
    feed.push(store, { from: start, to: start + rows.time.length }, false);
    await got;
    us.push((performance.now() - a) * 1000);
    computeUs.push(hub.stats.lastComputeUs);
  }
  const last = store.hi - 1;
  const want = new IndicatorEngine();
  want.handle({ type: 'set', series: 1, id: 'sma', rev: 1, kind: 'sma', params: { period: 20 } });
  want.handle({ type: 'rows', series: 1, epoch: 1, replace: true, start: 0, rows: store.view({ from: 0, to: store.hi }) });
  const ref = (want.flush()[0] as ValuesMsg).out[0]!.values[last]!;
  if (feed.values.get('sma')!.get(last) !== ref) throw new Error('worker values differ from a batch over the same bars');
  hub.terminate();
  return { us, snapshotMs, computeUs };
}

const base = history(BARS);
engineRun(base); // warm-up: JIT
const runs = Array.from({ length: RUNS }, () => engineRun(base));
const tick = summarize(runs.flatMap((r) => r.tickUs));
const append = summarize(runs.flatMap((r) => r.appendUs));
const batchMs = median(runs.map((r) => r.batchMs));
const rt = await roundtrips(base);
const rts = summarize(rt.us);

emit({
  bench: 'indicators.tick_update',
  unit: 'us/tick',
  value: median(runs.map((r) => summarize(r.tickUs).mean)),
  bars: BARS,
  indicators: SET.map((s) => `${s.kind}${'period' in s.params ? ` ${s.params.period}` : ''}`).join(', '),
  ticks: TICKS * RUNS,
  p50: tick.p50,
  p99: tick.p99,
  max: tick.max,
  newBarMean: append.mean,
  newBarP99: append.p99,
  naiveRecomputeUs: batchMs * 1000,
  path: 'IndicatorEngine.handle (change detection on the resent rows) + flush (IncrementalIndicator.update per indicator, changed values copied out)',
});
emit({
  bench: 'indicators.tick_roundtrip',
  unit: 'us',
  value: rts.p50,
  bars: BARS,
  ticks: ROUNDTRIPS,
  p99: rts.p99,
  mean: rts.mean,
  workerComputeP50Us: summarize(rt.computeUs).p50,
  snapshotMs: rt.snapshotMs,
  path: 'IndicatorFeed.push (rows copied, posted) -> worker_thread engine -> values posted back -> IndicatorValues.write -> listener',
});
emit({ bench: 'indicators.batch_1m', unit: 'ms', value: batchMs, bars: BARS, indicators: SET.length, best: Math.min(...runs.map((r) => r.batchMs)) });
