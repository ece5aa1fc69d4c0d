import type { Span } from './bar-store.js';

/**
 * Which rows of the full series a lightweight-charts series should hold. Its per-update cost grows with
 * the series length (charting-oms-electron.md), so it only ever holds the visible bars plus a margin on
 * each side; when the view nears the edge of that window, the window is moved (one setData).
 *
 * Logical ranges here are absolute (buffer indices, fractional, may extend past the data); a chart turns
 * its window-relative logical range into an absolute one by adding the window's `from`.
 */
export interface LogicalSpan {
  from: number;
  to: number;
}

export interface WindowOptions {
  /** Bars kept beyond each side of the visible range. */
  margin: number;
  /** Re-window when the visible range comes this close (in bars) to a window edge that has more data behind it. */
  edge: number;
  /** Bars in the first window (newest ones), before the chart has reported a visible range. */
  initial: number;
}

export const DEFAULT_WINDOW: WindowOptions = { margin: 2000, edge: 500, initial: 2500 };

export function initialWindow(data: Span, opts: WindowOptions = DEFAULT_WINDOW): Span {
  return { from: Math.max(data.from, data.to - opts.initial), to: data.to };
}

/**
 * The window the series should hold next, or null to keep the current one.
 * `visible` is the absolute visible logical range (null before the first paint).
 */
export function planWindow(
  data: Span,
  window: Span | null,
  visible: LogicalSpan | null,
  opts: WindowOptions = DEFAULT_WINDOW,
): Span | null {
  if (data.to <= data.from) return null;
  const disjoint = !window || window.to <= window.from || window.to <= data.from || window.from >= data.to;
  if (disjoint) return initialWindow(data, opts);
  // The held rows may have been trimmed by a store replacement: never keep indices the store lacks.
  const w = { from: Math.max(window.from, data.from), to: Math.min(window.to, data.to) };
  const clipped = w.from !== window.from || w.to !== window.to;
  if (!visible) return clipped ? w : null;

  const vFrom = Math.floor(visible.from);
  const vTo = Math.ceil(visible.to);
  const width = Math.max(1, vTo - vFrom);
  const nearLeft = vFrom - w.from < opts.edge && w.from > data.from;
  const nearRight = w.to - vTo < opts.edge && w.to < data.to;
  // Live appends grow a tail-following window; trim it once it carries far more than the margins.
  const tooLong = w.to - w.from > width + 3 * opts.margin;
  const outOfView = vTo < w.from || vFrom > w.to;
  if (!nearLeft && !nearRight && !tooLong && !outOfView && !clipped) return null;

  const from = clamp(vFrom - opts.margin, data.from, data.to - 1);
  // A view at (or just short of) the newest bar keeps following it: the window must end at the data end.
  const followsTail = vTo >= data.to - opts.edge;
  const to = followsTail ? data.to : clamp(vTo + opts.margin, from + 1, data.to);
  const next = { from, to };
  return next.from === window.from && next.to === window.to ? null : next;
}

/** Moves a window-relative logical range from a window starting at `oldFrom` to one starting at `newFrom`. */
export function rebaseLogical(range: LogicalSpan, oldFrom: number, newFrom: number): LogicalSpan {
  const d = oldFrom - newFrom;
  return { from: range.from + d, to: range.to + d };
}

/**
 * Older rows to ask the host for when the view nears the oldest row held, or null. `first` is the oldest
 * row the host has (its buffer bound); `page` caps one request.
 */
export function historyRequest(
  data: Span,
  first: number,
  visible: LogicalSpan | null,
  page: number,
  opts: WindowOptions = DEFAULT_WINDOW,
): Span | null {
  if (!visible || data.to <= data.from || first >= data.from) return null;
  if (Math.floor(visible.from) - data.from >= opts.margin) return null;
  return { from: Math.max(first, data.from - page), to: data.from };
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
