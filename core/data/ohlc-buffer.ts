import { COLUMNS, type BarRows, type Column } from '../protocol/frames.js';

/**
 * A columnar OHLCV buffer on a SharedArrayBuffer: written only by its datad worker, read from any thread.
 *
 * Index space [0, capacity): history is prepended below `first`, live rows appended at `last`, so rows
 * [first, last) are valid. Only the newest MUTABLE_TAIL rows ever change after they are published (trades
 * update the last row, a late trade the one before); older rows are immutable, so readers copy them freely
 * and read only the tail under a seqlock (`seq` odd while a write is in progress).
 */
export const MUTABLE_TAIL = 2;

const H_FIRST = 0;
const H_LAST = 1;
const H_SEQ = 2;
const H_CAPACITY = 3;
const H_TIMEFRAME = 4;
const HEADER_INTS = 16;
const HEADER_BYTES = HEADER_INTS * 4;
/** Float64 slot (in the header's tail) holding the epoch ms of the newest write, for latency tracking. */
const H_WRITTEN_AT_F64 = 6;

export interface BufferLayout {
  capacity: number;
  /** Index where the first live row goes: room below it is for history. */
  origin: number;
  timeframe: number;
}

export class OhlcBuffer {
  readonly header: Int32Array;
  private readonly headerF64: Float64Array;
  readonly cols: BarRows;
  readonly capacity: number;
  readonly timeframe: number;

  private constructor(readonly sab: SharedArrayBuffer) {
    this.header = new Int32Array(sab, 0, HEADER_INTS);
    this.headerF64 = new Float64Array(sab, 0, HEADER_INTS / 2);
    this.capacity = this.header[H_CAPACITY]!;
    this.timeframe = this.header[H_TIMEFRAME]!;
    const cols = {} as BarRows;
    COLUMNS.forEach((c, i) => {
      cols[c] = new Float64Array(sab, HEADER_BYTES + i * this.capacity * 8, this.capacity);
    });
    this.cols = cols;
  }

  static create(layout: BufferLayout): OhlcBuffer {
    const { capacity, origin, timeframe } = layout;
    if (!(origin >= 0 && origin <= capacity)) throw new RangeError(`origin ${origin} outside capacity ${capacity}`);
    const sab = new SharedArrayBuffer(HEADER_BYTES + capacity * 8 * COLUMNS.length);
    const h = new Int32Array(sab, 0, HEADER_INTS);
    h[H_FIRST] = origin;
    h[H_LAST] = origin;
    h[H_CAPACITY] = capacity;
    h[H_TIMEFRAME] = timeframe;
    return new OhlcBuffer(sab);
  }

  /** A view on a buffer created on another thread. */
  static attach(sab: SharedArrayBuffer): OhlcBuffer {
    return new OhlcBuffer(sab);
  }

  get first(): number {
    return Atomics.load(this.header, H_FIRST);
  }
  get last(): number {
    return Atomics.load(this.header, H_LAST);
  }
  get length(): number {
    return this.last - this.first;
  }
  /** Even when quiescent; bumps by 2 per write, so it doubles as a change counter. */
  get seq(): number {
    return Atomics.load(this.header, H_SEQ);
  }
  get roomBelow(): number {
    return this.first;
  }
  get roomAbove(): number {
    return this.capacity - this.last;
  }

  // ---- writer side (the owning datad worker only) ----

  beginWrite(): void {
    Atomics.add(this.header, H_SEQ, 1);
  }
  endWrite(writtenAt = performance.timeOrigin + performance.now()): void {
    this.headerF64[H_WRITTEN_AT_F64] = writtenAt;
    Atomics.add(this.header, H_SEQ, 1);
  }

  /** Epoch ms of the newest completed write (0 before any). */
  get writtenAt(): number {
    return this.headerF64[H_WRITTEN_AT_F64]!;
  }

  /** Time of the newest row, or NaN when empty. */
  lastTime(): number {
    const last = this.last;
    return last > this.first ? this.cols.time[last - 1]! : NaN;
  }

  /** Appends a row; the caller holds the write section. Returns false when the buffer is full. */
  appendRow(time: number, open: number, high: number, low: number, close: number, volume: number): boolean {
    const i = Atomics.load(this.header, H_LAST);
    if (i >= this.capacity) return false;
    const c = this.cols;
    c.time[i] = time;
    c.open[i] = open;
    c.high[i] = high;
    c.low[i] = low;
    c.close[i] = close;
    c.volume[i] = volume;
    Atomics.store(this.header, H_LAST, i + 1);
    return true;
  }

  /**
   * Prepends `count` rows taken from `rows[offset..offset+count)` (ascending time) below `first`.
   * Rows are written before `first` moves, so a reader never sees a half-written history row.
   */
  prepend(rows: BarRows, offset: number, count: number): number {
    const first = Atomics.load(this.header, H_FIRST);
    const n = Math.min(count, first);
    const src = offset + (count - n);
    for (const col of COLUMNS) this.cols[col].set(rows[col].subarray(src, src + n), first - n);
    Atomics.store(this.header, H_FIRST, first - n);
    return n;
  }

  // ---- reader side (any thread) ----

  /**
   * Copies rows [from, to) into `out` at `outOffset`, consistent even while the writer is active:
   * immutable rows are copied once, the mutable tail is re-read until no write overlapped it.
   */
  readRows(from: number, to: number, out: BarRows, outOffset = 0): void {
    const tailStart = Math.max(from, Math.min(to, this.last - MUTABLE_TAIL));
    if (tailStart > from) this.copy(from, tailStart, out, outOffset);
    if (to <= tailStart) return;
    for (;;) {
      const s1 = Atomics.load(this.header, H_SEQ);
      if ((s1 & 1) === 0) {
        this.copy(tailStart, to, out, outOffset + (tailStart - from));
        if (Atomics.load(this.header, H_SEQ) === s1) return;
      }
    }
  }

  private copy(from: number, to: number, out: BarRows, at: number): void {
    for (const col of COLUMNS) out[col].set(this.cols[col].subarray(from, to), at);
  }
}

export function allocRows(count: number): BarRows {
  const rows = {} as BarRows;
  for (const c of COLUMNS) rows[c] = new Float64Array(count);
  return rows;
}

export function rowAt(rows: BarRows, i: number): Record<Column, number> {
  return {
    time: rows.time[i]!,
    open: rows.open[i]!,
    high: rows.high[i]!,
    low: rows.low[i]!,
    close: rows.close[i]!,
    volume: rows.volume[i]!,
  };
}
