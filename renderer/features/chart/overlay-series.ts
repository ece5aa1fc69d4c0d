import type { IChartApi, ISeriesApi, Time, UTCTimestamp, WhitespaceData } from 'lightweight-charts';
import type { BarStream } from '../../client/bar-stream.js';
import type { BarStore, Span } from '../../lib/bar-store.js';
import { overlayFactor } from '../../lib/log-returns.js';
import { bucketBase, bucketRows, type SeriesWindow } from '../../lib/windowing.js';
import { labelPrimitive, ScaledLineView, type RawPoint, type ScaledLineOptions } from './scaled-line.js';

/** Line colours of overlays, in the order they are added. */
export const OVERLAY_COLORS = ['#f0b90b', '#b07cf7', '#4fc3f7', '#ff8a65'] as const;

/** Redraw the whole line rather than append when the chart's window grew by more than this many bars. */
const MAX_APPEND = 32;
/** Older overlay rows asked at a time when the chart's window starts before them. */
const HISTORY_PAGE = 5000;

type Point = RawPoint | WhitespaceData;

/**
 * Another symbol's closes drawn over a chart as a line, on the chart's log-returns scale (lib/log-returns.ts): its
 * closes times a factor that puts it through the chart's close at the first visible bar, so both start together at
 * the left edge and every vertical distance is the same log return for both. The line has a point at every
 * bar the chart's series holds (the overlay's close at or before that bar's time, or a gap before its first bar),
 * so the chart's time axis stays the chart's own; like the candles it covers only the series' window.
 * The points hold the overlay's own closes; the factor is applied where the line is drawn (scaled-line.ts), so
 * re-anchoring as the view moves costs a redraw, not a new data set.
 */
export class OverlaySeries {
  readonly line: ISeriesApi<'Custom', Time, Point, ScaledLineOptions>;
  private readonly view = new ScaledLineView();
  /** The overlay close of the newest point drawn (raw), for the axis label. */
  private lastRaw: number | null = null;
  /** Rows of the chart's store the line has points for. */
  private held: SeriesWindow | null = null;
  /** Overlay price → chart units (see rebase); null: no anchor yet, nothing drawn. */
  private factor: number | null = null;

  constructor(
    private readonly chart: IChartApi,
    readonly fqme: string,
    readonly stream: BarStream,
    color: string,
    formatter: (p: number) => string,
  ) {
    this.line = chart.addCustomSeries<RawPoint, ScaledLineOptions>(this.view, {
      lineColor: color,
      lineWidth: 2,
      priceLineVisible: false,
      lastValueVisible: false,
      autoscaleInfoProvider: this.view.autoscale,
    });
    this.line.attachPrimitive(
      labelPrimitive(
        fqme.split('.')[0]!,
        color,
        () => (this.lastRaw === null || this.factor === null ? null : this.lastRaw * this.factor),
        (p) => this.line.priceToCoordinate(p),
        formatter,
      ),
    );
  }

  /** The multiplier in use (for tests: the line's value is the overlay's close times this). */
  get scale(): number | null {
    return this.factor;
  }

  /**
   * Anchors the line at the chart's reference: `refRow` of `main` (the last row of the first visible candle).
   * A changed factor moves every point: the chart redraws and autoscales again, the data stays.
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
    this.view.factor = next ?? 1;
    // Options unchanged: this only makes the chart autoscale and draw again (a light update).
    this.line.applyOptions({});
  }

  /** Brings the line in step with rows `window` of the chart's store `main` (null: the chart draws nothing). */
  sync(main: BarStore, window: SeriesWindow | null): void {
    const { span: dirty, replaced } = this.stream.takeDirty();
    this.stream.takeReceiveTimes();
    const ov = this.stream.store;
    if (!window || window.to <= window.from || ov.length === 0 || this.factor === null) return this.clear();
    this.pageHistory(main, window);
    const h = this.held;
    const tailFrom = h ? Math.max(h.from, h.to - 2) : 0;
    // Overlay rows changed before the line's tail (a history page, a reset): their points must be redrawn too.
    const older = replaced || (dirty !== null && h !== null && dirty.from >= ov.lo && dirty.from < ov.hi && ov.time(dirty.from) < main.time(tailFrom));
    if (!h || older || window.stride !== h.stride || window.from !== h.from || window.to < h.to || window.to - h.to > MAX_APPEND * window.stride) {
      return this.setAll(main, window);
    }
    const s = window.stride;
    const heldLast = Math.ceil(h.to / s) - 1;
    try {
      for (let b = Math.floor(tailFrom / s); b < Math.ceil(window.to / s); b++) this.line.update(this.point(main, window, b), b < heldLast);
      this.held = { ...window };
      this.lastRaw = this.rawAt(main, window.to - 1);
    } catch {
      this.setAll(main, window);
    }
  }

  /** No points (the chart draws nothing). */
  clear(): void {
    if (this.held) this.line.setData([]);
    this.held = null;
    this.lastRaw = null;
  }

  destroy(): void {
    this.chart.removeSeries(this.line);
  }

  private setAll(main: BarStore, window: SeriesWindow): void {
    const base = bucketBase(window);
    const n = Math.ceil(window.to / window.stride) - base;
    const data = new Array<Point>(n);
    for (let k = 0; k < n; k++) data[k] = this.point(main, window, base + k);
    this.line.setData(data);
    this.held = { ...window };
    this.lastRaw = this.rawAt(main, window.to - 1);
  }

  /** The point of the chart's candle (bucket) `b`: at its time, the overlay's close at or before its last row. */
  private point(main: BarStore, window: SeriesWindow, b: number): Point {
    const rows = bucketRows(window, b);
    const time = main.time(rows.from) as UTCTimestamp;
    const value = this.rawAt(main, rows.to - 1);
    return value === null ? { time } : { time, value };
  }

  /** The overlay's close at or before row `row` of the chart's store (null before its first bar). */
  private rawAt(main: BarStore, row: number): number | null {
    const j = this.stream.store.indexAtOrBefore(main.time(row));
    return j < 0 ? null : this.stream.store.get('close', j);
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
