/**
 * chart.1m_bars page: a chart over 1,000,000 1 m bars, either windowed as the renderer does it (the full
 * series in a BarStore, a few thousand bars in the lightweight-charts series) or the naive baseline
 * (setData of every bar). Measures first paint, then frame times while one bar changes per frame, then (windowed)
 * frame times while the view pans from the newest bar to the first one, re-windowing as the renderer does, then
 * frame times while it zooms out from ~200 bars to the whole series: M4-bucketed as the renderer does (planStride),
 * and, for comparison, lightweight-charts' own conflation over a window holding every visible row.
 * Query: ?mode=windowed|naive&seconds=5. Result in window.__bench.result.
 */
import { decodeBarFrame, type BarRows } from '../../core/protocol/frames.js';
import { BarStore } from '../../renderer/lib/bar-store.js';
import {
  bucketBase,
  bucketCount,
  bucketRows,
  DEFAULT_WINDOW,
  initialWindow,
  planStride,
  planStridedWindow,
  planWindow,
  toAbs,
  toLogical,
  type SeriesWindow,
} from '../../renderer/lib/windowing.js';
import { benchChart, candleAt, DOWN, drawnShare, nextFrame, seriesData, UP, volumeAt, type BenchChart } from './chart-common.mjs';
import type { ZoomResult } from '../lib/zoom-result.js';
import { PriceScaleMode } from 'lightweight-charts';
import type { BarStream } from '../../renderer/client/bar-stream.js';
import { logReturnsAxisWidth, LogReturnsScale } from '../../renderer/features/chart/log-returns-scale.js';
import { OverlaySeries } from '../../renderer/features/chart/overlay-series.js';

const q = new URLSearchParams(location.search);
const mode = q.get('mode') === 'naive' ? 'naive' : 'windowed';
const seconds = Number(q.get('seconds') ?? 5);
const WARMUP_MS = 500;
/** Slow modes (the naive baseline) run past `seconds` until they have this many frames, up to MAX_SECONDS of frames. */
const MIN_FRAMES = 6;
const MAX_SECONDS = 12;
/** A new bar every this many frames; the frames between update the newest bar. */
const APPEND_EVERY = 10;
/** The pan crosses the whole series in this many frames (10 s at 60 Hz: a fast drag, thousands of bars a frame). */
const PAN_FRAMES = 600;
/** The zoom-out from ~200 bars to the whole series takes this many frames (2 s at 60 Hz, ~4% wider a frame). */
const ZOOM_FRAMES = 120;
/** Conflation needs every visible row in the series (setData of up to 1M rows a step): fewer, coarser steps. */
const CONFLATION_ZOOM_FRAMES = 24;

const state: { result: unknown; error: string | null } = { result: null, error: null };
(window as unknown as { __bench: typeof state }).__bench = state;

async function run(): Promise<void> {
  const buf = await (await fetch('bars.bin')).arrayBuffer();
  const frame = decodeBarFrame(buf);
  const rows = frame.rows;
  const container = document.getElementById('chart')!;
  await nextFrame();
  await nextFrame();

  // ---- first paint: from rows in typed arrays to the first frame the chart drew ----
  const t0 = performance.now();
  let store: BarStore | null = null;
  let src: BarRows = rows;
  let seriesFrom = 0;
  let seriesTo = frame.count;
  if (mode === 'windowed') {
    store = new BarStore();
    store.set(frame.startIndex, rows, frame.count);
    const w = initialWindow({ from: store.lo, to: store.hi }, DEFAULT_WINDOW);
    src = store.view(w);
    seriesFrom = w.from;
    seriesTo = w.to;
  }
  const tStore = performance.now();
  const bc: BenchChart = benchChart(container, 60);
  const data = seriesData(src, 0, seriesTo - seriesFrom);
  const tBuild = performance.now();
  bc.candles.setData(data.candles);
  bc.volume.setData(data.volumes);
  const tSet = performance.now();
  await nextFrame();
  const tPaint = performance.now();
  await nextFrame();
  const tPaint2 = performance.now();
  const drawn = drawnShare(bc.chart);

  // ---- streaming: one bar update per frame (every APPEND_EVERY-th frame opens a new bar) ----
  let window = { from: seriesFrom, to: seriesTo };
  let hi = store ? store.hi : frame.count;
  const k0 = frame.count - 1;
  const cur = { time: rows.time[k0]!, open: rows.open[k0]!, high: rows.high[k0]!, low: rows.low[k0]!, close: rows.close[k0]!, volume: rows.volume[k0]! };
  const one: BarRows = { time: new Float64Array(1), open: new Float64Array(1), high: new Float64Array(1), low: new Float64Array(1), close: new Float64Array(1), volume: new Float64Array(1) };
  let seed = 12345;
  const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296 - 0.5;
  const frameMs: number[] = [];
  const updateMs: number[] = [];
  let rewindows = 0;
  let frameNo = 0;
  let prevTs = -1;
  // The first frames after setData still carry its layout work (and the warm-up): not part of the figure.
  const startAt = performance.now() + WARMUP_MS;
  let skip = 1;
  let measuredFrom = -1;
  await new Promise<void>((resolve) => {
    const tick = (ts: number) => {
      if (prevTs >= 0 && ts >= startAt) {
        if (skip > 0) skip--;
        else frameMs.push(ts - prevTs);
        if (measuredFrom < 0 && skip === 0) measuredFrom = ts;
      }
      prevTs = ts;
      const elapsed = measuredFrom < 0 ? 0 : performance.now() - measuredFrom;
      if ((elapsed >= seconds * 1000 && frameMs.length >= MIN_FRAMES) || elapsed >= MAX_SECONDS * 1000) return resolve();
      const append = ++frameNo % APPEND_EVERY === 0;
      const px = cur.close * (1 + rnd() * 0.002);
      if (append) {
        cur.time += 60;
        cur.open = cur.high = cur.low = cur.close;
        cur.volume = 0;
      }
      cur.high = Math.max(cur.high, px);
      cur.low = Math.min(cur.low, px);
      cur.close = px;
      cur.volume += 1 + Math.abs(rnd());
      for (const c of ['time', 'open', 'high', 'low', 'close', 'volume'] as const) one[c][0] = cur[c];
      const u0 = performance.now();
      if (store) {
        // As the renderer: the row lands in the store, the series gets update(), the window is re-planned.
        store.set(append ? hi : hi - 1, one, 1);
        hi = store.hi;
        if (append) window = { from: window.from, to: hi };
        const r = bc.chart.timeScale().getVisibleLogicalRange();
        const next = planWindow({ from: store.lo, to: store.hi }, window, r && { from: r.from + window.from, to: r.to + window.from });
        if (next) {
          rewindows++;
          putRows(bc, store, next);
          window = next;
        }
      } else if (append) hi++;
      bc.candles.update(candleAt(one, 0));
      bc.volume.update(volumeAt(one, 0));
      updateMs.push(performance.now() - u0);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });

  // ---- pan: newest bar to the first, a fixed step per frame, visible width kept; then back with an overlay ----
  let pan: PanResult = { frameMs: [], rewindows: 0, reachedFirst: false };
  let panOverlay: PanResult | null = null;
  let dragOverlay: PanResult | null = null;
  if (store) {
    const ts = bc.chart.timeScale();
    const r0 = ts.getVisibleLogicalRange()!;
    const width = r0.to - r0.from;
    pan = await panTo(bc, store, window, { from: store.lo, to: store.lo + width });
    window = pan.window!;
    const ov = addOverlay(bc, store);
    // A drag: one visible width a second (what a hand does), re-anchoring every frame, rarely re-windowing.
    const dragTo = Math.ceil(store.lo + width * (1 + PAN_FRAMES / 60));
    dragOverlay = await panTo(bc, store, window, { from: dragTo - width, to: dragTo }, ov);
    window = dragOverlay.window!;
    // The fling across the whole history: the window moves every frame, the line is set again with the candles.
    panOverlay = await panTo(bc, store, window, { from: store.hi - width, to: store.hi }, ov);
    window = panOverlay.window!;
    ov.series.destroy();
    bc.chart.priceScale('right').applyOptions({ mode: PriceScaleMode.Normal, minimumWidth: 0 });
    bc.candles.applyOptions({ priceFormat: { type: 'price', precision: 2, minMove: 0.01 } });
  }

  const zoom = store ? await zoomOut(bc, store, 'm4', ZOOM_FRAMES) : null;
  const conflation = store ? await zoomOut(bc, store, 'conflation', CONFLATION_ZOOM_FRAMES) : null;

  state.result = {
    mode,
    zoom,
    conflation,
    panMs: pan.frameMs,
    panRewindows: pan.rewindows,
    reachedFirst: pan.reachedFirst,
    panOverlayMs: panOverlay?.frameMs ?? [],
    dragOverlayMs: dragOverlay?.frameMs ?? [],
    dragOverlayRewindows: dragOverlay?.rewindows ?? 0,
    rows: frame.count,
    seriesRows: seriesTo - seriesFrom,
    finalRows: hi - (store ? store.lo : 0),
    storeMs: tStore - t0,
    buildObjectsMs: tBuild - tStore,
    setDataMs: tSet - tBuild,
    firstPaintMs: tPaint - t0,
    secondFrameMs: tPaint2 - t0,
    drawnShare: drawn,
    frameMs,
    updateMs,
    rewindows,
    storeBytes: store?.allocatedBytes ?? null,
  };
}

/** The series hold rows `w` of `store`, one candle a row (what the renderer's re-window does at stride 1). */
function putRows(bc: BenchChart, store: BarStore, w: { from: number; to: number }): void {
  const v = store.view(w);
  const d = seriesData(v, 0, v.to - v.from);
  bc.candles.setData(d.candles);
  bc.volume.setData(d.volumes);
}

interface PanResult {
  frameMs: number[];
  rewindows: number;
  /** Whether the view ended on `target`'s first row. */
  reachedFirst: boolean;
  window?: { from: number; to: number };
}

/**
 * A second symbol over the chart on the log-returns scale, drawn by the renderer's own OverlaySeries and anchored by
 * its LogReturnsScale at the first visible row each frame. The symbol is synthetic (the main closes bent by a slow
 * wave, at a twentieth of the price), its stream a stand-in that holds every row already.
 */
function addOverlay(bc: BenchChart, main: BarStore): Overlay {
  const n = main.length;
  const rows: BarRows = { time: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n) };
  for (let k = 0; k < n; k++) {
    const i = main.lo + k;
    const c = main.get('close', i) * 0.05 * (1 + 0.1 * Math.sin(i / 5000));
    rows.time[k] = main.time(i);
    rows.open[k] = rows.high[k] = rows.low[k] = rows.close[k] = c;
    rows.volume[k] = 1;
  }
  const store = new BarStore();
  store.set(main.lo, rows, n);
  const stream = {
    fqme: 'ethusd.spot.sim',
    store,
    timeframe: 60,
    hostFirst: main.lo,
    takeDirty: () => ({ span: null, replaced: false }),
    takeReceiveTimes: () => ({ received: [], ingested: [] }),
    requestHistory: () => {},
  } as unknown as BarStream;
  let scale: LogReturnsScale | null = null;
  scale = new LogReturnsScale(() => bc.candles.applyOptions({ priceFormat: { type: 'custom', formatter: scale!.format, minMove: 0.01 } }));
  bc.chart.priceScale('right').applyOptions({ mode: PriceScaleMode.Logarithmic, minimumWidth: logReturnsAxisWidth([stream.fqme]) });
  return { series: new OverlaySeries(bc.chart, bc.candles, stream.fqme, stream, '#f0b90b', scale.format), scale };
}

interface Overlay {
  series: OverlaySeries;
  scale: LogReturnsScale;
}

/** Pans at a fixed step per frame from the current view to `target` (rows), re-windowing as the renderer does. */
async function panTo(bc: BenchChart, store: BarStore, start: { from: number; to: number }, target: { from: number; to: number }, ov?: Overlay): Promise<PanResult> {
  const ts = bc.chart.timeScale();
  let window = start;
  const r0 = ts.getVisibleLogicalRange()!;
  let right = window.from + r0.to;
  const width = r0.to - r0.from;
  const step = (target.to - right) / PAN_FRAMES;
  const frameMs: number[] = [];
  let rewindows = 0;
  let prev = -1;
  let n = 0;
  await new Promise<void>((resolve) => {
    const tick = (t: number) => {
      if (prev >= 0) frameMs.push(t - prev);
      prev = t;
      if (n++ >= PAN_FRAMES) return resolve();
      right = step < 0 ? Math.max(target.to, right + step) : Math.min(target.to, right + step);
      const want = { from: right - width, to: right };
      const next = planWindow({ from: store.lo, to: store.hi }, window, want);
      if (next) {
        rewindows++;
        putRows(bc, store, next);
        window = next;
      }
      ts.setVisibleLogicalRange({ from: want.from - window.from, to: want.to - window.from });
      if (ov) {
        // As the chart's flush: anchor at the first visible row, then bring the line in step with the window.
        ov.scale.anchor(store, Math.min(Math.max(Math.ceil(want.from), window.from), window.to - 1), [ov.series]);
        ov.series.sync(store, { ...window, stride: 1 });
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const last = ts.getVisibleLogicalRange();
  const reachedFirst = last !== null && Math.abs(last.from + window.from - target.from) <= 1;
  return { frameMs, rewindows, reachedFirst, window };
}

/**
 * Zooms from the newest ~200 bars out to the whole series over `frames` frames, the right edge on the newest bar.
 * m4: the series holds buckets of planStride rows (as the renderer); conflation: lightweight-charts' enableConflation
 * with the bar spacing allowed below a pixel, the series holding every visible row plus the margins (planWindow).
 */
async function zoomOut(bc: BenchChart, store: BarStore, how: 'm4' | 'conflation', frames: number): Promise<ZoomResult> {
  const ts = bc.chart.timeScale();
  const data = { from: store.lo, to: store.hi };
  const width = ts.width();
  if (how === 'conflation') bc.chart.applyOptions({ timeScale: { enableConflation: true, minBarSpacing: 0.0001 } });
  let window: SeriesWindow = { ...initialWindow(data, DEFAULT_WINDOW), stride: 1 };
  const put = (w: SeriesWindow) => {
    const n = bucketCount(w);
    if (w.stride === 1) putRows(bc, store, w);
    else {
      const candles = new Array(n);
      const volumes = new Array(n);
      const base = bucketBase(w);
      for (let k = 0; k < n; k++) {
        const b = store.aggregate(bucketRows(w, base + k))!;
        candles[k] = { time: b.time, open: b.open, high: b.high, low: b.low, close: b.close };
        volumes[k] = { time: b.time, value: b.volume, color: b.close >= b.open ? UP : DOWN };
      }
      bc.candles.setData(candles);
      bc.volume.setData(volumes);
    }
  };
  put(window);
  const right = data.to - 1 + 6;
  const first = 200;
  const growth = Math.pow((data.to - data.from + 12) / first, 1 / frames);
  ts.setVisibleLogicalRange({ from: toLogical(window, right - first), to: toLogical(window, right) });
  await nextFrame();
  await nextFrame();
  const frameMs: number[] = [];
  let maxRows = bucketCount(window);
  let setDataCalls = 0;
  let prev = -1;
  let n = 0;
  let visibleRows = first;
  await new Promise<void>((resolve) => {
    const tick = (t: number) => {
      if (prev >= 0) frameMs.push(t - prev);
      prev = t;
      if (n++ >= frames) return resolve();
      visibleRows = Math.min(data.to - data.from + 12, visibleRows * growth);
      const want = { from: right - visibleRows, to: right };
      const stride = how === 'm4' ? planStride(visibleRows, width, window.stride) : 1;
      const next = planStridedWindow(data, window, want, stride, DEFAULT_WINDOW);
      if (next) {
        setDataCalls++;
        put(next);
        window = next;
        maxRows = Math.max(maxRows, bucketCount(window));
      }
      ts.setVisibleLogicalRange({ from: toLogical(window, want.from), to: toLogical(window, want.to) });
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const r = ts.getVisibleLogicalRange();
  if (how === 'conflation') bc.chart.applyOptions({ timeScale: { enableConflation: false, minBarSpacing: 0.5 } });
  return {
    frameMs,
    finalSeriesRows: bucketCount(window),
    maxSeriesRows: maxRows,
    finalStride: window.stride,
    setDataCalls,
    visibleRowsAtEnd: r ? toAbs(window, r.to) - toAbs(window, r.from) : 0,
  };
}

run().catch((e: unknown) => {
  state.error = (e as Error).stack ?? String(e);
});
