import type { HistoryGap } from '../../core/protocol/messages.js';
import type { BarStore } from './bar-store.js';
import { bucketBase, type SeriesWindow } from './windowing.js';

/** What the chart needs of a recorded gap (core/protocol HistoryGap): its run [start, end) in epoch s. */
export type GapRun = Pick<HistoryGap, 'start' | 'end' | 'bars' | 'reason'>;

/** What the mapping reads of a store: rows are time-ordered, so a gap falls between two of them. */
export type TimeIndex = Pick<BarStore, 'lo' | 'hi' | 'indexAtOrBefore'>;

/**
 * A gap where the series draws it. The chart's time axis has no whitespace for missing bars, so a hole between two
 * candles is a line between them (`from === to`). Zoomed out into buckets (lib/windowing.ts), a gap inside a bucket
 * sits on that bucket's centre and one between buckets on their boundary. A recorded gap the store holds bars inside
 * (its repair failed, the bars stayed) is the span [from, to] over those bars.
 */
export interface GapMarker {
  /** Series logical positions (candle k at k, the boundary of k and k + 1 at k + 0.5). */
  from: number;
  to: number;
  /** Store rows of the last bar before the (first) gap and the first bar after the (last) gap. */
  before: number;
  after: number;
  /** The run, epoch s: first gap's start, last gap's end (exclusive). */
  start: number;
  end: number;
  bars: number;
  /** Gaps merged into this marker: zoomed out, several can share one bucket. */
  gaps: number;
  reasons: string[];
}

/**
 * The store rows either side of a gap: the newest row before `start` and the oldest at or after `end`. Null unless the
 * store holds both, so a gap at either end of what is held (older rows not paged in yet, the newest bar not there
 * yet) is not drawn against the wrong bar. Bar times are whole seconds.
 */
export function gapRows(store: TimeIndex, gap: Pick<GapRun, 'start' | 'end'>): { before: number; after: number } | null {
  const before = store.indexAtOrBefore(gap.start - 1);
  if (before < store.lo) return null;
  const after = store.indexAtOrBefore(gap.end - 1) + 1;
  if (after >= store.hi) return null;
  return { before, after };
}

/**
 * Series logical position of the boundary between store rows r and r + 1 in window `w`: between their candles, or
 * the centre of the one bucket holding both.
 */
export function boundaryLogical(w: SeriesWindow, r: number): number {
  const b0 = Math.floor(r / w.stride);
  const b1 = Math.floor((r + 1) / w.stride);
  const base = bucketBase(w);
  return b0 === b1 ? b0 - base : b0 - base + 0.5;
}

/**
 * The markers to draw for `gaps` over the rows the series holds (`window`, null: nothing held), left to right. A gap
 * is drawn when the window holds the bars on both sides of it; one with bars inside it is also drawn where the window
 * holds some of those, clipped to the window. Markers that land on the same spot (zoomed out) are merged.
 */
export function gapMarkers(store: TimeIndex, window: SeriesWindow | null, gaps: readonly GapRun[]): GapMarker[] {
  if (!window || window.to <= window.from || gaps.length === 0) return [];
  const out: GapMarker[] = [];
  for (const g of [...gaps].sort((a, b) => a.start - b.start)) {
    const rows = gapRows(store, g);
    if (!rows) continue;
    const { before, after } = rows;
    const whole = before >= window.from && after < window.to;
    // A row just outside the window stands for the window's edge.
    const lo = Math.max(before, window.from - 1);
    const hi = Math.min(after, window.to);
    // Partly held: drawn only over held bars inside the gap (there are none between two adjacent rows).
    if (!whole && hi - lo <= 1) continue;
    const m: GapMarker = {
      from: boundaryLogical(window, lo),
      to: boundaryLogical(window, hi - 1),
      before,
      after,
      start: g.start,
      end: g.end,
      bars: g.bars,
      gaps: 1,
      reasons: [g.reason],
    };
    const prev = out[out.length - 1];
    if (prev && m.from <= prev.to) merge(prev, m);
    else out.push(m);
  }
  return out;
}

function merge(into: GapMarker, m: GapMarker): void {
  into.to = Math.max(into.to, m.to);
  into.after = Math.max(into.after, m.after);
  into.end = Math.max(into.end, m.end);
  into.bars += m.bars;
  into.gaps += m.gaps;
  for (const r of m.reasons) if (!into.reasons.includes(r)) into.reasons.push(r);
}

/** The marker's short label: "gap 42 bars", or "3 gaps · 120 bars" for merged ones. */
export function gapLabel(m: Pick<GapMarker, 'bars' | 'gaps'>): string {
  const bars = `${m.bars} bar${m.bars === 1 ? '' : 's'}`;
  return m.gaps === 1 ? `gap ${bars}` : `${m.gaps} gaps · ${bars}`;
}
