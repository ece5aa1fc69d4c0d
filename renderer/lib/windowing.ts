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

// ---- wide zoom-outs: the window downsampled into buckets of `stride` rows (M4 for candles) ----

/**
 * Rows [from, to) of the store held by the series in buckets of `stride` rows. Bucket b covers rows
 * [b * stride, (b + 1) * stride) (aligned on absolute indices, so panning never shifts a bucket's edges) clipped to
 * the held rows, and is drawn as one candle: open of its first row, max high, min low, close of its last row, summed
 * volume (M4: first, max, min, last per pixel column). Series logical index k is bucket floor(from / stride) + k.
 * With stride 1 this is the plain window (series logical k = store row from + k).
 */
export interface SeriesWindow extends Span {
  stride: number;
}

export interface StrideOptions {
  /** Downsample once the visible range holds more rows than this many per pixel column. */
  rowsPerPx: number;
  /** Keep a stride while its buckets stay above this share of the pixel columns (hysteresis against flip-flopping). */
  minBucketsPerPx: number;
}

export const DEFAULT_STRIDE: StrideOptions = { rowsPerPx: 1, minBucketsPerPx: 0.25 };

/**
 * Rows per bucket for `visibleRows` rows across `widthPx` pixels: 1 while every row gets a pixel column, else a
 * power of two leaving at most one bucket per column (the current one is kept while it stays within
 * [minBucketsPerPx, 1] buckets per column).
 */
export function planStride(visibleRows: number, widthPx: number, current: number, opts: StrideOptions = DEFAULT_STRIDE): number {
  const px = Math.max(1, widthPx);
  const perPx = visibleRows / px;
  if (perPx <= opts.rowsPerPx) return current > 1 && perPx / current >= opts.minBucketsPerPx ? current : 1;
  const buckets = perPx / current;
  if (current > 1 && buckets <= 1 && buckets >= opts.minBucketsPerPx) return current;
  return 2 ** Math.ceil(Math.log2(perPx / opts.rowsPerPx));
}

/** First bucket of a window (series logical 0). */
export function bucketBase(w: SeriesWindow): number {
  return Math.floor(w.from / w.stride);
}

/** Buckets a window's series holds. */
export function bucketCount(w: SeriesWindow): number {
  return w.to <= w.from ? 0 : Math.ceil(w.to / w.stride) - bucketBase(w);
}

/** Absolute (row) logical position of series logical `l`: a bucket's centre maps to its rows' centre. */
export function toAbs(w: SeriesWindow, l: number): number {
  return (bucketBase(w) + l) * w.stride + (w.stride - 1) / 2;
}

/** Series logical position of absolute (row) logical `abs`; inverse of toAbs. */
export function toLogical(w: SeriesWindow, abs: number): number {
  return (abs - (w.stride - 1) / 2) / w.stride - bucketBase(w);
}

/** The store row a series logical position stands for: the last row of the bucket under it, clipped to the window. */
export function rowAt(w: SeriesWindow, l: number): number {
  const b = bucketBase(w) + Math.round(l);
  return Math.max(w.from, Math.min(w.to - 1, (b + 1) * w.stride - 1));
}

/** The rows of bucket `b` held by the window. */
export function bucketRows(w: SeriesWindow, b: number): Span {
  return { from: Math.max(w.from, b * w.stride), to: Math.min(w.to, (b + 1) * w.stride) };
}

/** The rows of store span `data` in whole buckets of `stride` (the first and last may be partial). */
function toBuckets(s: Span, stride: number): Span {
  return { from: Math.floor(s.from / stride), to: Math.ceil(s.to / stride) };
}

/**
 * planWindow over buckets: the window the series should hold next at `stride` rows per bucket, or null to keep it.
 * `visible` is absolute (rows). The margins and edges of `opts` count buckets, so a zoomed-out series holds about
 * as many rows as a zoomed-in one.
 */
export function planStridedWindow(
  data: Span,
  window: SeriesWindow | null,
  visible: LogicalSpan | null,
  stride: number,
  opts: WindowOptions = DEFAULT_WINDOW,
): SeriesWindow | null {
  if (stride <= 1 && (!window || window.stride === 1)) {
    const next = planWindow(data, window, visible, opts);
    return next ? { ...next, stride: 1 } : null;
  }
  if (data.to <= data.from) return null;
  const same = window !== null && window.stride === stride;
  const bData = toBuckets(data, stride);
  const bVis = visible ? { from: visible.from / stride, to: visible.to / stride } : null;
  // Another stride: the window is laid out afresh around the view (or on the newest rows before one is known).
  const next = same ? planWindow(bData, toBuckets(window, stride), bVis, opts) : freshWindow(bData, bVis, opts);
  if (!next) return null;
  const rows = { from: Math.max(data.from, next.from * stride), to: Math.min(data.to, next.to * stride), stride };
  return same && rows.from === window.from && rows.to === window.to ? null : rows;
}

/** A window (in buckets) around the visible buckets with the margins, reaching the data end when the view does. */
function freshWindow(data: Span, visible: LogicalSpan | null, opts: WindowOptions): Span {
  if (!visible) return initialWindow(data, opts);
  const from = clamp(Math.floor(visible.from) - opts.margin, data.from, data.to - 1);
  const vTo = Math.ceil(visible.to);
  const to = vTo >= data.to - opts.edge ? data.to : clamp(vTo + opts.margin, from + 1, data.to);
  return { from, to };
}

/**
 * The rows a series holding `window` must redraw at a sync: the written rows (`dirty`) inside it, plus the rows
 * appended since, which it takes when it held the newest row at the last sync (`heldHi`, then it follows the data
 * up to `dataTo`). `end <= start` means nothing to do.
 */
export function pendingRows(window: Span, heldHi: number, dataTo: number, dirty: Span | null): { start: number; end: number; newTo: number } {
  const newTo = window.to === heldHi ? dataTo : window.to;
  let start = Infinity;
  let end = -Infinity;
  if (dirty) {
    start = Math.max(dirty.from, window.from);
    end = Math.min(dirty.to, newTo);
  }
  if (newTo > window.to) {
    start = Math.min(start, window.to);
    end = Math.max(end, newTo);
  }
  return { start, end, newTo };
}
