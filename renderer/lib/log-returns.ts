/**
 * The log-returns scale of a chart with overlays. Every series is drawn on a logarithmic price scale in the main
 * series' units: an overlay's closes are multiplied by `factor` so that it passes through the main close at the
 * reference bar (the first visible one). On a log scale that multiplication is only a vertical shift, so equal
 * distances are equal log returns for every series, and the axis reads ln(p / base) as a percentage.
 */

/** 100·ln(p / base) as the axis shows it: "+1.23%", "-0.40%"; '' when either is not a positive number. */
export function logReturnText(p: number, base: number | null): string {
  if (base === null || !(base > 0) || !(p > 0)) return '';
  const pct = 100 * Math.log(p / base);
  // -0.004 would print as "-0.00%": the reference bar itself must read 0.
  const shown = Math.abs(pct) < 0.005 ? 0 : pct;
  return `${shown > 0 ? '+' : ''}${shown.toFixed(2)}%`;
}

/**
 * The multiplier putting an overlay in the main series' units: its close at the reference time lands on the main
 * close there. `ovAtRef` is the overlay's close at or before the reference time; an overlay whose history starts
 * after it is anchored at its own first bar instead (`ovFirst`, against `mainAtOvFirst`, the main close then).
 * Null when no positive pair of prices exists (nothing sensible to draw).
 */
export function overlayFactor(mainAtRef: number, ovAtRef: number | null, ovFirst: number, mainAtOvFirst: number | null): number | null {
  const [m, o] = ovAtRef !== null ? [mainAtRef, ovAtRef] : [mainAtOvFirst, ovFirst];
  if (m === null || !(m > 0) || !(o > 0)) return null;
  return m / o;
}
