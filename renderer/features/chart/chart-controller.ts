import { createChart, PriceScaleMode, type IChartApi, type ISeriesApi, type MouseEventParams } from 'lightweight-charts';
import type { BarStream } from '../../client/bar-stream.js';
import type { Bar, BarStore } from '../../lib/bar-store.js';
import { FlushScheduler } from '../../lib/flush-scheduler.js';
import { changeText, FALLBACK_PRICE_FORMAT, legendText, type PriceFormat } from '../../lib/format.js';
import type { LatencyLog } from '../../lib/latency-log.js';
import { visibleTimeSpan } from '../../lib/linked-range.js';
import { bucketCount, bucketRows, DEFAULT_WINDOW, historyRequest, planStride, planStridedWindow, type SeriesWindow } from '../../lib/windowing.js';
import { chartOptions } from './chart-theme.js';
import { logReturnsAxisWidth, LogReturnsScale } from './log-returns-scale.js';
import { OVERLAY_COLORS, OverlaySeries } from './overlay-series.js';
import { TimeBand } from './time-band.js';
import { WindowedSeries } from './windowed-series.js';

/** Something drawn beside the candles that must hold exactly the rows they hold (features/indicators). */
export interface ChartFollower {
  /**
   * The candles now hold rows `window` of `store` (null: nothing), one candle per bucket of window.stride rows
   * (lib/windowing.ts): called before the view is restored.
   */
  windowChanged(store: BarStore | null, window: SeriesWindow | null): void;
  /** After live rows or a flush: the candles hold `window` (it may have grown at the newest end). */
  synced(store: BarStore, window: SeriesWindow | null): void;
  /** What it draws, merged into the chart's stats() (the debug handle's view, for tests). */
  debugStats?(): Record<string, unknown>;
}

export interface LegendState {
  text: string;
  change: string;
  up: boolean;
  hasBar: boolean;
  hovering: boolean;
}

/** Where tick-to-chart figures go (see debug-handle.ts for what each measures). */
export interface LatencyLogs {
  applied: LatencyLog;
  painted: LatencyLog;
  ingestApplied: LatencyLog;
  ingestPainted: LatencyLog;
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

/** Rows asked per history page when the user scrolls past what is held. */
const HISTORY_PAGE = 5000;
/** Rows asked per page while Home brings in the oldest history (the host answers up to 250k a request). */
const HOME_PAGE = 100_000;
/** Flushes Home re-applies its view in, once the first row is held, until the chart shows it. */
const HOME_TRIES = 5;

type TimeSpan = { from: number; to: number };

/**
 * One chart (candles + volume on one pane) fed by a BarStream. The series hold only a window of the
 * stream's rows around the visible range (windowed-series.ts, lib/windowing.ts); everything that touches
 * them happens in flush(), at most once per animation frame (lib/flush-scheduler.ts).
 */
/** Live updates up to this many rows skip the frame wait (see requestFlush). */
const FAST_PATH_ROWS = 8;

export class ChartController {
  readonly chart: IChartApi;
  private readonly series: WindowedSeries;
  private readonly scheduler: FlushScheduler;
  private readonly band: TimeBand | null;
  private stream: BarStream | null = null;
  /** A replacement stream for the same symbol (after a reconnect): shown once it has rows, so the chart never blanks. */
  private incoming: BarStream | null = null;
  private hoverIndex: number | null = null;
  /** The pointer is over this chart (its crosshair is the user's, not one another chart set). */
  private pointerInside = false;
  private format: PriceFormat = FALLBACK_PRICE_FORMAT;
  private timeSpanListeners = new Set<(span: TimeSpan | null) => void>();
  private hoverListeners = new Set<(time: number | null) => void>();
  private atNewest = true;
  private destroyed = false;
  private overlays: OverlaySeries[] = [];
  /** With overlays: the axis reads log returns from the first visible candle (see rebase). */
  private readonly logScale = new LogReturnsScale(() => {
    if (!this.destroyed) this.applyPriceFormat();
  });
  private readonly followers = new Set<ChartFollower>();
  /** False while the chart is hidden (an inactive tab): rows collect in the streams, nothing is drawn until shown. */
  private active = true;
  /** Shown again after following the newest bar while hidden: the catch-up flush shows the newest bars again. */
  private catchUp = false;
  /** Home was pressed: the view stays on the oldest row while older pages come in, until the host's first row is held. */
  private homing = false;
  /** Flushes Home may still take to settle the view on the first row (see home()). */
  private homeTries = 0;
  readonly counters = { flushes: 0, historyRequests: 0 };
  /**
   * performance.now() marks of the current stream: attached, first rows drawn (series set), and the
   * animation frame that painted them. For the "open a chart" benchmark.
   */
  readonly marks: { attachedAt: number; firstDataAt: number | null; firstPaintAt: number | null } = {
    attachedAt: 0,
    firstDataAt: null,
    firstPaintAt: null,
  };

  constructor(private readonly opts: ChartControllerOptions) {
    this.chart = createChart(opts.container, chartOptions(opts.timeframe));
    this.series = new WindowedSeries(this.chart, DEFAULT_WINDOW);
    this.series.onWindow = (store, w) => {
      for (const f of this.followers) f.windowChanged(store, w);
    };
    this.band = opts.bandElement ? new TimeBand(this.chart, opts.bandElement, opts.timeframe) : null;
    this.scheduler = new FlushScheduler(() => this.flush());
    this.chart.timeScale().subscribeVisibleLogicalRangeChange(this.onRangeChange);
    this.chart.timeScale().subscribeSizeChange(this.onSizeChange);
    this.chart.subscribeCrosshairMove(this.onCrosshair);
    opts.container.addEventListener('pointerenter', this.onPointerEnter);
    opts.container.addEventListener('pointerleave', this.onPointerLeave);
    this.setPriceFormat(this.format);
  }

  attach(stream: BarStream): void {
    stream.paused = !this.active;
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
      this.homing = false;
    }
    this.scheduler.request();
  }

  /** Forgets the stream and empties the series (nothing valid to show). */
  detach(): void {
    this.homing = false;
    this.stream = null;
    this.incoming = null;
    this.series.clear();
    for (const o of this.overlays) o.clear();
    this.emitLegend();
    this.emitTimeSpan();
  }

  /**
   * Called by the stream whenever rows landed in its store. A small live update (the rewritten tail) goes
   * into the series at once: update() on a windowed series costs tens of µs and lightweight-charts paints at
   * most once per animation frame anyway, so waiting for a frame would only add latency (~8 ms at p50 under a
   * steady feed). Everything else (snapshots, re-windowing, history paging, legend and DOM work) stays in the
   * flush, which runs at most once per animation frame.
   */
  readonly requestFlush = (): void => {
    if (this.destroyed || !this.active) return;
    const stream = this.stream;
    if (!this.incoming && !this.catchUp && stream && stream.store.length > 0 && this.series.window && stream.hasSmallUpdate(FAST_PATH_ROWS)) {
      const { span } = stream.takeDirty();
      this.series.sync(stream.store, span);
      this.series.setLastPrice(stream.store.lastBar());
      for (const o of this.overlays) o.sync(stream.store, this.series.window);
      for (const f of this.followers) f.synced(stream.store, this.series.window);
      this.recordLatency(stream.takeReceiveTimes());
      this.scheduler.request(true);
      return;
    }
    this.scheduler.request();
  };

  /**
   * Shown (true) or hidden (false). A hidden chart draws nothing: its streams keep the rows (the store is the truth)
   * and what changed, and the first flush after it is shown catches up in one go.
   */
  setActive(active: boolean): void {
    if (active === this.active) return;
    this.active = active;
    // While hidden nothing moved the view: it follows the newest bar if it did when hidden.
    this.catchUp = active && this.atNewest;
    for (const s of this.streams()) {
      s.paused = !active;
      // Frames that came in while hidden are not tick-to-chart samples.
      if (active) s.takeReceiveTimes();
    }
    if (active) this.scheduler.request();
  }

  get isActive(): boolean {
    return this.active;
  }

  /**
   * Other symbols drawn over this chart as lines. With any, the price scale is logarithmic and reads the log return
   * from the first visible candle (lib/log-returns.ts), so moves compare whatever the price levels, and a +10% then
   * -10% shows as the loss it is. The caller owns the streams (opens and closes them); the chart only draws them.
   */
  setOverlays(list: readonly { fqme: string; stream: BarStream }[]): void {
    // An overlay's colour is its place in the list (the toolbar's swatch): one that moved up is drawn anew in its new colour.
    const colorAt = (i: number) => OVERLAY_COLORS[i % OVERLAY_COLORS.length]!;
    const keep = new Map(list.map((o, i) => [o.stream, colorAt(i)]));
    for (const o of this.overlays) if (keep.get(o.stream) !== o.color) o.destroy();
    const held = new Map(this.overlays.filter((o) => keep.get(o.stream) === o.color).map((o) => [o.stream, o]));
    this.overlays = list.map(({ fqme, stream }, i) => {
      stream.paused = !this.active;
      return held.get(stream) ?? new OverlaySeries(this.chart, this.series.candles, fqme, stream, colorAt(i), this.logScale.format);
    });
    const log = this.overlays.length > 0;
    this.chart.priceScale('right').applyOptions({
      mode: log ? PriceScaleMode.Logarithmic : PriceScaleMode.Normal,
      minimumWidth: log ? logReturnsAxisWidth(list.map((o) => o.fqme)) : 0,
    });
    if (this.overlays.length === 0) this.logScale.reset();
    this.applyPriceFormat();
    this.scheduler.request();
  }

  /** Draws `f` beside the candles (told the rows they hold now, and on every change); returns its removal. */
  addFollower(f: ChartFollower): () => void {
    this.followers.add(f);
    const w = this.series.window;
    if (this.stream && w) f.windowChanged(this.stream.store, w);
    return () => this.followers.delete(f);
  }

  private streams(): BarStream[] {
    const out = this.overlays.map((o) => o.stream);
    if (this.stream) out.push(this.stream);
    if (this.incoming) out.push(this.incoming);
    return out;
  }

  setPriceFormat(f: PriceFormat): void {
    this.format = f;
    this.applyPriceFormat();
    this.emitLegend();
  }

  private applyPriceFormat(): void {
    this.series.setPriceFormat(this.format, this.overlays.length > 0 ? this.logScale.format : undefined);
  }

  /** Anchors the log-returns scale at the first visible candle; runs at each flush (the view moved or rows came in). */
  private rebase(store: BarStore): void {
    if (this.overlays.length === 0 || store.length === 0) return;
    const range = this.chart.timeScale().getVisibleLogicalRange();
    const ref = range ? this.series.rowAt(Math.max(0, Math.ceil(range.from))) : null;
    if (ref === null || ref < store.lo || ref >= store.hi) return;
    this.logScale.anchor(store, ref, this.overlays);
  }

  /** Shades this chart over a time range [from, to] (epoch s): the fast chart's view on the slow chart. */
  setBand(span: TimeSpan | null): void {
    this.band?.set(span, this.stream?.store ?? null, this.series.window);
  }

  /** Reports the time span of the bars in view whenever it changes (null when nothing is drawn). */
  onVisibleTimeSpan(cb: (span: TimeSpan | null) => void): () => void {
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
    // Off screen the chart would pin the crosshair to its edge, showing a time it was not asked for.
    const v = this.series.visibleAbs();
    const inView = v !== null && i >= Math.floor(v.from) && i <= Math.ceil(v.to);
    // Synthetic crosshair positions fire no crosshair event, so the legend is updated here.
    if (store && i >= 0 && inView && this.series.crosshairAt(store, i)) {
      this.hoverIndex = i;
      this.emitLegend();
    } else if (this.hoverIndex !== null) {
      this.chart.clearCrosshairPosition();
      this.hoverIndex = null;
      this.emitLegend();
    }
  }

  // ---- for order mode (features/orders): coordinates, bar times, the series lines and markers attach to ----

  get timeframe(): number {
    return this.opts.timeframe;
  }

  /** The candle series: order lines, the position line and fill markers attach here. */
  get priceSeries(): ISeriesApi<'Candlestick'> {
    return this.series.candles;
  }

  /** The price at `y` px from the top of the chart, null when nothing is drawn. */
  yToPrice(y: number): number | null {
    return this.series.candles.coordinateToPrice(y);
  }

  /** The y (px from the top of the chart) of `price`, null when nothing is drawn. */
  priceToY(price: number): number | null {
    return this.series.candles.priceToCoordinate(price);
  }

  /** The newest bar's close, null before any bar. */
  lastClose(): number | null {
    return this.stream?.store.lastBar()?.close ?? null;
  }

  /** Back to the newest bars at the current zoom. */
  scrollToNewest(): void {
    const store = this.stream?.store;
    this.homing = false;
    if (!store || store.length === 0) return;
    this.series.showNewest(store);
    this.updateFollow();
  }

  /**
   * To the oldest bar of the whole history (the host's first row) at the current zoom. Rows the store lacks are paged
   * in from the host (bars.range); the view stays on the oldest row held until the first one arrives.
   */
  scrollToOldest(): void {
    const store = this.stream?.store;
    if (!store || store.length === 0) return;
    this.homing = true;
    this.homeTries = HOME_TRIES;
    this.scheduler.request();
  }

  destroy(): void {
    this.destroyed = true;
    this.logScale.reset();
    for (const o of this.overlays) o.destroy();
    this.overlays = [];
    this.chart.timeScale().unsubscribeVisibleLogicalRangeChange(this.onRangeChange);
    this.chart.timeScale().unsubscribeSizeChange(this.onSizeChange);
    this.chart.unsubscribeCrosshairMove(this.onCrosshair);
    this.opts.container.removeEventListener('pointerenter', this.onPointerEnter);
    this.opts.container.removeEventListener('pointerleave', this.onPointerLeave);
    this.chart.remove();
  }

  /** What the series and the store hold, for tests and benchmarks. */
  stats() {
    const s = this.stream?.store;
    const w = this.series.window;
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
      window: w ? { ...w } : null,
      stride: w?.stride ?? 1,
      homing: this.homing,
      active: this.active,
      overlays: this.overlays.map((o) => ({ fqme: o.fqme, rows: o.stream.store.length, scale: o.scale })),
      /** 'log-returns' with overlays: the axis reads 100·ln(p / logBase) %. */
      priceScale: this.overlays.length > 0 ? 'log-returns' : 'price',
      logBase: this.logScale.value,
      sharedBy: this.stream?.sharedBy ?? 0,
      /** Candles the series holds (one per bucket of `stride` rows). */
      seriesRows: w ? bucketCount(w) : 0,
      visible: this.series.visibleAbs(),
      lastBar: s?.lastBar() ?? null,
      /** The oldest row held (the host's first once `lo` reaches `hostFirst`). */
      firstBar: s ? s.bar(s.lo) : null,
      ...this.counters,
      ...this.series.counters,
      ...this.marks,
      ...(Object.assign({}, ...[...this.followers].map((f) => f.debugStats?.())) as Record<string, unknown>),
    };
  }

  private flush(): void {
    if (this.destroyed || !this.active) return;
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
    let rewindowed = false;
    if (store.length === 0) {
      this.series.clear();
    } else {
      if (replaced || this.catchUp) this.series.showNewest(store);
      else this.series.sync(store, dirty);
      this.catchUp = false;
      if (this.marks.firstDataAt === null) this.markFirstPaint();
      if (this.homing) this.home(stream);
      const data = { from: store.lo, to: store.hi };
      const visible = this.series.visibleAbs();
      // Wider than the pane has pixel columns: buckets of `stride` rows, one candle each (M4), never every row.
      const stride = visible ? planStride(visible.to - visible.from, this.chart.timeScale().width(), this.series.stride) : this.series.stride;
      const next = planStridedWindow(data, this.series.window, visible, stride, DEFAULT_WINDOW);
      if (next) this.series.setWindow(store, next, true);
      rewindowed = next !== null;
      const older = historyRequest(data, stream.hostFirst, visible, HISTORY_PAGE, DEFAULT_WINDOW);
      if (older) {
        this.counters.historyRequests++;
        stream.requestHistory(older);
      }
      this.series.setLastPrice(store.lastBar());
    }
    // After a re-window the view is restored only at the next paint: the range read now is against the old window.
    // The same bars stay on screen, so the anchor holds until the next flush.
    if (!rewindowed) this.rebase(store);
    for (const o of this.overlays) o.sync(store, store.length === 0 ? null : this.series.window);
    if (store.length > 0) for (const f of this.followers) f.synced(store, this.series.window);
    this.recordLatency(received);
    this.updateFollow();
    this.emitLegend();
    this.emitTimeSpan();
    this.band?.reposition(store, this.series.window);
  }

  /** Puts the oldest held row at the left edge (zoom kept) and asks for the next older page until the host's first. */
  private home(stream: BarStream): void {
    const store = stream.store;
    const v = this.series.visibleAbs();
    const there = v !== null && Math.ceil(v.from) <= store.lo && this.series.window?.from === store.lo;
    if (store.lo > stream.hostFirst) stream.requestHistory({ from: Math.max(stream.hostFirst, store.lo - HOME_PAGE), to: store.lo });
    else if (there || --this.homeTries <= 0) {
      this.homing = false;
      return;
    }
    this.series.showOldest(store);
    // lightweight-charts may settle the range of a replaced series in its next frame: check again then.
    this.scheduler.request();
  }

  private markFirstPaint(): void {
    const marks = this.marks;
    marks.firstDataAt = performance.now();
    requestAnimationFrame(() => {
      if (marks.firstPaintAt === null) marks.firstPaintAt = performance.now();
    });
  }

  private updateFollow(): void {
    const store = this.stream?.store;
    const visible = this.series.visibleAbs();
    const atNewest = !store || !visible || store.length === 0 || visible.to >= store.hi - 1;
    if (atNewest === this.atNewest) return;
    this.atNewest = atNewest;
    this.opts.onFollowChange?.(atNewest);
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

  private readonly onRangeChange = (): void => {
    // Re-windowing and history paging happen in the next flush, never inside the chart's own callback.
    this.scheduler.request(true);
    this.emitTimeSpan();
    this.updateFollow();
    this.band?.reposition(this.stream?.store ?? null, this.series.window);
  };

  private readonly onSizeChange = (): void => {
    this.band?.reposition(this.stream?.store ?? null, this.series.window);
  };

  private readonly onCrosshair = (p: MouseEventParams): void => {
    // A position with no pointer event behind it is one lightweight-charts re-applies after data or the view
    // changed. With the pointer over this chart it is the bar now under the still cursor (the legend follows it);
    // without, it is one another chart set here (showCrosshairAt), and taken as this chart's hover it would pull
    // the other chart's crosshair and legend away from the pointer over it.
    if (p.point && !p.sourceEvent && !this.pointerInside) return;
    // No bar under the cursor (the right margin, the empty space of a wide zoom-out): the legend shows the newest bar.
    const next = p.point && p.time !== undefined && p.logical !== undefined ? this.series.rowAt(p.logical) : null;
    this.setHover(next);
  };

  /** lightweight-charts sends no crosshair leave when the series is replaced under the pointer (a re-window). */
  private readonly onPointerLeave = (): void => {
    this.pointerInside = false;
    this.setHover(null);
  };

  private readonly onPointerEnter = (): void => {
    this.pointerInside = true;
  };

  private setHover(next: number | null): void {
    if (next === this.hoverIndex) return;
    this.hoverIndex = next;
    this.emitLegend();
    if (this.hoverListeners.size > 0) {
      const bar = next === null ? null : (this.stream?.store.bar(next) ?? null);
      for (const cb of this.hoverListeners) cb(bar ? bar.time : null);
    }
  }

  private emitLegend(): void {
    const store = this.stream?.store;
    let bar: Bar | null = null;
    const w = this.series.window;
    if (store && this.hoverIndex !== null) {
      // Zoomed out past one row per pixel: the hovered candle is a bucket of rows, and the legend shows that bucket.
      bar = w && w.stride > 1 ? store.aggregate(bucketRows(w, Math.floor(this.hoverIndex / w.stride))) : store.bar(this.hoverIndex);
    }
    if (store) bar ??= store.lastBar();
    this.opts.onLegend({
      text: legendText(bar, this.format.digits),
      change: changeText(bar),
      up: !!bar && bar.close >= bar.open,
      hasBar: bar !== null,
      hovering: this.hoverIndex !== null,
    });
  }

  private emitTimeSpan(): void {
    if (this.timeSpanListeners.size === 0) return;
    const store = this.stream?.store;
    const visible = this.series.visibleAbs();
    const span = store && visible ? visibleTimeSpan(store, this.opts.timeframe, visible) : null;
    for (const cb of this.timeSpanListeners) cb(span);
  }
}
