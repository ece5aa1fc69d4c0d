import type {
  IChartApiBase,
  IPrimitivePaneRenderer,
  IPrimitivePaneView,
  ISeriesApi,
  ISeriesPrimitive,
  SeriesAttachedParameter,
  SeriesType,
  Time,
} from 'lightweight-charts';
import { ORDER_COLORS } from './order-colors.js';

/** A fill (arrow up for a buy, down for a sell, its tip at the fill price) or a fired alert, at a bar. */
export interface Mark {
  /** The bar's time (epoch s). */
  time: number;
  price: number;
  kind: 'buy' | 'sell' | 'alert';
}

type Target = Parameters<IPrimitivePaneRenderer['draw']>[0];

/**
 * Fill and alert markers drawn by a series primitive. lightweight-charts' own createSeriesMarkers recomputes on
 * every data change with series.data(), a copy of the whole window per live update: this draws from
 * timeToCoordinate/priceToCoordinate at paint time and costs nothing between paints.
 */
export class MarksPrimitive implements ISeriesPrimitive<Time> {
  private marks: readonly Mark[] = [];
  private chart: IChartApiBase<Time> | null = null;
  private series: ISeriesApi<SeriesType, Time> | null = null;
  private requestUpdate: (() => void) | null = null;

  private readonly renderer: IPrimitivePaneRenderer = {
    draw: (target: Target) => {
      const chart = this.chart;
      const series = this.series;
      if (!chart || !series || this.marks.length === 0) return;
      const ts = chart.timeScale();
      target.useMediaCoordinateSpace(({ context: ctx }) => {
        for (const m of this.marks) {
          const x = ts.timeToCoordinate(m.time as Time);
          const y = series.priceToCoordinate(m.price);
          if (x === null || y === null) continue;
          drawMark(ctx, m.kind, x, y);
        }
      });
    },
  };

  private readonly view: IPrimitivePaneView = {
    zOrder: () => 'top',
    renderer: () => this.renderer,
  };

  attached(p: SeriesAttachedParameter<Time>): void {
    this.chart = p.chart;
    this.series = p.series;
    this.requestUpdate = p.requestUpdate;
  }

  detached(): void {
    this.chart = null;
    this.series = null;
    this.requestUpdate = null;
  }

  paneViews(): readonly IPrimitivePaneView[] {
    return [this.view];
  }

  set(marks: readonly Mark[]): void {
    this.marks = marks;
    this.requestUpdate?.();
  }

  get count(): number {
    return this.marks.length;
  }
}

function drawMark(ctx: CanvasRenderingContext2D, kind: Mark['kind'], x: number, y: number): void {
  const w = 6;
  const h = 9;
  ctx.beginPath();
  if (kind === 'buy') {
    // Tip at the price, pointing up from below.
    ctx.moveTo(x, y);
    ctx.lineTo(x - w, y + h);
    ctx.lineTo(x + w, y + h);
  } else if (kind === 'sell') {
    ctx.moveTo(x, y);
    ctx.lineTo(x - w, y - h);
    ctx.lineTo(x + w, y - h);
  } else {
    ctx.moveTo(x, y - w);
    ctx.lineTo(x + w, y);
    ctx.lineTo(x, y + w);
    ctx.lineTo(x - w, y);
  }
  ctx.closePath();
  ctx.fillStyle = ORDER_COLORS[kind];
  ctx.strokeStyle = 'rgba(0, 0, 0, 0.6)';
  ctx.lineWidth = 1;
  ctx.fill();
  ctx.stroke();
}
