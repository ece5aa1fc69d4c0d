import { LineSeries, type IChartApi, type ISeriesApi, type LineData, type UTCTimestamp, type WhitespaceData } from 'lightweight-charts';
import type { BarStream } from '../../client/bar-stream.js';
import type { BarStore, Span } from '../../lib/bar-store.js';
import { overlayFactor } from '../../lib/log-returns.js';
import { bucketBase, bucketRows, type SeriesWindow } from '../../lib/windowing.js';

/** Line colours of overlays, in the order they are added. */
export const OVERLAY_COLORS = ['#f0b90b', '#b07cf7', '#4fc3f7', '#ff8a65'] as const;

/** Redraw the whole line rather than append when the chart's window grew by more than this many bars. */
const MAX_APPEND = 32;
/** Older overlay rows asked at a time when the chart's window starts before them. */
const HISTORY_PAGE = 5000;

type Point = LineData | WhitespaceData;

/**
 * Another symbol's closes drawn over a chart as a line, on the chart's log-returns scale (lib/log-returns.ts): its
 * closes times a factor that puts it through the chart's close at the first visible bar, so both start together at
 * the left edge and every vertical distance is the same log return for both. The line has a point at every
 * bar the chart's series holds (the overlay's close at or before that bar's time, or a gap before its first bar),
 * so the chart's time axis stays the chart's own; like the candles it covers only the series' window.
 */
export class OverlaySeries {
  readonly line: ISeriesApi<'Line'>;
  /** Rows of the chart's store the line has points for. */
  private held: SeriesWindow | null = null;
  /** Overlay price → chart units (see rebase); null: no anchor yet, nothing drawn. */
  private factor: number | null = null;
  /** The factor changed since the line was drawn: every point moves. */
  private rescaled = false;

  constructor(
    private readonly chart: IChartApi,
    readonly fqme: string,
    readonly stream: BarStream,
    color: string,
    formatter: (p: number) => string,
  ) {
    this.line = chart.addSeries(LineSeries, {
      color,
      lineWidth: 2,
      priceLineVisible: false,
      lastValueVisible: true,
      crosshairMarkerVisible: false,
      baseLineVisible: false,
      title: fqme.split('.')[0]!,
      priceFormat: { type: 'custom', formatter, minMove: 1e-12 },
    });
  }

  /** The multiplier in use (for tests: the line's value is the overlay's close times this). */
  get scale(): number | null {
    return this.factor;
  }

  /**
   * Anchors the line at the chart's reference: `refRow` of `main` (the last row of the first visible candle).
   * A changed factor moves every point, so the next sync redraws the whole line.
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
    this.rescaled = true;
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
    if (!h || older || this.rescaled || window.stride !== h.stride || window.from !== h.from || window.to < h.to || window.to - h.to > MAX_APPEND * window.stride) {
      return this.setAll(main, window);
    }
    const s = window.stride;
    const heldLast = Math.ceil(h.to / s) - 1;
    try {
      for (let b = Math.floor(tailFrom / s); b < Math.ceil(window.to / s); b++) this.line.update(this.point(main, window, b), b < heldLast);
      this.held = { ...window };
    } catch {
      this.setAll(main, window);
    }
  }

  /** No points (the chart draws nothing). */
  clear(): void {
    if (this.held) this.line.setData([]);
    this.held = null;
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
    this.rescaled = false;
  }

  /** The point of the chart's candle (bucket) `b`: at its time, the overlay's close at or before its last row. */
  private point(main: BarStore, window: SeriesWindow, b: number): Point {
    const rows = bucketRows(window, b);
    const time = main.time(rows.from) as UTCTimestamp;
    const j = this.stream.store.indexAtOrBefore(main.time(rows.to - 1));
    return j < 0 || this.factor === null ? { time } : { time, value: this.stream.store.get('close', j) * this.factor };
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
