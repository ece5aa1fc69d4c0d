import type { IChartApi, Logical } from 'lightweight-charts';
import type { BarStore } from '../../lib/bar-store.js';
import { timeToLogical } from '../../lib/linked-range.js';
import { toLogical, type SeriesWindow } from '../../lib/windowing.js';

/**
 * A shaded band over a time range on a chart: the slow chart shows where the fast chart is looking.
 * A plain DOM element over the plot area (pointer-events: none), placed from time-scale coordinates;
 * cheaper than a series primitive and it never touches the series data.
 */
export class TimeBand {
  private span: { from: number; to: number } | null = null;

  constructor(
    private readonly chart: IChartApi,
    private readonly el: HTMLElement,
    private readonly timeframe: number,
  ) {
    el.style.display = 'none';
  }

  set(span: { from: number; to: number } | null, store: BarStore | null, window: SeriesWindow | null): void {
    this.span = span;
    this.reposition(store, window);
  }

  reposition(store: BarStore | null, window: SeriesWindow | null): void {
    const el = this.el;
    const span = this.span;
    if (!span || !store || !window || store.length === 0) {
      el.style.display = 'none';
      return;
    }
    const l0 = timeToLogical(store, this.timeframe, span.from);
    const l1 = timeToLogical(store, this.timeframe, span.to);
    const x0 = l0 === null ? null : this.x(toLogical(window, l0));
    const x1 = l1 === null ? null : this.x(toLogical(window, l1));
    const pane = this.chart.paneSize(0);
    if (x0 === null || x1 === null || x1 < 0 || x0 > pane.width) {
      el.style.display = 'none';
      return;
    }
    const left = Math.max(0, x0);
    const right = Math.min(pane.width, x1);
    el.style.display = 'block';
    el.style.left = `${Math.round(left)}px`;
    // At wide zoom a minute of fast bars is under one slow bar: keep the band visible anyway.
    el.style.width = `${Math.max(2, Math.round(right - left))}px`;
    el.style.height = `${pane.height}px`;
  }

  /** x of a fractional logical index (the chart API only maps whole indices). */
  private x(l: number): number | null {
    const ts = this.chart.timeScale();
    const i = Math.floor(l);
    const a = ts.logicalToCoordinate(i as Logical);
    const b = ts.logicalToCoordinate((i + 1) as Logical);
    if (a === null || b === null) return null;
    return a + (l - i) * (b - a);
  }
}
