import type {
  AutoscaleInfo,
  IChartApi,
  IPrimitivePaneRenderer,
  IPrimitivePaneView,
  ISeriesApi,
  ISeriesPrimitive,
  ISeriesPrimitiveAxisView,
  Logical,
  Time,
} from 'lightweight-charts';
import type { BarStream } from '../../client/bar-stream.js';
import type { BarStore, Span } from '../../lib/bar-store.js';
import { overlayFactor } from '../../lib/log-returns.js';
import { bucketCount, rowAt, type SeriesWindow } from '../../lib/windowing.js';

/** Line colours of overlays, in the order they are added. */
export const OVERLAY_COLORS = ['#f0b90b', '#b07cf7', '#4fc3f7', '#ff8a65'] as const;

/** Older overlay rows asked at a time when the chart's window starts before them. */
const HISTORY_PAGE = 5000;
const LINE_WIDTH = 2;

type DrawTarget = Parameters<IPrimitivePaneRenderer['draw']>[0];

/**
 * Another symbol's closes drawn over a chart as a line, on the chart's log-returns scale (lib/log-returns.ts): its
 * closes times a factor that puts it through the chart's close at the first visible candle, so both start together
 * at the left edge and every vertical distance is the same log return for both.
 *
 * It holds no series data: a primitive on the candle series draws, at paint time, a point at every visible candle
 * (the overlay's close at or before that candle's last row) straight from the two stores' typed arrays, feeds its
 * range to autoscale and puts its label on the axis. So re-anchoring as the view moves, re-windowing and live rows
 * cost a redraw and a binary search per visible candle, never a data set handed to lightweight-charts again.
 */
export class OverlaySeries implements ISeriesPrimitive<Time> {
  /** The chart's store and the rows its candles hold (null: the chart draws nothing). */
  private main: BarStore | null = null;
  private window: SeriesWindow | null = null;
  /** Overlay price → chart units (see rebase); null: no anchor yet, nothing drawn. */
  private factor: number | null = null;
  private readonly paneView: IPrimitivePaneView;
  private readonly axisView: ISeriesPrimitiveAxisView;

  constructor(
    private readonly chart: IChartApi,
    private readonly candles: ISeriesApi<'Candlestick'>,
    readonly fqme: string,
    readonly stream: BarStream,
    readonly color: string,
    format: (p: number) => string,
  ) {
    const renderer: IPrimitivePaneRenderer = { draw: (target) => this.draw(target) };
    this.paneView = { renderer: () => renderer };
    const name = fqme.split('.')[0]!;
    this.axisView = {
      coordinate: () => {
        const v = this.lastValue();
        return v === null ? -1 : (this.candles.priceToCoordinate(v) ?? -1);
      },
      text: () => {
        const v = this.lastValue();
        return v === null ? '' : `${name} ${format(v)}`;
      },
      textColor: () => '#0b0e13',
      backColor: () => color,
      visible: () => this.lastValue() !== null,
    };
    candles.attachPrimitive(this);
  }

  /** The multiplier in use: the line draws the overlay's close times this. */
  get scale(): number | null {
    return this.factor;
  }

  /**
   * The value drawn at candle `l` (series logical index), in chart units: the overlay's close at or before the
   * candle's last row times the factor; null where nothing is drawn (before the overlay's first bar, no anchor).
   */
  valueAt(l: number): number | null {
    const main = this.main;
    const w = this.window;
    if (!main || !w || this.factor === null || l < 0 || l >= bucketCount(w)) return null;
    const raw = this.rawAt(main, rowAt(w, l));
    return raw === null ? null : raw * this.factor;
  }

  /**
   * Anchors the line at the chart's reference: `refRow` of `main` (the last row of the first visible candle).
   * A changed factor moves every point: the chart autoscales and draws again.
   */
  rebase(main: BarStore, refRow: number): void {
    const ov = this.stream.store;
    if (ov.length === 0) return;
    const j = ov.indexAtOrBefore(main.time(refRow));
    const mainAtFirst = main.indexAtOrBefore(ov.time(ov.lo));
    const next = overlayFactor(
      main.get('close', refRow),
      j < 0 ? null : ov.get('close', j),
      ov.get('close', ov.lo),
      mainAtFirst < 0 ? null : main.get('close', mainAtFirst),
    );
    if (next === this.factor) return;
    this.factor = next;
    this.redraw();
  }

  /** Follows rows `window` of the chart's store `main` (null: the chart draws nothing); the line redraws. */
  sync(main: BarStore, window: SeriesWindow | null): void {
    const { span, replaced } = this.stream.takeDirty();
    this.stream.takeReceiveTimes();
    this.main = main;
    this.window = window && window.to > window.from ? { ...window } : null;
    if (this.window && this.stream.store.length > 0) this.pageHistory(main, this.window);
    // The candles repaint when their own rows or window change; only the overlay's rows need a repaint asked for.
    if (span !== null || replaced) this.redraw();
  }

  /** Nothing drawn (the chart draws nothing). */
  clear(): void {
    this.window = null;
    this.redraw();
  }

  destroy(): void {
    this.candles.detachPrimitive(this);
  }

  // ---- ISeriesPrimitive ----

  paneViews(): readonly IPrimitivePaneView[] {
    return [this.paneView];
  }

  priceAxisViews(): readonly ISeriesPrimitiveAxisView[] {
    return [this.axisView];
  }

  autoscaleInfo(start: Logical, end: Logical): AutoscaleInfo | null {
    let lo = Infinity;
    let hi = -Infinity;
    this.forEachPoint(Math.floor(start), Math.ceil(end), (_l, v) => {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    });
    return lo <= hi ? { priceRange: { minValue: lo, maxValue: hi } } : null;
  }

  private draw(target: DrawTarget): void {
    const range = this.chart.timeScale().getVisibleLogicalRange();
    if (!range) return;
    const ts = this.chart.timeScale();
    target.useBitmapCoordinateSpace(({ context: ctx, horizontalPixelRatio: hr, verticalPixelRatio: vr }) => {
      ctx.beginPath();
      let pen = false;
      let prev = Number.NaN;
      // One candle past each edge, so the line runs out of the pane instead of stopping short of it.
      this.forEachPoint(Math.floor(range.from) - 1, Math.ceil(range.to) + 1, (l, v) => {
        const x = ts.logicalToCoordinate(l as Logical);
        const y = this.candles.priceToCoordinate(v);
        // A break in the points (before the overlay's first bar) lifts the pen.
        if (x === null || y === null) return;
        if (pen && l === prev + 1) ctx.lineTo(x * hr, y * vr);
        else ctx.moveTo(x * hr, y * vr);
        pen = true;
        prev = l;
      });
      ctx.lineWidth = LINE_WIDTH * vr;
      ctx.lineJoin = 'round';
      ctx.strokeStyle = this.color;
      ctx.stroke();
    });
  }

  /** Calls `fn` with each candle in [from, to] (logical, clipped to the held ones) that has a point, and its value. */
  private forEachPoint(from: number, to: number, fn: (l: number, value: number) => void): void {
    const main = this.main;
    const w = this.window;
    const f = this.factor;
    const ov = this.stream.store;
    if (!main || !w || f === null || ov.length === 0) return;
    const last = Math.min(to, bucketCount(w) - 1);
    for (let l = Math.max(0, from); l <= last; l++) {
      const raw = this.rawAt(main, rowAt(w, l));
      if (raw !== null) fn(l, raw * f);
    }
  }

  /** The overlay's close at or before row `row` of the chart's store (null before its first bar). */
  private rawAt(main: BarStore, row: number): number | null {
    const j = this.stream.store.indexAtOrBefore(main.time(row));
    return j < 0 ? null : this.stream.store.get('close', j);
  }

  /** The value drawn at the newest candle held, for the axis label. */
  private lastValue(): number | null {
    return this.window ? this.valueAt(bucketCount(this.window) - 1) : null;
  }

  /** Options unchanged: this only makes the chart autoscale and draw again (a light update). */
  private redraw(): void {
    this.candles.applyOptions({});
  }

  /** The chart shows bars older than the overlay holds: ask for the overlay's older rows. */
  private pageHistory(main: BarStore, window: Span): void {
    const ov = this.stream.store;
    if (ov.lo <= this.stream.hostFirst || main.time(window.from) >= ov.time(ov.lo)) return;
    const tf = this.stream.timeframe;
    const missing = Math.ceil((ov.time(ov.lo) - main.time(window.from)) / tf);
    this.stream.requestHistory({ from: Math.max(this.stream.hostFirst, ov.lo - Math.min(missing + 100, HISTORY_PAGE)), to: ov.lo });
  }
}
