import { COLUMNS, type BarRows, type Column } from '../../core/protocol/frames.js';

/** A half-open span of absolute buffer indices: [from, to). */
export interface Span {
  from: number;
  to: number;
}

export interface Bar {
  index: number;
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** Minimum spare rows kept above the newest row so live appends rarely reallocate. */
const TAIL_SLACK = 1024;

/**
 * The renderer's copy of one host OHLCV buffer: columnar Float64Arrays addressed by the host's absolute
 * buffer index, so frames (snapshot, live update, history range) are written with `set` and never turned
 * into per-bar objects. Valid rows are always one contiguous span [lo, hi): lightweight-charts needs a
 * gap-free, time-ordered window, and chart logical indices map to absolute ones by a constant offset.
 *
 * Growth is by 25% plus the request rather than doubling: two columnar copies of a million bars (host +
 * renderer) must stay under 100 bytes per bar.
 */
export class BarStore {
  private cols: BarRows;
  /** Absolute index held in slot 0 of the backing arrays. */
  private base = 0;
  private capacity = 0;
  private _lo = 0;
  private _hi = 0;
  /** Bumped by clear(): lets a chart tell "same store, new content" from "more rows". */
  private _generation = 0;

  constructor() {
    this.cols = alloc(0);
  }

  get lo(): number {
    return this._lo;
  }
  get hi(): number {
    return this._hi;
  }
  get length(): number {
    return this._hi - this._lo;
  }
  get generation(): number {
    return this._generation;
  }
  /** Backing-array bytes: what the memory benchmark counts. */
  get allocatedBytes(): number {
    return this.capacity * 8 * COLUMNS.length;
  }

  clear(): void {
    this._lo = 0;
    this._hi = 0;
    this._generation++;
  }

  /**
   * Writes rows [0, count) of `rows` at absolute index `start`. Rows overlapping existing ones overwrite
   * them (updates are idempotent: the host re-sends its mutable tail). A write that would leave a hole
   * next to the held span replaces the held span instead, since a chart can only show contiguous rows.
   * Returns the span written.
   */
  set(start: number, rows: BarRows, count: number = rows.time.length): Span {
    const end = start + count;
    if (count <= 0) return { from: start, to: start };
    if (this.length === 0 || end < this._lo || start > this._hi) {
      if (this.length !== 0) this._generation++;
      this._lo = start;
      this._hi = start;
    }
    this.ensure(start, end);
    const at = start - this.base;
    for (const c of COLUMNS) {
      const src = rows[c];
      this.cols[c].set(src.length === count ? src : src.subarray(0, count), at);
    }
    if (start < this._lo) this._lo = start;
    if (end > this._hi) this._hi = end;
    return { from: start, to: end };
  }

  /**
   * Pre-sizes the backing arrays to hold [from, to) without further reallocation: when a chart knows it
   * will page in a million rows, growing by 25% per page would copy the store a dozen times.
   */
  reserve(from: number, to: number): void {
    if (this.length === 0 || (from >= this.base && to <= this.base + this.capacity)) return;
    const newBase = Math.min(from, this.base);
    const newEnd = Math.max(to, this.base + this.capacity);
    this.realloc(newBase, newEnd);
  }

  /** Column value of absolute row `i` (caller keeps i in [lo, hi)). */
  get(col: Column, i: number): number {
    return this.cols[col][i - this.base]!;
  }

  time(i: number): number {
    return this.cols.time[i - this.base]!;
  }

  bar(i: number): Bar | null {
    if (i < this._lo || i >= this._hi) return null;
    const k = i - this.base;
    const c = this.cols;
    return { index: i, time: c.time[k]!, open: c.open[k]!, high: c.high[k]!, low: c.low[k]!, close: c.close[k]!, volume: c.volume[k]! };
  }

  /**
   * Rows [from, to) (clipped to the held rows) as one bar: first open, highest high, lowest low, last close, summed
   * volume, the first row's time and the last row's index. Null when the span holds no row.
   */
  aggregate(span: Span): Bar | null {
    const from = Math.max(span.from, this._lo);
    const to = Math.min(span.to, this._hi);
    if (to <= from) return null;
    if (to - from === 1) return this.bar(from);
    const c = this.cols;
    const a = from - this.base;
    const b = to - this.base;
    let high = -Infinity;
    let low = Infinity;
    let volume = 0;
    for (let k = a; k < b; k++) {
      if (c.high[k]! > high) high = c.high[k]!;
      if (c.low[k]! < low) low = c.low[k]!;
      volume += c.volume[k]!;
    }
    return { index: to - 1, time: c.time[a]!, open: c.open[a]!, high, low, close: c.close[b - 1]!, volume };
  }

  lastBar(): Bar | null {
    return this.bar(this._hi - 1);
  }

  /** Views (no copy) of the rows in `span` clipped to the held rows. */
  view(span: Span): BarRows & { from: number; to: number } {
    const from = Math.max(span.from, this._lo);
    const to = Math.max(from, Math.min(span.to, this._hi));
    const out = { from, to } as BarRows & { from: number; to: number };
    for (const c of COLUMNS) out[c] = this.cols[c].subarray(from - this.base, to - this.base);
    return out;
  }

  /** Absolute index of the newest row whose time is <= t, or -1 when t precedes every row. */
  indexAtOrBefore(t: number): number {
    let lo = this._lo;
    let hi = this._hi - 1;
    if (hi < lo || this.time(lo) > t) return -1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.time(mid) <= t) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private ensure(start: number, end: number): void {
    const capEnd = this.base + this.capacity;
    if (start >= this.base && end <= capEnd) return;
    const below = start < this.base ? this.base - start + Math.ceil(this.length * 0.25) : 0;
    const above = end > capEnd ? end - capEnd + Math.max(TAIL_SLACK, Math.ceil(this.length * 0.25)) : 0;
    // An empty store starts over at the write instead of stretching its old allocation to reach it.
    const fresh = this.length === 0;
    let newBase = fresh ? start : this.base - below;
    // Host indices are never negative: do not reserve room that can never be used.
    if (start >= 0 && newBase < 0) newBase = 0;
    const newEnd = fresh ? end + TAIL_SLACK : capEnd + above;
    this.realloc(newBase, newEnd);
  }

  private realloc(newBase: number, newEnd: number): void {
    const next = alloc(newEnd - newBase);
    if (this.length > 0) {
      for (const c of COLUMNS) {
        next[c].set(this.cols[c].subarray(this._lo - this.base, this._hi - this.base), this._lo - newBase);
      }
    }
    this.cols = next;
    this.base = newBase;
    this.capacity = newEnd - newBase;
  }
}

function alloc(n: number): BarRows {
  const out = {} as BarRows;
  for (const c of COLUMNS) out[c] = new Float64Array(n);
  return out;
}

/** Smallest span covering both (either may be null). */
export function unionSpan(a: Span | null, b: Span | null): Span | null {
  if (!a) return b;
  if (!b) return a;
  return { from: Math.min(a.from, b.from), to: Math.max(a.to, b.to) };
}
