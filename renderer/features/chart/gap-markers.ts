import type {
  IChartApiBase,
  IPrimitivePaneRenderer,
  IPrimitivePaneView,
  ISeriesPrimitive,
  ITimeScaleApi,
  Logical,
  MouseEventParams,
  SeriesAttachedParameter,
  Time,
} from 'lightweight-charts';
import type { BarStore } from '../../lib/bar-store.js';
import { gapLabel, gapMarkers, type GapMarker, type GapRun } from '../../lib/gap-positions.js';
import { bucketBase, type SeriesWindow } from '../../lib/windowing.js';
import type { ChartFollower } from './chart-controller.js';

type Target = Parameters<IPrimitivePaneRenderer['draw']>[0];

const COLOR = '#f0b429';
const SPAN_FILL = 'rgba(240, 180, 41, 0.10)';
const LABEL_BG = 'rgba(11, 14, 19, 0.88)';
const FONT = "11px 'JetBrains Mono', 'DejaVu Sans Mono', Menlo, Consolas, monospace";
/** Pointer this close to a marker (px) shows its reason. */
const HOVER_PX = 6;
const PAD = 4;
const ROW_H = 16;
/** Below the top edge, clear of the indicator labels' first row. */
const TOP = 24;

/** A drawn marker as tests see it (chart stats `gaps`): where it is, in rows, times and px. */
export interface DrawnGap {
  start: number;
  end: number;
  bars: number;
  gaps: number;
  reasons: string[];
  label: string;
  /** Store rows and times of the last bar before and the first bar after. */
  before: number;
  after: number;
  beforeTime: number;
  afterTime: number;
  /** Series logical edges of the marker, and their x (px from the pane's left; null while off the time scale). */
  from: number;
  to: number;
  x0: number | null;
  x1: number | null;
  /** x of the candles holding the bars either side (their buckets when zoomed out). */
  beforeX: number | null;
  afterX: number | null;
  hovered: boolean;
}

/**
 * The recorded history gaps of a chart's market (core HistoryGap, from the host) drawn on its candles: a dashed line
 * between the last bar before a gap and the first after it (the time axis has no whitespace for missing bars, so
 * without it a gap is an unmarked jump in time), labelled with the missing bars, and the venue's reason on hover or
 * where there is room. A series primitive: it draws at paint time from the time scale, so panning costs nothing
 * here; a ChartFollower: positions are worked out again only when the held rows or the gaps change.
 * Also keeps a hidden list of the drawn gaps in the DOM (data-testid chart-gaps) for assistive tech and tests.
 */
export class GapMarkers implements ISeriesPrimitive<Time>, ChartFollower {
  private gaps: readonly GapRun[] = [];
  private store: BarStore | null = null;
  private window: SeriesWindow | null = null;
  private markers: GapMarker[] = [];
  private times: { before: number; after: number }[] = [];
  private key = '';
  private chart: IChartApiBase<Time> | null = null;
  private requestUpdate: (() => void) | null = null;
  private pointerX: number | null = null;
  private hoveredIndex = -1;
  private readonly list: HTMLUListElement;
  private listKey = '';

  private readonly renderer: IPrimitivePaneRenderer = { draw: (target) => this.draw(target) };
  private readonly views: readonly IPrimitivePaneView[] = [{ zOrder: () => 'top', renderer: () => this.renderer }];

  constructor(host: HTMLElement) {
    this.list = document.createElement('ul');
    this.list.className = 'gap-list';
    this.list.dataset.testid = 'chart-gaps';
    this.list.setAttribute('aria-label', 'history gaps');
    host.append(this.list);
  }

  /** The market's recorded gaps in this chart's timeframe (all of them: only those the series holds are drawn). */
  setGaps(gaps: readonly GapRun[]): void {
    this.gaps = gaps;
    this.key = '';
    this.update();
  }

  windowChanged(store: BarStore | null, window: SeriesWindow | null): void {
    this.store = store;
    this.window = window;
    this.key = '';
    this.update();
  }

  synced(store: BarStore, window: SeriesWindow | null): void {
    this.store = store;
    this.window = window;
    this.update();
  }

  attached(p: SeriesAttachedParameter<Time>): void {
    this.chart = p.chart;
    this.requestUpdate = p.requestUpdate;
    p.chart.subscribeCrosshairMove(this.onCrosshair);
  }

  detached(): void {
    this.chart?.unsubscribeCrosshairMove(this.onCrosshair);
    this.chart = null;
    this.requestUpdate = null;
  }

  paneViews(): readonly IPrimitivePaneView[] {
    return this.views;
  }

  /** For the chart's stats (ChartFollower.debugStats): the gaps known and those drawn. */
  debugStats(): { gapsKnown: number; gaps: DrawnGap[] } {
    const ts = this.chart?.timeScale() ?? null;
    const w = this.window;
    const xOfRow = (r: number) => (ts && w ? logicalX(ts, Math.floor(r / w.stride) - bucketBase(w)) : null);
    return {
      gapsKnown: this.gaps.length,
      gaps: this.markers.map((m, i) => ({
        start: m.start,
        end: m.end,
        bars: m.bars,
        gaps: m.gaps,
        reasons: m.reasons,
        label: gapLabel(m),
        before: m.before,
        after: m.after,
        beforeTime: this.times[i]!.before,
        afterTime: this.times[i]!.after,
        from: m.from,
        to: m.to,
        x0: ts ? logicalX(ts, m.from) : null,
        x1: ts ? logicalX(ts, m.to) : null,
        beforeX: xOfRow(m.before),
        afterX: xOfRow(m.after),
        hovered: i === this.hoveredIndex,
      })),
    };
  }

  destroy(): void {
    this.list.remove();
  }

  /** Works the markers out again when the held rows (or the gaps) changed since the last time. */
  private update(): void {
    const s = this.store;
    const w = this.window;
    const key = s && w ? `${s.generation}:${s.lo}:${s.hi}:${w.from}:${w.to}:${w.stride}` : '-';
    if (key === this.key) return;
    this.key = key;
    const had = this.markers.length;
    this.markers = s ? gapMarkers(s, w, this.gaps) : [];
    this.times = this.markers.map((m) => ({ before: s!.time(m.before), after: s!.time(m.after) }));
    this.hoveredIndex = this.hitIndex();
    this.writeList();
    // A full chart update: only when there is something to draw or to take away (the held rows change on every
    // new bar, and the candles repaint then anyway).
    if (had > 0 || this.markers.length > 0) this.requestUpdate?.();
  }

  private writeList(): void {
    const items = this.markers.map((m, i) => ({
      start: String(m.start),
      end: String(m.end),
      bars: String(m.bars),
      gaps: String(m.gaps),
      beforeTime: String(this.times[i]!.before),
      afterTime: String(this.times[i]!.after),
      text: `${gapLabel(m)}: ${m.reasons.join('; ')}`,
    }));
    const key = JSON.stringify(items);
    if (key === this.listKey) return;
    this.listKey = key;
    this.list.replaceChildren(
      ...items.map(({ text, ...data }) => {
        const li = document.createElement('li');
        li.dataset.testid = 'chart-gap';
        Object.assign(li.dataset, data);
        li.textContent = text;
        return li;
      }),
    );
  }

  private readonly onCrosshair = (p: MouseEventParams<Time>): void => {
    this.pointerX = p.point ? p.point.x : null;
    const i = this.hitIndex();
    if (i === this.hoveredIndex) return;
    this.hoveredIndex = i;
    this.requestUpdate?.();
  };

  /** The marker nearest the pointer within HOVER_PX, or -1. */
  private hitIndex(): number {
    const ts = this.chart?.timeScale();
    const px = this.pointerX;
    if (!ts || px === null) return -1;
    let best = -1;
    let bestD = HOVER_PX;
    this.markers.forEach((m, i) => {
      const x0 = logicalX(ts, m.from);
      const x1 = logicalX(ts, m.to);
      if (x0 === null || x1 === null) return;
      const d = px < x0 ? x0 - px : px > x1 ? px - x1 : 0;
      if (d <= bestD) {
        best = i;
        bestD = d;
      }
    });
    return best;
  }

  private draw(target: Target): void {
    const ts = this.chart?.timeScale();
    if (!ts || this.markers.length === 0) return;
    target.useMediaCoordinateSpace(({ context: ctx, mediaSize }) => {
      const { width, height } = mediaSize;
      const placed: { m: GapMarker; i: number; x0: number; x1: number }[] = [];
      this.markers.forEach((m, i) => {
        const x0 = logicalX(ts, m.from);
        const x1 = logicalX(ts, m.to);
        if (x0 !== null && x1 !== null && x1 >= -1 && x0 <= width + 1) placed.push({ m, i, x0, x1 });
      });
      if (placed.length === 0) return;
      ctx.save();
      ctx.strokeStyle = COLOR;
      ctx.lineWidth = 1;
      ctx.setLineDash([4, 3]);
      for (const { x0, x1 } of placed) {
        if (x1 - x0 >= 2) {
          ctx.fillStyle = SPAN_FILL;
          ctx.fillRect(x0, 0, x1 - x0, height);
        }
        for (const x of x1 - x0 >= 2 ? [x0, x1] : [(x0 + x1) / 2]) {
          const cx = Math.round(x) + 0.5;
          ctx.beginPath();
          ctx.moveTo(cx, 0);
          ctx.lineTo(cx, height);
          ctx.stroke();
        }
      }
      ctx.setLineDash([]);
      ctx.font = FONT;
      ctx.textBaseline = 'middle';
      // Left to right, each label only where it clears the one before; the hovered one always, on top.
      let labelEnd = -Infinity;
      let reasonEnd = -Infinity;
      const hovered = placed.find((p) => p.i === this.hoveredIndex);
      placed.forEach((p, k) => {
        if (p === hovered) return;
        const next = placed[k + 1]?.x0 ?? width;
        const box = labelBox(ctx, gapLabel(p.m), p.x0, p.x1, width);
        if (box.x < labelEnd + PAD) return;
        drawBox(ctx, gapLabel(p.m), box.x, TOP, box.w);
        labelEnd = box.x + box.w;
        // The reason too, where it fits before the next marker.
        const reason = reasonText(p.m);
        const rw = ctx.measureText(reason).width + 2 * PAD;
        if (box.x >= p.x1 && box.x + rw <= next - PAD && box.x >= reasonEnd + PAD) {
          drawBox(ctx, reason, box.x, TOP + ROW_H + 2, rw);
          reasonEnd = box.x + rw;
        }
      });
      if (hovered) {
        const label = gapLabel(hovered.m);
        const box = labelBox(ctx, label, hovered.x0, hovered.x1, width);
        drawBox(ctx, label, box.x, TOP, box.w);
        const reason = reasonText(hovered.m);
        const rw = ctx.measureText(reason).width + 2 * PAD;
        drawBox(ctx, reason, Math.max(2, Math.min(box.x, width - rw - 2)), TOP + ROW_H + 2, rw);
      }
      ctx.restore();
    });
  }
}

function reasonText(m: GapMarker): string {
  return m.reasons.join('; ');
}

/** Where a marker's label goes: right of it, or left of it at the pane's right edge. */
function labelBox(ctx: CanvasRenderingContext2D, text: string, x0: number, x1: number, width: number): { x: number; w: number } {
  const w = ctx.measureText(text).width + 2 * PAD;
  const right = x1 + PAD;
  return { x: right + w <= width ? right : Math.max(0, x0 - PAD - w), w };
}

function drawBox(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, w: number): void {
  ctx.fillStyle = LABEL_BG;
  ctx.fillRect(x, y, w, ROW_H);
  ctx.strokeStyle = COLOR;
  ctx.strokeRect(Math.round(x) + 0.5, Math.round(y) + 0.5, Math.round(w) - 1, ROW_H - 1);
  ctx.fillStyle = COLOR;
  ctx.fillText(text, x + PAD, y + ROW_H / 2 + 0.5);
}

/** x of a fractional logical position: interpolated between the whole positions either side. */
function logicalX(ts: ITimeScaleApi<Time>, l: number): number | null {
  const i = Math.floor(l);
  const a = ts.logicalToCoordinate(i as Logical);
  if (a === null || l === i) return a;
  const b = ts.logicalToCoordinate((i + 1) as Logical);
  return b === null ? null : a + (l - i) * (b - a);
}
