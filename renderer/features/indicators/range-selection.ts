import type { IChartApi, Logical } from 'lightweight-charts';
import { rangeStats, type RangeStats } from '../../../core/indicators/stats.js';
import type { BarStore } from '../../lib/bar-store.js';
import { rowAt, toLogical, type SeriesWindow } from '../../lib/windowing.js';
import type { ChartFollower } from '../chart/chart-controller.js';
import { selectionLines } from './indicator-format.js';

/**
 * Shift-drag on a chart: a band over the bars between the press and the pointer, with their statistics (change %,
 * range high-low, bar count, max, min and sigma of the closes; core/indicators/stats.ts). The press is claimed before
 * the chart sees it (no pan); the band stays after the release until Esc or a plain click. Follows the candles'
 * rows (ChartFollower), so the figures stay live while the selected bars are still forming.
 */
export class RangeSelection implements ChartFollower {
  private readonly band: HTMLDivElement;
  private readonly box: HTMLDivElement;
  private drag: { pointerId: number } | null = null;
  /** Absolute store rows of the two ends (either order). */
  private ends: { a: number; b: number } | null = null;
  private swallowMouse = false;
  private store: BarStore | null = null;
  private window: SeriesWindow | null = null;
  private frame = 0;
  stats: RangeStats | null = null;

  constructor(
    private readonly host: HTMLElement,
    private readonly chart: IChartApi,
    private readonly digits: () => number,
  ) {
    this.band = el('div', 'range-band');
    this.box = el('div', 'selection-stats');
    this.box.dataset.testid = 'selection-stats';
    this.band.dataset.testid = 'selection';
    this.band.hidden = this.box.hidden = true;
    host.append(this.band, this.box);
    host.addEventListener('pointerdown', this.onDown, { capture: true });
    host.addEventListener('mousedown', this.onMouseDown, { capture: true });
    host.addEventListener('pointermove', this.onMove);
    host.addEventListener('pointerup', this.onUp);
    host.addEventListener('pointercancel', this.onUp);
    window.addEventListener('keydown', this.onKey);
    chart.timeScale().subscribeVisibleLogicalRangeChange(this.render);
  }

  windowChanged(store: BarStore | null, window: SeriesWindow | null): void {
    this.store = store;
    this.window = window;
    this.request();
  }

  synced(store: BarStore, window: SeriesWindow | null): void {
    this.windowChanged(store, window);
  }

  private request(): void {
    if (this.frame || !this.ends) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private rows(): { store: BarStore; window: SeriesWindow } | null {
    return this.store && this.window && this.store.length > 0 ? { store: this.store, window: this.window } : null;
  }

  /** Shows rows a..b (absolute) as the selection, as a drag would (tests, and re-showing after a reload). */
  select(a: number, b: number): void {
    this.ends = { a, b };
    this.render();
  }

  clear(): void {
    this.ends = null;
    this.stats = null;
    this.render();
  }

  destroy(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    const h = this.host;
    h.removeEventListener('pointerdown', this.onDown, { capture: true });
    h.removeEventListener('mousedown', this.onMouseDown, { capture: true });
    h.removeEventListener('pointermove', this.onMove);
    h.removeEventListener('pointerup', this.onUp);
    h.removeEventListener('pointercancel', this.onUp);
    window.removeEventListener('keydown', this.onKey);
    this.chart.timeScale().unsubscribeVisibleLogicalRangeChange(this.render);
    this.band.remove();
    this.box.remove();
  }

  /** Re-reads the bars (they change live) and places the band where the rows are now drawn. */
  readonly render = (): void => {
    const rows = this.rows();
    const ends = this.ends;
    if (!rows || !ends) {
      this.band.hidden = this.box.hidden = true;
      return;
    }
    const { store, window: w } = rows;
    const first = Math.max(store.lo, Math.min(ends.a, ends.b));
    const last = Math.min(store.hi - 1, Math.max(ends.a, ends.b));
    const v = store.view({ from: store.lo, to: store.hi });
    const s = (this.stats = rangeStats(v, first - store.lo, last - store.lo, store.length));
    if (!s) {
      this.band.hidden = this.box.hidden = true;
      return;
    }
    const ts = this.chart.timeScale();
    const half = ts.options().barSpacing / 2;
    const x0 = ts.logicalToCoordinate(Math.round(toLogical(w, first)) as Logical);
    const x1 = ts.logicalToCoordinate(Math.round(toLogical(w, last)) as Logical);
    const left = x0 === null ? 0 : Math.max(0, x0 - half);
    const right = x1 === null ? this.host.clientWidth : Math.min(this.host.clientWidth, x1 + half);
    this.band.hidden = this.box.hidden = false;
    this.band.style.left = `${left}px`;
    this.band.style.width = `${Math.max(1, right - left)}px`;
    this.box.style.left = `${Math.max(4, Math.min(left, this.host.clientWidth - 180))}px`;
    const d = this.digits();
    this.box.replaceChildren(
      ...selectionLines(s, d).map(([k, val]) => {
        const line = el('div', 'line');
        line.append(el('span', 'k', k), el('span', 'v', val));
        return line;
      }),
    );
    Object.assign(this.box.dataset, {
      changePct: String(s.changePct),
      range: String(s.range),
      bars: String(s.bars),
      max: String(s.max),
      min: String(s.min),
      sigma: String(s.sigma),
      first: String(first),
      last: String(last),
    });
  };

  private indexAt(e: PointerEvent): number | null {
    const rows = this.rows();
    if (!rows) return null;
    const x = e.clientX - this.host.getBoundingClientRect().left;
    const logical = this.chart.timeScale().coordinateToLogical(x);
    if (logical === null) return null;
    return Math.max(rows.store.lo, Math.min(rows.store.hi - 1, rowAt(rows.window, logical)));
  }

  private readonly onDown = (e: PointerEvent) => {
    if (e.button !== 0) return;
    if (!e.shiftKey) {
      if (this.ends) this.clear();
      return;
    }
    const i = this.indexAt(e);
    if (i === null) return;
    e.preventDefault();
    e.stopPropagation();
    this.swallowMouse = true;
    this.drag = { pointerId: e.pointerId };
    this.chart.applyOptions({ handleScroll: false, handleScale: false });
    try {
      this.host.setPointerCapture(e.pointerId);
    } catch {}
    this.select(i, i);
  };

  /** The mousedown after a claimed pointerdown must not reach the chart (it would start a pan). */
  private readonly onMouseDown = (e: MouseEvent) => {
    if (!this.swallowMouse) return;
    this.swallowMouse = false;
    e.preventDefault();
    e.stopPropagation();
  };

  private readonly onMove = (e: PointerEvent) => {
    if (!this.drag || e.pointerId !== this.drag.pointerId || !this.ends) return;
    const i = this.indexAt(e);
    if (i !== null && i !== this.ends.b) this.select(this.ends.a, i);
  };

  private readonly onUp = (e: PointerEvent) => {
    this.swallowMouse = false;
    if (!this.drag || e.pointerId !== this.drag.pointerId) return;
    this.drag = null;
    this.chart.applyOptions({ handleScroll: true, handleScale: true });
    try {
      this.host.releasePointerCapture(e.pointerId);
    } catch {}
  };

  private readonly onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && this.ends) this.clear();
  };
}

function el(tag: 'div' | 'span', cls: string, text?: string): HTMLDivElement {
  const e = document.createElement(tag) as HTMLDivElement;
  e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}
