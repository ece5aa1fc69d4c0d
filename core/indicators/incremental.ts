import type { BarCols, Kernel } from './kernels.js';

/** States kept for the newest bars: an update may rewrite this many closed bars and still stay incremental. */
export const REWIND_BARS = 16;

/**
 * One indicator over one growing bar series, kept current incrementally. Bars [0, len) are the series; the newest is
 * the forming bar, every older one is closed and committed into the kernel state. The states of the last
 * REWIND_BARS committed positions are kept in a ring, so a host that rewrites its last rows (it resends the
 * mutable tail) rewinds a few steps instead of starting over; anything older, or a series that changed from the
 * front (history prepended), needs `batch`.
 *
 * The values are not kept here (the worker posts them and the chart keeps them): `batch` writes all of them into
 * an array, `update` leaves the changed ones in `changed` (from `changedFrom`).
 */
export class IncrementalIndicator {
  /** S(n): the state after the committed bars [0, n). */
  private readonly state: Float64Array;
  /** S(m) at slot (m % REWIND_BARS) * stateSize for m in [oldest, n]. */
  private readonly ring: Float64Array;
  private n = 0;
  private oldest = 0;
  private len = 0;
  private out = new Float64Array(REWIND_BARS);
  /** Index of the first value in `changed` after an update. */
  changedFrom = 0;
  /** How many values `changed` holds after an update. */
  changedCount = 0;

  constructor(readonly kernel: Kernel) {
    this.state = new Float64Array(kernel.stateSize);
    this.ring = new Float64Array(kernel.stateSize * REWIND_BARS);
    this.restart();
  }

  /** Bars seen (the series length at the last batch or update). */
  get length(): number {
    return this.len;
  }

  /** Values of the last update: indices [changedFrom, changedFrom + changedCount). A view, valid until the next call. */
  get changed(): Float64Array {
    return this.out.subarray(0, this.changedCount);
  }

  /** Computes every value of bars [0, len) into `out` (out.length >= len) and keeps the state for updates. */
  batch(b: BarCols, len: number, out: Float64Array): void {
    const k = this.kernel;
    const s = this.state;
    this.restart();
    // Only the states of the newest bars can ever be rewound to: the older ones are not saved.
    const bulk = Math.max(0, len - 1 - REWIND_BARS);
    k.run(s, b, 0, bulk, out, 0);
    for (let i = bulk; i < len - 1; i++) {
      out[i] = k.value(s, b, i);
      k.commit(s, b, i);
      this.save(i + 1);
    }
    this.n = Math.max(0, len - 1);
    this.oldest = Math.max(0, this.n - REWIND_BARS + 1);
    if (len > 0) out[len - 1] = k.value(s, b, len - 1);
    this.len = len;
  }

  /**
   * The series is now bars [0, len), where bars before `from` are as they were (rows appended, or rows from `from`
   * on rewritten). Recomputes the values from the first one that can have changed, leaving them in `changed`.
   * Returns false, changing nothing, when that would rewind further than the kept states: call `batch`.
   */
  update(b: BarCols, len: number, from: number): boolean {
    const k = this.kernel;
    const s = this.state;
    // The forming bar was never committed: its value is recomputed even when only newer rows arrived.
    const start = Math.min(from, this.n, Math.max(0, len - 1));
    if (start < this.oldest) return false;
    if (start < this.n) this.load(start);
    const count = Math.max(0, len - start);
    if (this.out.length < count) this.out = new Float64Array(Math.max(count, this.out.length * 2));
    const out = this.out;
    for (let i = start; i < len - 1; i++) {
      out[i - start] = k.value(s, b, i);
      k.commit(s, b, i);
      this.save(i + 1);
    }
    this.n = Math.max(start, len - 1);
    this.oldest = Math.max(this.oldest, this.n - REWIND_BARS + 1);
    if (len > start) out[len - 1 - start] = k.value(s, b, len - 1);
    this.len = len;
    this.changedFrom = start;
    this.changedCount = count;
    return true;
  }

  private restart(): void {
    this.kernel.reset(this.state);
    this.n = 0;
    this.oldest = 0;
    this.len = 0;
    this.save(0);
  }

  private save(m: number): void {
    const size = this.state.length;
    if (size > 0) this.ring.set(this.state, (m % REWIND_BARS) * size);
  }

  private load(m: number): void {
    const size = this.state.length;
    if (size > 0) this.state.set(this.ring.subarray((m % REWIND_BARS) * size, (m % REWIND_BARS + 1) * size));
    this.n = m;
  }
}
