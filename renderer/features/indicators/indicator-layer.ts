import {
  HistogramSeries,
  LineSeries,
  LineStyle,
  type HistogramData,
  type IChartApi,
  type ISeriesApi,
  type LineData,
  type UTCTimestamp,
  type WhitespaceData,
} from 'lightweight-charts';
import { INDICATORS, indicatorLabel, type IndicatorDef } from '../../../core/indicators/registry.js';
import type { BarStore, Span } from '../../lib/bar-store.js';
import { bucketBase, bucketRows, type SeriesWindow } from '../../lib/windowing.js';
import type { ChartFollower } from '../chart/chart-controller.js';
import { COLORS } from '../chart/chart-theme.js';
import type { IndicatorChange, IndicatorFeed, IndicatorHub, IndicatorSpecLike } from './indicator-hub.js';

/** Line colours of indicators, in the order they are added. */
export const INDICATOR_COLORS = ['#e8b84a', '#d65db1', '#4fc3f7', '#9ccc65', '#ff8a65', '#ba68c8', '#4db6ac', '#f06292'] as const;

/** Redraw a whole series rather than update() its points when more rows than this changed. */
const MAX_UPDATES = 64;
/** The price pane's share of the height against 1 for each indicator pane. */
const PRICE_PANE_STRETCH = 3;

type Point = LineData | HistogramData | WhitespaceData;

interface Drawn {
  id: string;
  def: IndicatorDef;
  label: string;
  color: string;
  series: ISeriesApi<'Line'> | ISeriesApi<'Histogram'>;
  /** Rows of the chart's store the series has points for. */
  held: Span | null;
}

export interface IndicatorReading {
  id: string;
  kind: string;
  label: string;
  color: string;
  placement: 'price' | 'pane';
  /** Its pane (0: the price pane). */
  pane: number;
  value: number;
  valueIsPrice: boolean;
}

/**
 * A chart's indicators on its lightweight-charts canvas: lines over the candles (SMA, EMA, VWAP) or a pane each
 * below them (RSI with its 30/70 guides, Volume), fed by an IndicatorFeed (worker values). Like the candles, each
 * series holds only the rows the candles hold (ChartFollower): replaced with them before the view is restored, so
 * the time scale never holds a time the candles do not, and extended or updated point by point as values arrive.
 */
export class IndicatorLayer implements ChartFollower {
  readonly feed: IndicatorFeed;
  private readonly drawn = new Map<string, Drawn>();
  private store: BarStore | null = null;
  private window: SeriesWindow | null = null;
  private specs: readonly IndicatorSpecLike[] = [];
  /** Values came while the chart was hidden: redraw everything when it shows again. */
  private stale = false;
  private destroyed = false;

  constructor(
    private readonly chart: IChartApi,
    hub: IndicatorHub,
    private readonly isActive: () => boolean,
    /** Values or the set changed: labels and the q box re-read what they show. */
    private readonly onChange: () => void,
  ) {
    this.feed = hub.open({ onValues: (c) => this.onValues(c) });
  }

  /** The chart's indicator set (from the layout); series are made, moved between panes, or removed to match. */
  setIndicators(list: readonly IndicatorSpecLike[]): void {
    if (this.destroyed) return;
    this.specs = list;
    this.feed.setIndicators(list);
    const ids = this.feed.ids;
    const before = [...this.drawn.values()].filter((d) => d.def.placement === 'pane').map((d) => d.id);
    for (const [id, d] of this.drawn) {
      const spec = this.feed.spec(id);
      if (!spec || indicatorLabel(spec.kind, spec.params) !== d.label) this.remove(id);
    }
    // Panes keep the order of the list: when the pane indicators change, they are laid out again from pane 1.
    const panes = ids.filter((id) => INDICATORS[this.feed.spec(id)!.kind].placement === 'pane');
    if (panes.join() !== before.filter((id) => this.drawn.has(id)).join()) for (const id of panes) this.remove(id);
    ids.forEach((id, k) => {
      if (this.drawn.has(id)) return;
      const spec = this.feed.spec(id)!;
      const def = INDICATORS[spec.kind];
      const color = INDICATOR_COLORS[k % INDICATOR_COLORS.length]!;
      const pane = def.placement === 'pane' ? 1 + panes.indexOf(id) : 0;
      this.drawn.set(id, { id, def, label: indicatorLabel(spec.kind, spec.params), color, series: this.makeSeries(def, color, pane), held: null });
      this.redraw(this.drawn.get(id)!);
    });
    this.layoutPanes();
    this.onChange();
  }

  get indicatorSpecs(): readonly IndicatorSpecLike[] {
    return this.specs;
  }

  /** Rows of the chart's store were written (what its stream reported): to the worker. */
  push(store: BarStore, span: Span | null, replaced: boolean): void {
    this.feed.push(store, span, replaced);
  }

  windowChanged(store: BarStore | null, window: SeriesWindow | null): void {
    this.store = store;
    this.window = window;
    for (const d of this.drawn.values()) this.redraw(d);
  }

  synced(store: BarStore, window: SeriesWindow | null): void {
    const moved =
      store !== this.store || !window || !this.window || window.from !== this.window.from || window.to < this.window.to || window.stride !== this.window.stride;
    this.store = store;
    this.window = window;
    for (const d of this.drawn.values()) {
      if (moved || this.stale) this.redraw(d);
      else this.extend(d, d.held ? d.held.to : window!.from);
    }
    this.stale = false;
  }

  /** Every indicator's value at row i of the chart's store (NaN where it has none). */
  readings(i: number): IndicatorReading[] {
    const out: IndicatorReading[] = [];
    for (const d of this.drawn.values()) {
      out.push({
        id: d.id,
        kind: d.def.kind,
        label: d.label,
        color: d.color,
        placement: d.def.placement,
        pane: d.def.placement === 'pane' ? d.series.getPane().paneIndex() : 0,
        value: this.feed.values.get(d.id)?.get(i) ?? NaN,
        valueIsPrice: d.def.valueIsPrice,
      });
    }
    return out;
  }

  /** The chart's store and the rows its candles hold (for the q box and selections). */
  get rows(): { store: BarStore; window: SeriesWindow } | null {
    return this.store && this.window ? { store: this.store, window: this.window } : null;
  }

  /** The pane elements of the pane indicators, by id (for labels placed at their tops). */
  paneElements(): Map<string, HTMLElement> {
    const out = new Map<string, HTMLElement>();
    for (const d of this.drawn.values()) {
      if (d.def.placement !== 'pane') continue;
      const el = d.series.getPane().getHTMLElement();
      if (el) out.set(d.id, el);
    }
    return out;
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.feed.close();
    for (const id of [...this.drawn.keys()]) this.remove(id);
    this.layoutPanes();
  }

  private onValues(changes: IndicatorChange[]): void {
    if (this.destroyed) return;
    if (!this.isActive()) {
      this.stale = true;
      return;
    }
    for (const c of changes) {
      const d = this.drawn.get(c.id);
      if (!d) continue;
      const h = d.held;
      if (c.full || !h || c.from < h.from || Math.max(c.to, h.to) - Math.min(c.from, h.to) > MAX_UPDATES) this.redraw(d);
      else this.extend(d, Math.min(c.from, h.to));
    }
    this.onChange();
  }

  /**
   * Points for the rows the candles hold, as far as values have come: one per candle (with a stride, at the bucket's
   * time, the value at its last row: where the candle closes).
   */
  private redraw(d: Drawn): void {
    const store = this.store;
    const w = this.window;
    const vals = this.feed.values.get(d.id);
    if (!store || !w || !vals || vals.hi <= w.from) {
      if (d.held) d.series.setData([]);
      d.held = null;
      return;
    }
    const to = Math.min(w.to, vals.hi);
    const base = bucketBase(w);
    const end = Math.ceil(to / w.stride);
    const data = new Array<Point>(Math.max(0, end - base));
    for (let b = base; b < end; b++) data[b - base] = this.point(d, store, w, b, to);
    d.series.setData(data as never[]);
    d.held = { from: w.from, to };
  }

  /** update() the points of rows [from, ...) up to what the candles hold and the values reach. */
  private extend(d: Drawn, from: number): void {
    const store = this.store;
    const w = this.window;
    const vals = this.feed.values.get(d.id);
    const h = d.held;
    if (!store || !w || !vals || !h) return this.redraw(d);
    const to = Math.min(w.to, vals.hi);
    const s = w.stride;
    const b0 = Math.floor(Math.max(from, h.from) / s);
    const b1 = Math.ceil(to / s);
    if (b1 - b0 > MAX_UPDATES) return this.redraw(d);
    const heldLast = Math.ceil(h.to / s) - 1;
    try {
      for (let b = b0; b < b1; b++) d.series.update(this.point(d, store, w, b, to) as never, b < heldLast);
      if (to > h.to) d.held = { from: h.from, to };
    } catch {
      this.redraw(d);
    }
  }

  /** The point of candle (bucket) `b` of window `w`, from its rows below `to`. */
  private point(d: Drawn, store: BarStore, w: SeriesWindow, b: number, to: number): Point {
    const rows = bucketRows(w, b);
    const i = Math.min(rows.to, to) - 1;
    const time = store.time(rows.from) as UTCTimestamp;
    const value = this.feed.values.get(d.id)!.get(i);
    if (Number.isNaN(value)) return { time };
    if (d.def.kind !== 'volume') return { time, value };
    const up = store.get('close', i) >= store.get('open', i);
    return { time, value, color: up ? COLORS.upVolume : COLORS.downVolume };
  }

  private makeSeries(def: IndicatorDef, color: string, pane: number): ISeriesApi<'Line'> | ISeriesApi<'Histogram'> {
    const common = { priceLineVisible: false, lastValueVisible: true, title: '' };
    if (def.kind === 'volume') return this.chart.addSeries(HistogramSeries, { ...common, priceFormat: { type: 'volume' } }, pane);
    const series = this.chart.addSeries(
      LineSeries,
      {
        ...common,
        color,
        lineWidth: def.placement === 'price' ? 2 : 1,
        crosshairMarkerVisible: false,
        ...(def.placement === 'price' ? {} : { priceFormat: { type: 'price', precision: 2, minMove: 0.01 } }),
        ...(def.range ? { autoscaleInfoProvider: () => ({ priceRange: { minValue: def.range!.min, maxValue: def.range!.max } }) } : {}),
      },
      pane,
    );
    for (const g of def.range?.guides ?? []) {
      series.createPriceLine({ price: g, color: '#566074', lineWidth: 1, lineStyle: LineStyle.Dashed, axisLabelVisible: false, title: '' });
    }
    return series;
  }

  private remove(id: string): void {
    const d = this.drawn.get(id);
    if (!d) return;
    this.drawn.delete(id);
    this.chart.removeSeries(d.series);
  }

  /** Drops panes left empty, sizes the rest (price pane first), and tags pane elements for tests. */
  private layoutPanes(): void {
    const panes = this.chart.panes();
    for (let k = panes.length - 1; k > 0; k--) if (panes[k]!.getSeries().length === 0) this.chart.removePane(k);
    const left = this.chart.panes();
    left[0]?.setStretchFactor(left.length > 1 ? PRICE_PANE_STRETCH : 1);
    for (let k = 1; k < left.length; k++) left[k]!.setStretchFactor(1);
    // Pane elements exist once the chart has laid them out.
    requestAnimationFrame(() => this.tagPanes());
  }

  private tagPanes(): void {
    if (this.destroyed) return;
    const byPane = new Map<number, Drawn>();
    for (const d of this.drawn.values()) if (d.def.placement === 'pane') byPane.set(d.series.getPane().paneIndex(), d);
    this.chart.panes().forEach((p, k) => {
      const el = p.getHTMLElement();
      if (!el) return;
      const d = byPane.get(k);
      if (d && k > 0) {
        el.dataset.testid = 'indicator-pane';
        el.dataset.kind = d.def.kind;
        el.dataset.indicatorId = d.id;
      } else {
        delete el.dataset.testid;
        delete el.dataset.kind;
        delete el.dataset.indicatorId;
      }
    });
    this.onChange();
  }
}
