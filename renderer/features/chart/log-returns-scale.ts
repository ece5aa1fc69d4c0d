import type { BarStore } from '../../lib/bar-store.js';
import { logReturnText } from '../../lib/log-returns.js';
import type { OverlaySeries } from './overlay-series.js';

/**
 * A chart's log-returns scale while it has overlays (lib/log-returns.ts): the axis reads 100·ln(p / base) % where
 * base is the close of the reference candle (the first visible one), and every overlay passes through that close.
 */
export class LogReturnsScale {
  private base: number | null = null;
  private settle: ReturnType<typeof setTimeout> | null = null;
  /** Axis and label text of a price in the chart's units. */
  readonly format = (p: number): string => logReturnText(p, this.base);

  /**
   * `onBaseChange`: the axis must build its labels again. lightweight-charts keeps them while its price range stays
   * the same, and making it rebuild them is a full chart update (a few ms), too much for every frame of a pan. While
   * the view moves the range changes nearly every frame and the labels with it, so the call waits until the base
   * has held for `settleMs`.
   */
  constructor(
    private readonly onBaseChange: () => void,
    private readonly settleMs = 150,
  ) {}

  get value(): number | null {
    return this.base;
  }

  /** Anchors the scale and `overlays` at row `ref` of `main`; an unchanged anchor costs two binary searches each. */
  anchor(main: BarStore, ref: number, overlays: readonly OverlaySeries[]): void {
    const base = main.get('close', ref);
    if (base !== this.base) {
      this.base = base;
      if (this.settle !== null) clearTimeout(this.settle);
      this.settle = setTimeout(() => {
        this.settle = null;
        this.onBaseChange();
      }, this.settleMs);
    }
    for (const o of overlays) o.rebase(main, ref);
  }

  /** No base (no overlays left, or the chart is gone): nothing pending. */
  reset(): void {
    this.base = null;
    if (this.settle !== null) clearTimeout(this.settle);
    this.settle = null;
  }
}

/** Widest text of a log return on the axis: "-100.00%". */
const RETURN_CHARS = 8;
/** A glyph of the chart's 11 px monospace font, rounded up, and the label's padding either side. */
const CHAR_PX = 7;
const LABEL_PAD_PX = 16;

/**
 * The price axis width in log-returns mode, from the longest overlay label ("<pair> -12.34%"). The labels' widths
 * change with every value; an axis sized to its current widest label changes width, and lightweight-charts lays the
 * whole chart out again, on nearly every frame of a pan (measured: 37 fps where the same pan without it runs at 56).
 */
export function logReturnsAxisWidth(fqmes: readonly string[]): number {
  const name = Math.max(0, ...fqmes.map((f) => f.split('.')[0]!.length));
  return (name + 1 + RETURN_CHARS) * CHAR_PX + LABEL_PAD_PX;
}
