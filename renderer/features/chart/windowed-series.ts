import {
  CandlestickSeries,
  HistogramSeries,
  LineStyle,
  type CandlestickData,
  type HistogramData,
  type IChartApi,
  type IPriceLine,
  type ISeriesApi,
  type UTCTimestamp,
} from 'lightweight-charts';
import type { Bar, BarStore, Span } from '../../lib/bar-store.js';
import type { PriceFormat } from '../../lib/format.js';
import {
  bucketBase,
  bucketCount,
  bucketRows,
  initialWindow,
  pendingRows,
  rowAt,
  toAbs,
  toLogical,
  type LogicalSpan,
  type SeriesWindow,
  type WindowOptions,
} from '../../lib/windowing.js';
import { COLORS, RIGHT_OFFSET } from './chart-theme.js';

/** More changed rows than this in one flush are cheaper as one setData than as many update() calls. */
const MAX_INCREMENTAL_ROWS = 64;

/**
 * The candle and volume series of one price pane, holding rows [window.from, window.to) of a BarStore, one candle per
 * bucket of window.stride rows (lib/windowing.ts SeriesWindow: 1 row a candle unless zoomed out past one row per
 * pixel column). Series logical index k is bucket bucketBase(window) + k; every method keeps that true, and keeps
 * the same bars in view when the window moves or changes stride (so re-windowing is invisible to the user).
 */
export class WindowedSeries {
  readonly candles: ISeriesApi<'Candlestick'>;
  private readonly volume: ISeriesApi<'Histogram'>;
  /** Rows the series holds. */
  window: SeriesWindow | null = null;
  /** store.hi when the series was last brought up to date: tells whether the window follows the newest row. */
  private heldHi = 0;
  /**
   * Our own last-price line: the built-in one marks the last bar *of the series*, a stale bar whenever the
   * window does not reach the newest row.
   */
  private lastLine: IPriceLine | null = null;
  readonly counters = { setData: 0, updates: 0 };
  /**
   * Told whenever the series' rows are replaced (a window set, or cleared), before the view is restored: series drawn
   * beside the candles (indicators) replace theirs then, so the time scale only ever holds the candles' times.
   */
  onWindow: ((store: BarStore | null, window: SeriesWindow | null) => void) | null = null;

  constructor(
    private readonly chart: IChartApi,
    private readonly opts: WindowOptions,
  ) {
    this.candles = chart.addSeries(CandlestickSeries, {
      upColor: COLORS.up,
      downColor: COLORS.down,
      wickUpColor: COLORS.up,
      wickDownColor: COLORS.down,
      borderVisible: false,
      priceLineVisible: false,
      lastValueVisible: false,
      // The 0% line of the percentage scale (with overlays): a reference, not a price.
      baseLineColor: COLORS.border,
    });
    this.volume = chart.addSeries(HistogramSeries, {
      priceScaleId: '',
      priceFormat: { type: 'volume' },
      lastValueVisible: false,
      priceLineVisible: false,
    });
    chart.priceScale('').applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
  }

  /** The market's tick format, or `formatter`'s text on the axis and labels (the log-returns scale). */
  setPriceFormat(f: PriceFormat, formatter?: (p: number) => string): void {
    this.candles.applyOptions({
      priceFormat: formatter ? { type: 'custom', formatter, minMove: f.minMove } : { type: 'price', precision: f.digits, minMove: f.minMove },
    });
  }

  /** The visible logical range in store indices, null before anything is drawn. */
  visibleAbs(): LogicalSpan | null {
    const r = this.chart.timeScale().getVisibleLogicalRange();
    if (!r || !this.window) return null;
    return { from: toAbs(this.window, r.from), to: toAbs(this.window, r.to) };
  }

  get stride(): number {
    return this.window?.stride ?? 1;
  }

  /** New store content (first snapshot, reset, another symbol, "back to newest"): the newest bars, zoom kept. */
  showNewest(store: BarStore): void {
    const ts = this.chart.timeScale();
    const before = ts.getVisibleLogicalRange();
    const stride = this.stride;
    const b = initialWindow({ from: Math.floor(store.lo / stride), to: Math.ceil(store.hi / stride) }, this.opts);
    const next = { from: Math.max(store.lo, b.from * stride), to: store.hi, stride };
    this.setWindow(store, next, false);
    if (before) {
      const width = Math.max(20, before.to - before.from);
      const last = bucketCount(this.window!) - 1;
      ts.setVisibleLogicalRange({ from: last + RIGHT_OFFSET - width, to: last + RIGHT_OFFSET });
    }
  }

  /** The oldest rows held, the first of them at the left edge, zoom kept (Home). */
  showOldest(store: BarStore): void {
    const ts = this.chart.timeScale();
    const before = ts.getVisibleLogicalRange();
    const width = before ? Math.max(20, before.to - before.from) : this.opts.initial;
    const stride = this.stride;
    const to = Math.min(store.hi, (Math.floor(store.lo / stride) + Math.ceil(width) + this.opts.margin) * stride);
    this.setWindow(store, { from: store.lo, to, stride }, false);
    // Logical -0.5 is the left edge of the first candle: it is whole on screen.
    ts.setVisibleLogicalRange({ from: -0.5, to: width - 0.5 });
  }

  /** Brings the series up to date with rows written since the last sync: update() for a few, setData for many. */
  sync(store: BarStore, dirty: Span | null): void {
    const w = this.window;
    if (!w) return this.showNewest(store);
    // The series held the newest row at the last sync: appended rows join it (and the view follows them).
    const { start, end, newTo } = pendingRows(w, this.heldHi, store.hi, dirty);
    this.heldHi = store.hi;
    if (!(end > start)) return;
    const stride = w.stride;
    const b0 = Math.floor(start / stride);
    const b1 = Math.ceil(end / stride);
    if (b1 - b0 > MAX_INCREMENTAL_ROWS) return this.setWindow(store, { from: w.from, to: newTo, stride }, true);
    const next: SeriesWindow = { from: w.from, to: Math.max(w.to, end), stride };
    let seriesLast = Math.ceil(w.to / stride) - 1;
    try {
      for (let b = b0; b < b1; b++) {
        // The host rewrites its last two rows; the older of them is a "historical" update for the series.
        const historical = b < seriesLast;
        const bar = store.aggregate(bucketRows(next, b))!;
        this.candles.update(candle(bar), historical);
        this.volume.update(volumeBar(bar), historical);
        this.counters.updates++;
        if (b > seriesLast) seriesLast = b;
      }
      this.window = next;
    } catch {
      // An out-of-order row (should not happen) must not freeze the chart: redraw the window whole.
      this.setWindow(store, { from: w.from, to: newTo, stride }, true);
    }
  }

  /**
   * Replaces the series with rows `next` of the store in buckets of next.stride rows; with keepView the same bars
   * (the same span of rows, whatever the strides) stay on screen.
   */
  setWindow(store: BarStore, next: SeriesWindow, keepView: boolean): void {
    const ts = this.chart.timeScale();
    const old = this.window;
    const before = keepView && old ? ts.getVisibleLogicalRange() : null;
    const from = Math.max(next.from, store.lo);
    const w: SeriesWindow = { from, to: Math.max(from, Math.min(next.to, store.hi)), stride: next.stride };
    const n = bucketCount(w);
    const candles = new Array<CandlestickData>(n);
    const volumes = new Array<HistogramData>(n);
    if (w.stride === 1) {
      const v = store.view(w);
      for (let k = 0; k < n; k++) {
        const time = v.time[k]! as UTCTimestamp;
        const open = v.open[k]!;
        const close = v.close[k]!;
        candles[k] = { time, open, high: v.high[k]!, low: v.low[k]!, close };
        volumes[k] = { time, value: v.volume[k]!, color: close >= open ? COLORS.upVolume : COLORS.downVolume };
      }
    } else {
      const base = bucketBase(w);
      for (let k = 0; k < n; k++) {
        const bar = store.aggregate(bucketRows(w, base + k))!;
        candles[k] = candle(bar);
        volumes[k] = volumeBar(bar);
      }
    }
    this.candles.setData(candles);
    this.volume.setData(volumes);
    this.counters.setData++;
    this.onWindow?.(store, w);
    if (before && old) ts.setVisibleLogicalRange({ from: toLogical(w, toAbs(old, before.from)), to: toLogical(w, toAbs(old, before.to)) });
    this.window = w;
    this.heldHi = store.hi;
  }

  /** The store row under series logical position `l` (the last row of its bucket), null when nothing is held. */
  rowAt(l: number): number | null {
    return this.window ? rowAt(this.window, l) : null;
  }

  clear(): void {
    this.setLastPrice(null);
    if (!this.window) return;
    this.candles.setData([]);
    this.volume.setData([]);
    this.window = null;
    this.onWindow?.(null, null);
    this.heldHi = 0;
  }

  /** Moves the last-price line to the newest bar's close (null removes it). */
  setLastPrice(last: Bar | null): void {
    if (!last) {
      if (this.lastLine) this.candles.removePriceLine(this.lastLine);
      this.lastLine = null;
      return;
    }
    const color = last.close >= last.open ? COLORS.up : COLORS.down;
    if (this.lastLine) this.lastLine.applyOptions({ price: last.close, color });
    else {
      this.lastLine = this.candles.createPriceLine({
        price: last.close,
        color,
        lineWidth: 1,
        lineStyle: LineStyle.Dotted,
        axisLabelVisible: true,
        title: '',
      });
    }
  }

  /** Puts the crosshair on store row `i` if the series holds it; returns whether it did. */
  crosshairAt(store: BarStore, i: number): boolean {
    const w = this.window;
    if (!w || i < w.from || i >= w.to) return false;
    const first = bucketRows(w, Math.floor(i / w.stride)).from;
    this.chart.setCrosshairPosition(store.get('close', i), store.time(first) as UTCTimestamp, this.candles);
    return true;
  }
}

function candle(b: Bar): CandlestickData {
  return { time: b.time as UTCTimestamp, open: b.open, high: b.high, low: b.low, close: b.close };
}

function volumeBar(b: Bar): HistogramData {
  return { time: b.time as UTCTimestamp, value: b.volume, color: b.close >= b.open ? COLORS.upVolume : COLORS.downVolume };
}
