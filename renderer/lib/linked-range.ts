import type { BarStore } from './bar-store.js';

/**
 * Where a time falls on another chart's logical axis: the fast (1 s) chart's visible time range drawn as a
 * band on the slow (1 m) chart. Returns an absolute fractional logical index (bar centre = whole number),
 * so a time 30 s into a minute bar lands half way across it. Times past the newest bar extrapolate by the
 * timeframe; times before the oldest clamp to its left edge.
 */
export function timeToLogical(store: BarStore, timeframe: number, t: number): number | null {
  if (store.length === 0) return null;
  const i = store.indexAtOrBefore(t);
  if (i < 0) return store.lo - 0.5;
  return i + (t - store.time(i)) / timeframe - 0.5;
}

/** The fast chart's visible time span [from, to], from its absolute visible logical range. */
export function visibleTimeSpan(
  store: BarStore,
  timeframe: number,
  logical: { from: number; to: number },
): { from: number; to: number } | null {
  if (store.length === 0) return null;
  // Bar i covers time [time(i), time(i) + timeframe) and logical [i - 0.5, i + 0.5).
  const timeAt = (l: number): number => {
    const i = Math.min(store.hi - 1, Math.max(store.lo, Math.floor(l + 0.5)));
    return store.time(i) + (l - (i - 0.5)) * timeframe;
  };
  // Only the bars really drawn count: the empty right offset after the newest bar is not "visible data".
  const from = Math.max(logical.from, store.lo - 0.5);
  const to = Math.min(logical.to, store.hi - 0.5);
  if (to <= from) return null;
  return { from: timeAt(from), to: timeAt(to) };
}
