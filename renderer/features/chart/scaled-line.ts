import {
  customSeriesDefaultOptions,
  type AutoscaleInfo,
  type CustomData,
  type CustomSeriesOptions,
  type CustomSeriesPricePlotValues,
  type CustomSeriesWhitespaceData,
  type ICustomSeriesPaneRenderer,
  type ICustomSeriesPaneView,
  type ISeriesPrimitive,
  type ISeriesPrimitiveAxisView,
  type PaneRendererCustomData,
  type PriceToCoordinateConverter,
  type Time,
} from 'lightweight-charts';

/** A point of a scaled line: the raw value (an overlay's own close); the line draws it times its factor. */
export interface RawPoint extends CustomData<Time> {
  value: number;
}

export interface ScaledLineOptions extends CustomSeriesOptions {
  lineColor: string;
  lineWidth: number;
}

type DrawTarget = Parameters<ICustomSeriesPaneRenderer['draw']>[0];

/**
 * A line series (lightweight-charts custom series) holding raw values and drawing them times `factor`. Re-anchoring
 * an overlay on the log-returns scale moves every point of it; here that is a new factor and a redraw, where a
 * built-in line would need its whole data set again on every frame of a pan. Autoscale sees the scaled values
 * through autoscaleInfo; the last value label is drawn by labelPrimitive (the built-in one would read the raw value).
 */
export class ScaledLineView implements ICustomSeriesPaneView<Time, RawPoint, ScaledLineOptions>, ICustomSeriesPaneRenderer {
  factor = 1;
  private data: PaneRendererCustomData<Time, RawPoint> | null = null;
  private options: ScaledLineOptions | null = null;

  renderer(): ICustomSeriesPaneRenderer {
    return this;
  }

  update(data: PaneRendererCustomData<Time, RawPoint>, options: ScaledLineOptions): void {
    this.data = data;
    this.options = options;
  }

  priceValueBuilder(p: RawPoint): CustomSeriesPricePlotValues {
    return [p.value];
  }

  isWhitespace(d: RawPoint | CustomSeriesWhitespaceData<Time>): d is CustomSeriesWhitespaceData<Time> {
    return !Number.isFinite((d as Partial<RawPoint>).value);
  }

  defaultOptions(): ScaledLineOptions {
    return { ...customSeriesDefaultOptions, lineColor: '#f0b90b', lineWidth: 2 };
  }

  /** The series' own autoscale range (of raw values) in drawn units. */
  readonly autoscale = (base: () => AutoscaleInfo | null): AutoscaleInfo | null => {
    const r = base();
    if (!r?.priceRange) return r;
    return { ...r, priceRange: { minValue: r.priceRange.minValue * this.factor, maxValue: r.priceRange.maxValue * this.factor } };
  };

  draw(target: DrawTarget, toY: PriceToCoordinateConverter): void {
    const d = this.data;
    const o = this.options;
    if (!d?.visibleRange || !o || d.bars.length === 0) return;
    // One point past each edge, so the line runs out of the pane instead of stopping short of it.
    const from = Math.max(0, d.visibleRange.from - 1);
    const to = Math.min(d.bars.length, d.visibleRange.to + 1);
    const f = this.factor;
    target.useBitmapCoordinateSpace(({ context: ctx, horizontalPixelRatio: hr, verticalPixelRatio: vr }) => {
      ctx.beginPath();
      let pen = false;
      for (let i = from; i < to; i++) {
        const bar = d.bars[i]!;
        const v = bar.originalData.value;
        const y = Number.isFinite(v) ? toY(v * f) : null;
        if (y === null) {
          pen = false;
          continue;
        }
        if (pen) ctx.lineTo(bar.x * hr, y * vr);
        else ctx.moveTo(bar.x * hr, y * vr);
        pen = true;
      }
      ctx.lineWidth = o.lineWidth * vr;
      ctx.lineJoin = 'round';
      ctx.strokeStyle = o.lineColor;
      ctx.stroke();
    });
  }
}

/** The line's last value label on the price axis: `<name> <axis text of the drawn value>`, in the line's colour. */
export function labelPrimitive(
  name: string,
  color: string,
  last: () => number | null,
  toY: (p: number) => number | null,
  format: (p: number) => string,
): ISeriesPrimitive<Time> {
  const view: ISeriesPrimitiveAxisView = {
    coordinate: () => {
      const v = last();
      return v === null ? -1 : (toY(v) ?? -1);
    },
    text: () => {
      const v = last();
      return v === null ? '' : `${name} ${format(v)}`;
    },
    textColor: () => '#0b0e13',
    backColor: () => color,
    visible: () => last() !== null,
  };
  return { priceAxisViews: () => [view] };
}
