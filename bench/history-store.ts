import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SimBackend, SIM_DEFAULT_RATE } from '../core/brokers/sim/backend.js';
import { Feed } from '../core/data/feed.js';
import { HistoryStore, sliceRows } from '../core/data/history/store.js';
import { launch, newPage, pageResult } from './lib/browser.js';
import { BARS_1M, benchTmp, FQME, serveBarsPage, writeBarsFile } from './lib/host-bars.js';
import { emit, log, median } from './lib/report.js';

/**
 * history.*: the DuckDB history store (core/data/history/store.ts) with 1,000,000 sim 1 m bars.
 * - history.store_write: bars/s writing them in the backfill's 20,000-row batches (one transaction each, key kept).
 * - history.store_read_year: ms to read the newest 525,600 (a year of minutes) into columnar Float64Arrays.
 * - history.first_paint_1m_from_storage: a chart of those 1M bars opened from storage: Feed.open (the newest frame
 *   read from the store) + the chart page's first paint of the 1M rows (bench/pages/chart-page.mts, windowed), with
 *   the full 1M-row backfill from storage beside it.
 */
const BATCH = 20_000;
const YEAR = 525_600;
const dir = mkdtempSync(join(benchTmp(), 'history-'));
const path = join(dir, 'sim.duckdb');
const backend = new SimBackend({ seed: 1, rate: SIM_DEFAULT_RATE });
const minute = Math.floor(Date.now() / 60_000) * 60;
const all = await backend.history(FQME, 60, minute, BARS_1M);
log(`generated ${all.length} sim 1 m bars`);

// ---- write: newest batch first, as a backfill writes them ----
let store = await HistoryStore.open(path);
const t0 = performance.now();
for (let end = all.length; end > 0; end -= BATCH) {
  const from = Math.max(0, end - BATCH);
  const rows = sliceRows(all, from, end);
  await store.write(FQME, 60, rows, { lo: all.time[from]!, hi: end === all.length ? minute : all.time[end]!, bottom: from === 0 });
}
const writeMs = performance.now() - t0;
await store.close();
const fileBytes = statSync(path).size;
emit({
  bench: 'history.store_write',
  unit: 'bars/s',
  value: all.length / (writeMs / 1000),
  bars: all.length,
  ms: writeMs,
  batchRows: BATCH,
  fileBytesPerBar: fileBytes / all.length,
  note: 'DuckDB, PRIMARY KEY (series, time): stage table + INSERT per 20k-row batch, one transaction each, newest first',
});

// ---- read a year ----
store = await HistoryStore.open(path);
const reads: number[] = [];
let got = 0;
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  got = (await store.read(FQME, 60, minute, YEAR)).length;
  reads.push(performance.now() - t);
}
log(`read of ${got} rows: ${reads.map((r) => r.toFixed(0)).join(', ')} ms`);
emit({ bench: 'history.store_read_year', unit: 'ms', value: median(reads), rows: got, runsMs: reads, note: 'newest 525,600 1 m bars -> six Float64Arrays, median of 5' });

// ---- first paint from storage ----
const feed = new Feed(await backend.getMktInfo(FQME), backend, { rows60: BARS_1M, rows1: 60 }, { onBuffer: () => {}, onHistory: () => {}, onTicks: () => {} }, null, store);
const t1 = performance.now();
await feed.open(Date.now());
const openMs = performance.now() - t1;
const firstRows = feed.buffers.get(60)!.length;
await feed.backfill(() => Promise.resolve());
const fullMs = performance.now() - t1;
const buf = feed.buffers.get(60)!;
feed.close();
log(`Feed.open from storage: ${openMs.toFixed(0)} ms (${firstRows} rows); all ${buf.length} rows from storage in ${fullMs.toFixed(0)} ms`);
writeBarsFile(buf);
await store.close();
backend.close();

const site = await serveBarsPage('chart-page');
const browser = await launch();
let pagePaintMs = NaN;
try {
  const page = await newPage(browser);
  pagePaintMs = (await pageResult<{ firstPaintMs: number }>(page, `${site.url}index.html?mode=windowed&seconds=1`, 'chart page')).firstPaintMs;
} finally {
  await browser.close();
  await site.close();
}
const firstPaint = openMs + pagePaintMs;
emit({
  bench: 'history.first_paint_1m_from_storage',
  unit: 'ms',
  value: firstPaint,
  budget: 'first paint <= 300 ms',
  withinBudget: firstPaint <= 300,
  feedOpenMs: openMs,
  firstFrameRows: firstRows,
  pageFirstPaintMs: pagePaintMs,
  fullBackfillFromStorageMs: fullMs,
  rows: buf.length,
  note: 'Feed.open reading the newest frame from a 1M-bar store (sim, no venue top-up needed) + chart page first paint of the 1M rows (windowed); the whole 1M reach the host buffer from storage in fullBackfillFromStorageMs',
});
rmSync(dir, { recursive: true, force: true });
