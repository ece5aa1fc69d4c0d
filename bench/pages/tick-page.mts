/**
 * tick_to_chart page: the renderer's data path against a live `serve` host, without the React shell.
 * The real typed client (core/protocol) over a WebSocket, binary bar frames decoded by core/protocol, rows
 * into the renderer's BarStore, one flush per animation frame (renderer's FlushScheduler), and the chart
 * series brought up to date with update() / a windowed setData as renderer's ChartController does.
 * Per applied update frame it records, against the frame's `ingestedAt` (datad's write time):
 * received, applied to the series, and painted (the animation frame after the apply).
 * Query: ?fqme=...&quotes=0|1&flush=frame|immediate. State in window.__bench.
 */
import type { CandlestickData, HistogramData, UTCTimestamp } from 'lightweight-charts';
import { ApiClient, type Transport } from '../../core/protocol/client.js';
import { FrameKind, type BarFrame } from '../../core/protocol/frames.js';
import type { Timeframe } from '../../core/protocol/types.js';
import { BarStore, unionSpan, type Bar, type Span } from '../../renderer/lib/bar-store.js';
import { FlushScheduler } from '../../renderer/lib/flush-scheduler.js';
import { DEFAULT_WINDOW, initialWindow, pendingRows, planWindow } from '../../renderer/lib/windowing.js';
import { benchChart, nowEpoch, seriesData, type BenchChart } from './chart-common.mjs';

const q = new URLSearchParams(location.search);
const FQME = q.get('fqme') ?? 'xbtusd.spot.sim';
const QUOTES = q.get('quotes') === '1';
/** flush=immediate applies every frame as it arrives (no FlushScheduler): the comparison for the scheduler's cost. */
const IMMEDIATE = q.get('flush') === 'immediate';
const MAX_INCREMENTAL_ROWS = 64;

interface Lat {
  recv: number[];
  applied: number[];
  painted: number[];
}
const bench = {
  ready: false,
  error: null as string | null,
  lat: {} as Record<number, Lat>,
  frames: [] as number[],
  quoteTrades: 0,
  quoteTicks: 0,
  quoteEvents: 0,
  updateFrames: 0,
  flushes: 0,
  setData: 0,
  since: 0,
  reset() {
    for (const l of Object.values(bench.lat)) {
      l.recv.length = 0;
      l.applied.length = 0;
      l.painted.length = 0;
    }
    bench.frames.length = 0;
    bench.quoteTrades = bench.quoteTicks = bench.quoteEvents = bench.updateFrames = bench.flushes = bench.setData = 0;
    bench.since = performance.now();
  },
  /** Mean of (performance.timeOrigin + now) - Date.now() minus the 0.5 ms Date.now() truncation bias. */
  clockSkew(): Promise<number> {
    return sampleSkew();
  },
};
(window as unknown as { __bench: typeof bench }).__bench = bench;

async function sampleSkew(): Promise<number> {
  let sum = 0;
  let n = 0;
  const until = performance.now() + 200;
  while (performance.now() < until) {
    sum += nowEpoch() - Date.now();
    n++;
    if (n % 50 === 0) await new Promise((r) => setTimeout(r, 0));
  }
  return sum / n - 0.5;
}

function wsTransport(url: string): Promise<Transport> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    const onMsg: ((d: string | ArrayBuffer) => void)[] = [];
    const onClose: ((r: string) => void)[] = [];
    ws.onmessage = (e: MessageEvent<string | ArrayBuffer>) => {
      for (const cb of onMsg) cb(e.data);
    };
    ws.onclose = (e) => {
      for (const cb of onClose) cb(e.reason || `closed ${e.code}`);
    };
    ws.onerror = () => reject(new Error(`cannot open ${url}`));
    ws.onopen = () =>
      resolve({
        send: (t) => ws.send(t),
        onMessage: (cb) => void onMsg.push(cb),
        onClose: (cb) => void onClose.push(cb),
        close: () => ws.close(),
      });
  });
}

function candle(b: Bar): CandlestickData {
  return { time: b.time as UTCTimestamp, open: b.open, high: b.high, low: b.low, close: b.close };
}
function volumeBar(b: Bar): HistogramData {
  return { time: b.time as UTCTimestamp, value: b.volume, color: b.close >= b.open ? 'rgba(34,171,148,0.45)' : 'rgba(242,54,69,0.45)' };
}

/** One chart fed by one bar stream: ChartController's data path, minus legend, band and history paging. */
class Pane {
  readonly store = new BarStore();
  streamId = -1;
  private dirty: Span | null = null;
  private replaced = false;
  private window: Span | null = null;
  private heldHi = 0;
  private pending: { ingestedAt: number; recv: number }[] = [];
  private readonly scheduler = new FlushScheduler(() => this.flush());
  readonly lat: Lat = { recv: [], applied: [], painted: [] };

  constructor(
    readonly timeframe: Timeframe,
    private readonly bc: BenchChart,
  ) {
    bench.lat[timeframe] = this.lat;
  }

  onFrame(f: BarFrame): void {
    const recv = nowEpoch();
    const s = this.store;
    if (f.kind === FrameKind.snapshot) {
      s.clear();
      s.set(f.startIndex, f.rows, f.count);
      this.replaced = true;
      this.dirty = null;
    } else if (f.kind === FrameKind.update) {
      const gen = s.generation;
      this.dirty = unionSpan(this.dirty, s.set(f.startIndex, f.rows, f.count));
      if (s.generation !== gen) this.replaced = true;
      this.pending.push({ ingestedAt: f.ingestedAt, recv });
      bench.updateFrames++;
    } else return;
    if (IMMEDIATE) this.flush();
    else this.scheduler.request();
  }

  private flush(): void {
    bench.flushes++;
    const s = this.store;
    if (s.length === 0) return;
    const data = { from: s.lo, to: s.hi };
    if (this.replaced || !this.window) {
      this.replaced = false;
      this.dirty = null;
      this.setWindow(initialWindow(data, DEFAULT_WINDOW));
    } else this.applyRows(data);
    const r = this.bc.chart.timeScale().getVisibleLogicalRange();
    const w = this.window!;
    const next = planWindow(data, w, r && { from: r.from + w.from, to: r.to + w.from }, DEFAULT_WINDOW);
    if (next) this.setWindow(next);
    this.record();
  }

  private applyRows(data: Span): void {
    const w = this.window!;
    const dirty = this.dirty;
    this.dirty = null;
    const { start, end, newTo } = pendingRows(w, this.heldHi, data.to, dirty);
    this.heldHi = data.to;
    if (!(end > start)) return;
    if (end - start > MAX_INCREMENTAL_ROWS) return this.setWindow({ from: w.from, to: newTo });
    let seriesLast = w.to - 1;
    for (let i = start; i < end; i++) {
      const bar = this.store.bar(i)!;
      const historical = i < seriesLast;
      this.bc.candles.update(candle(bar), historical);
      this.bc.volume.update(volumeBar(bar), historical);
      if (i > seriesLast) seriesLast = i;
    }
    this.window = { from: w.from, to: Math.max(w.to, end) };
  }

  private setWindow(next: Span): void {
    const v = this.store.view(next);
    const d = seriesData(v, 0, v.to - v.from);
    this.bc.candles.setData(d.candles);
    this.bc.volume.setData(d.volumes);
    this.window = { from: v.from, to: v.to };
    this.heldHi = this.store.hi;
    bench.setData++;
  }

  private record(): void {
    const pending = this.pending;
    if (pending.length === 0) return;
    this.pending = [];
    const applied = nowEpoch();
    for (const p of pending) {
      this.lat.recv.push(p.recv - p.ingestedAt);
      this.lat.applied.push(applied - p.ingestedAt);
    }
    // lightweight-charts requested its draw during update()/setData(); a frame callback registered after
    // runs right after that draw in the same animation frame: "painted".
    requestAnimationFrame(() => {
      const painted = nowEpoch();
      for (const p of pending) this.lat.painted.push(painted - p.ingestedAt);
    });
  }
}

async function main(): Promise<void> {
  const root = document.getElementById('chart')!;
  root.style.display = 'flex';
  root.style.flexDirection = 'column';
  const transport = await wsTransport(`ws://${location.host}/api/ws`);
  const client = new ApiClient(transport);
  await client.call('hello', { client: 'candlewick-bench' });
  const panes = new Map<number, Pane>();
  const early: BarFrame[] = [];
  client.onFrame((f) => {
    const p = panes.get(f.streamId);
    if (p) p.onFrame(f);
    else early.push(f);
  });
  for (const tf of [60, 1] as const) {
    const el = document.createElement('div');
    el.style.flex = '1';
    el.style.minHeight = '0';
    root.appendChild(el);
    const pane = new Pane(tf, benchChart(el, tf));
    const res = await client.call('bars.subscribe', { fqme: FQME, timeframe: tf, count: 5000 });
    pane.streamId = res.streamId;
    panes.set(res.streamId, pane);
    for (const f of early.splice(0)) panes.get(f.streamId)?.onFrame(f);
  }
  if (QUOTES) {
    // As the status bar does: a quote subscription, its ticks read for the last price.
    const status = document.createElement('div');
    status.style.cssText = 'position:fixed;left:8px;top:8px;color:#8790a2;font:12px monospace';
    document.body.appendChild(status);
    client.on('quote', (qe) => {
      bench.quoteEvents++;
      bench.quoteTicks += qe.ticks.length;
      let last = NaN;
      for (const t of qe.ticks) {
        if (t.type === 'trade') {
          bench.quoteTrades++;
          last = t.price;
        }
      }
      if (last === last) status.textContent = `${FQME} ${last}`;
    });
    await client.call('quotes.subscribe', { fqme: FQME });
  }
  let prev = -1;
  const frame = (ts: number) => {
    if (prev >= 0) bench.frames.push(ts - prev);
    prev = ts;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  bench.ready = true;
}

main().catch((e: unknown) => {
  bench.error = (e as Error).stack ?? String(e);
});
