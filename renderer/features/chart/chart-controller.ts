import {
  CandlestickSeries,
  createChart,
  HistogramSeries,
  type CandlestickData,
  type HistogramData,
  LineStyle,
  type IChartApi,
  type IPriceLine,
  type ISeriesApi,
  type LogicalRange,
  type MouseEventParams,
  type UTCTimestamp,
} from 'lightweight-charts';
import type { BarStream } from '../../client/bar-stream.js';
import type { Bar, Span } from '../../lib/bar-store.js';
import { FlushScheduler } from '../../lib/flush-scheduler.js';
import { changeText, FALLBACK_PRICE_FORMAT, legendText, type PriceFormat } from '../../lib/format.js';
import type { LatencyLog } from '../../lib/latency-log.js';
import { visibleTimeSpan } from '../../lib/linked-range.js';
import { DEFAULT_WINDOW, historyRequest, initialWindow, planWindow, rebaseLogical, type LogicalSpan } from '../../lib/windowing.js';
import { TimeBand } from './time-band.js';
import { chartOptions, COLORS, RIGHT_OFFSET } from './chart-theme.js';

export interface LegendState {
  text: string;
  change: string;
  up: boolean;
  hasBar: boolean;
  hovering: boolean;
}

export interface ChartControllerOptions {
  timeframe: number;
  container: HTMLElement;
  /** Absolutely positioned element shaded over the time range another chart shows (the slow chart's band). */
  bandElement?: HTMLElement;
  onLegend: (s: LegendState) => void;
  /** Whether the newest bar is in view (false: the user scrolled back; offer a way home). */
  onFollowChange?: (following: boolean) => void;
  latency: LatencyLogs;
}

/** Where tick-to-chart figures go (see debug-handle.ts for what each measures). */
export interface LatencyLogs {
  applied: LatencyLog;
  painted: LatencyLog;
  ingestApplied: LatencyLog;
  ingestPainted: LatencyLog;
}

/** More changed rows than this in one flush are cheaper as one setData than as many update() calls. */
const MAX_INCREMENTAL_ROWS = 64;
/** Rows asked per history page. */
const HISTORY_PAGE = 5000;

type TimeSpanListener = (span: { from: number; to: number } | null) => void;

/**
 * One lightweight-charts chart (candles + volume on one pane) fed from a BarStream. The series holds only
 * a window of the stream's rows around the visible range (lib/windowing.ts); everything that touches the
 * series happens in flush(), at most once per animation frame (lib/flush-scheduler.ts).
 */
export class ChartController {
  readonly chart: IChartApi;
  private readonly candles: ISeriesApi<'Candlestick'>;
  private readonly volume: ISeriesApi<'Histogram'>;
  private readonly scheduler: FlushScheduler;
  private readonly band: TimeBand | null;
  private stream: BarStream | null = null;
  /** A replacement stream for the same symbol (after a reconnect): shown once it has rows, so the chart never blanks. */
  private incoming: BarStream | null = null;
  /** Rows the series holds: [from, to) of the store. */
  private window: Span | null = null;
  /** store.hi when the series was last brought up to date: tells whether the window follows the newest row. */
  private heldHi = 0;
  private hoverIndex: number | null = null;
  private format: PriceFormat = FALLBACK_PRICE_FORMAT;
  private timeSpanListeners = new Set<TimeSpanListener>();
  private hoverListeners = new Set<(time: number | null) => void>();
  /**
   * Our own last-price line: the series' built-in one marks the last bar *of the series*, which is a stale
   * bar whenever the window does not reach the newest row.
   */
  private lastLine: IPriceLine | null = null;
  private atNewest = true;
  private destroyed = false;
  /** Counters for the debug handle and benchmarks. */
  readonly counters = { flushes: 0, setData: 0, updates: 0, historyRequests: 0 };
  /**
   * performance.now() marks of the current stream's first data: when its snapshot arrived in the store
   * (first flush with rows) and the animation frame that drew it. For the "open a chart" benchmark.
   */
  readonly marks: { attachedAt: number; firstDataAt: number | null; firstPaintAt: number | null } = {
    attachedAt: 0,
    firstDataAt: null,
    firstPaintAt: null,
  };

  constructor(private readonly opts: ChartControllerOptions) {
    this.chart = createChart(opts.container, chartOptions(opts.timeframe));
    this.candles = this.chart.addSeries(CandlestickSeries, {
      upColor: COLORS.up,
      downColor: COLORS.down,
      wickUpColor: COLORS.up,
      wickDownColor: COLORS.down,
      borderVisible: false,
      priceLineVisible: false,
      lastValueVisible: false,
    });
    this.volume = this.chart.addSeries(HistogramSeries, {
      priceScaleId: '',
      priceFormat: { type: 'volume' },
      lastValueVisible: false,
      priceLineVisible: false,
    });
    this.chart.priceScale('').applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
    this.band = opts.bandElement ? new TimeBand(this.chart, opts.bandElement, opts.timeframe) : null;
    this.scheduler = new FlushScheduler(() => this.flush());
    this.chart.timeScale().subscribeVisibleLogicalRangeChange(this.onRangeChange);
    this.chart.timeScale().subscribeSizeChange(this.onSizeChange);
    this.chart.subscribeCrosshairMove(this.onCrosshair);
    this.setPriceFormat(this.format);
  }

  attach(stream: BarStream): void {
    this.marks.attachedAt = performance.now();
    this.marks.firstDataAt = null;
    this.marks.firstPaintAt = null;
    const cur = this.stream;
    if (cur && cur !== stream && cur.fqme === stream.fqme && cur.store.length > 0) {
      this.incoming = stream;
    } else {
      this.stream = stream;
      this.incoming = null;
      this.hoverIndex = null;
    }
    this.scheduler.request();
  }

  /** Forgets the stream and empties the series (nothing valid to show). */
  detach(): void {
    this.stream = null;
    this.incoming = null;
    this.clearSeries();
    this.emitLegend();
    this.emitTimeSpan();
  }

  /** Called by the stream whenever rows landed in its store. */
  readonly requestFlush = (): void => {
    if (!this.destroyed) this.scheduler.request();
  };

  setPriceFormat(f: PriceFormat): void {
    this.format = f;
    this.candles.applyOptions({ priceFormat: { type: 'price', precision: f.digits, minMove: f.minMove } });
    this.emitLegend();
  }

  /** Shades this chart over a time range [from, to] (epoch s): the fast chart's view on the slow chart. */
  setBand(span: { from: number; to: number } | null): void {
    this.band?.set(span, this.stream?.store ?? null, this.window);
  }

  onVisibleTimeSpan(cb: TimeSpanListener): () => void {
    this.timeSpanListeners.add(cb);
    return () => this.timeSpanListeners.delete(cb);
  }

  /** Reports the time (epoch s) of the bar under the mouse, null when the mouse leaves: for crosshair linking. */
  onHoverTime(cb: (time: number | null) => void): () => void {
    this.hoverListeners.add(cb);
    return () => this.hoverListeners.delete(cb);
  }

  /** Puts the crosshair on the bar holding time `t` (the other chart's hovered time), or clears it. */
  showCrosshairAt(t: number | null): void {
    const store = this.stream?.store;
    const i = t === null || !store ? -1 : store.indexAtOrBefore(t);
    const w = this.window;
    if (i < 0 || !store || !w || i < w.from || i >= w.to) {
      if (this.hoverIndex !== null) {
        this.chart.clearCrosshairPosition();
        this.hoverIndex = null;
        this.emitLegend();
      }
      return;
    }
    // Synthetic positions fire no crosshair event, so the legend is updated here.
    this.chart.setCrosshairPosition(store.get('close', i), store.time(i) as UTCTimestamp, this.candles);
    this.hoverIndex = i;
    this.emitLegend();
  }

  /** Back to the newest bars at the current zoom. */
  scrollToNewest(): void {
    const store = this.stream?.store;
    if (!store || store.length === 0) return;
    this.showNewest({ from: store.lo, to: store.hi });
    this.updateFollow();
  }

  destroy(): void {
    this.destroyed = true;
    this.chart.timeScale().unsubscribeVisibleLogicalRangeChange(this.onRangeChange);
    this.chart.timeScale().unsubscribeSizeChange(this.onSizeChange);
    this.chart.unsubscribeCrosshairMove(this.onCrosshair);
    this.chart.remove();
  }

  /** What the series and the store hold, for tests and benchmarks. */
  stats() {
    const s = this.stream?.store;
    return {
      fqme: this.stream?.fqme ?? null,
      timeframe: this.opts.timeframe,
      streamId: this.stream?.streamId ?? null,
      storeRows: s?.length ?? 0,
      storeBytes: s?.allocatedBytes ?? 0,
      lo: s?.lo ?? 0,
      hi: s?.hi ?? 0,
      hostFirst: this.stream?.hostFirst ?? 0,
      prefetching: this.stream?.prefetching ?? false,
      window: this.window ? { ...this.window } : null,
      seriesRows: this.window ? this.window.to - this.window.from : 0,
      visible: this.visibleAbs(),
      lastBar: s?.lastBar() ?? null,
      ...this.counters,
      ...this.marks,
    };
  }

  private flush(): void {
    if (this.destroyed) return;
    this.counters.flushes++;
    if (this.incoming && this.incoming.store.length > 0) {
      this.stream = this.incoming;
      this.incoming = null;
    }
    const stream = this.stream;
    if (!stream) return;
    const store = stream.store;
    const { span: dirty, replaced } = stream.takeDirty();
    const received = stream.takeReceiveTimes();
    if (store.length === 0) {
      this.clearSeries();
    } else {
      const data = { from: store.lo, to: store.hi };
      if (replaced || !this.window) this.showNewest(data);
      if (this.marks.firstDataAt === null) this.markFirstPaint();
      else this.applyRows(dirty, data);
      const visible = this.visibleAbs();
      const next = planWindow(data, this.window, visible, DEFAULT_WINDOW);
      if (next) this.setWindow(next, true);
      const older = historyRequest(data, stream.hostFirst, visible, HISTORY_PAGE, DEFAULT_WINDOW);
      if (older) {
        this.counters.historyRequests++;
        stream.requestHistory(older);
      }
    }
    this.recordLatency(received);
    this.updateLastLine();
    this.updateFollow();
    this.emitLegend();
    this.emitTimeSpan();
    this.band?.reposition(store, this.window);
  }

  /** A new store content (first snapshot, reset, another symbol): newest bars, zoom kept. */
  private showNewest(data: Span): void {
    const ts = this.chart.timeScale();
    const before = ts.getVisibleLogicalRange();
    const next = initialWindow(data, DEFAULT_WINDOW);
    this.setWindow(next, false);
    if (before) {
      const width = Math.max(20, before.to - before.from);
      const last = next.to - next.from - 1;
      ts.setVisibleLogicalRange({ from: last + RIGHT_OFFSET - width, to: last + RIGHT_OFFSET });
    }
  }

  /** Brings the series up to date with rows written since the last flush: update() for a few, setData for many. */
  private applyRows(dirty: Span | null, data: Span): void {
    const w = this.window!;
    // The series held the newest row at the last apply: appended rows join it (the view follows them).
    const following = w.to === this.heldHi;
    const newTo = following ? data.to : w.to;
    this.heldHi = data.to;
    let start = Infinity;
    let end = -Infinity;
    if (dirty) {
      start = Math.max(dirty.from, w.from);
      end = Math.min(dirty.to, newTo);
    }
    if (newTo > w.to) {
      start = Math.min(start, w.to);
      end = Math.max(end, newTo);
    }
    if (!(end > start)) return;
    if (end - start > MAX_INCREMENTAL_ROWS) {
      this.setWindow({ from: w.from, to: newTo }, true);
      return;
    }
    const store = this.stream!.store;
    let seriesLast = w.to - 1;
    try {
      for (let i = start; i < end; i++) {
        const historical = i < seriesLast;
        const bar = store.bar(i)!;
        this.candles.update(candle(bar), historical);
        this.volume.update(volumeBar(bar), historical);
        this.counters.updates++;
        if (i > seriesLast) seriesLast = i;
      }
      this.window = { from: w.from, to: Math.max(w.to, end) };
    } catch {
      // An out-of-order row (should not happen) must not freeze the chart: redraw the window whole.
      this.setWindow({ from: w.from, to: newTo }, true);
    }
  }

  private setWindow(next: Span, keepView: boolean): void {
    const store = this.stream!.store;
    const ts = this.chart.timeScale();
    const before = keepView && this.window ? ts.getVisibleLogicalRange() : null;
    const v = store.view(next);
    const n = v.to - v.from;
    const candles: CandlestickData[] = new Array<CandlestickData>(n);
    const volumes: HistogramData[] = new Array<HistogramData>(n);
    for (let k = 0; k < n; k++) {
      const time = v.time[k]! as UTCTimestamp;
      const open = v.open[k]!;
      const close = v.close[k]!;
      candles[k] = { time, open, high: v.high[k]!, low: v.low[k]!, close };
      volumes[k] = { time, value: v.volume[k]!, color: close >= open ? COLORS.upVolume : COLORS.downVolume };
    }
    this.candles.setData(candles);
    this.volume.setData(volumes);
    this.counters.setData++;
    if (before && this.window) ts.setVisibleLogicalRange(rebaseLogical(before, this.window.from, v.from));
    this.window = { from: v.from, to: v.to };
    this.heldHi = store.hi;
  }

  private markFirstPaint(): void {
    const marks = this.marks;
    marks.firstDataAt = performance.now();
    requestAnimationFrame(() => {
      if (marks.firstPaintAt === null) marks.firstPaintAt = performance.now();
    });
  }

  private updateLastLine(): void {
    const last = this.stream?.store.lastBar() ?? null;
    if (!last || !this.window) {
      if (this.lastLine) this.candles.removePriceLine(this.lastLine);
      this.lastLine = null;
      return;
    }
    const color = last.close >= last.open ? COLORS.up : COLORS.down;
    if (!this.lastLine) {
      this.lastLine = this.candles.createPriceLine({ price: last.close, color, lineWidth: 1, lineStyle: LineStyle.Dotted, axisLabelVisible: true, title: '' });
    } else {
      this.lastLine.applyOptions({ price: last.close, color });
    }
  }

  private updateFollow(): void {
    const store = this.stream?.store;
    const visible = this.visibleAbs();
    const atNewest = !store || !visible || store.length === 0 || visible.to >= store.hi - 1;
    if (atNewest === this.atNewest) return;
    this.atNewest = atNewest;
    this.opts.onFollowChange?.(atNewest);
  }

  private clearSeries(): void {
    if (this.lastLine) this.candles.removePriceLine(this.lastLine);
    this.lastLine = null;
    if (!this.window) return;
    this.candles.setData([]);
    this.volume.setData([]);
    this.window = null;
    this.heldHi = 0;
  }

  private visibleAbs(): LogicalSpan | null {
    const r = this.chart.timeScale().getVisibleLogicalRange();
    if (!r || !this.window) return null;
    return { from: r.from + this.window.from, to: r.to + this.window.from };
  }

  private recordLatency({ received, ingested }: { received: number[]; ingested: number[] }): void {
    if (received.length === 0) return;
    const logs = this.opts.latency;
    const applied = performance.now();
    // datad stamps frames with its wall clock (epoch ms); on one machine timeOrigin + now() is the same clock.
    const epoch = (t: number) => performance.timeOrigin + t;
    for (let k = 0; k < received.length; k++) {
      logs.applied.push(applied - received[k]!);
      if (ingested[k]! > 0) logs.ingestApplied.push(epoch(applied) - ingested[k]!);
    }
    // lightweight-charts draws in the animation frame it requested during update(); a frame callback
    // registered after it runs right after that draw, which makes this "received -> painted".
    requestAnimationFrame(() => {
      const painted = performance.now();
      for (let k = 0; k < received.length; k++) {
        logs.painted.push(painted - received[k]!);
        if (ingested[k]! > 0) logs.ingestPainted.push(epoch(painted) - ingested[k]!);
      }
    });
  }

  private readonly onRangeChange = (_r: LogicalRange | null): void => {
    // Re-windowing and history paging happen in the next flush, never inside the chart's own callback.
    this.scheduler.request();
    this.emitTimeSpan();
    this.updateFollow();
    this.band?.reposition(this.stream?.store ?? null, this.window);
  };

  private readonly onSizeChange = (): void => {
    this.band?.reposition(this.stream?.store ?? null, this.window);
  };

  private readonly onCrosshair = (p: MouseEventParams): void => {
    const next = p.point && p.logical !== undefined && this.window ? this.window.from + Math.round(p.logical) : null;
    if (next === this.hoverIndex) return;
    this.hoverIndex = next;
    this.emitLegend();
    if (this.hoverListeners.size > 0) {
      const bar = next === null ? null : (this.stream?.store.bar(next) ?? null);
      for (const cb of this.hoverListeners) cb(bar ? bar.time : null);
    }
  };

  private emitLegend(): void {
    const store = this.stream?.store;
    let bar: Bar | null = null;
    const hovering = this.hoverIndex !== null;
    if (store) bar = (this.hoverIndex !== null ? store.bar(this.hoverIndex) : null) ?? store.lastBar();
    this.opts.onLegend({
      text: legendText(bar, this.format.digits),
      change: changeText(bar),
      up: !!bar && bar.close >= bar.open,
      hasBar: bar !== null,
      hovering,
    });
  }

  private emitTimeSpan(): void {
    if (this.timeSpanListeners.size === 0) return;
    const store = this.stream?.store;
    const visible = this.visibleAbs();
    const span = store && visible ? visibleTimeSpan(store, this.opts.timeframe, visible) : null;
    for (const cb of this.timeSpanListeners) cb(span);
  }
}

function candle(b: Bar): CandlestickData {
  return { time: b.time as UTCTimestamp, open: b.open, high: b.high, low: b.low, close: b.close };
}

function volumeBar(b: Bar): HistogramData {
  return { time: b.time as UTCTimestamp, value: b.volume, color: b.close >= b.open ? COLORS.upVolume : COLORS.downVolume };
}

