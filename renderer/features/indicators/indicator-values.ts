/** Spare slots kept above the newest value so live appends rarely reallocate. */
const SLACK = 1024;

/**
 * One indicator's values on the page, addressed like the BarStore rows they belong to (absolute host indices):
 * what the worker sent, full arrays taken as they are (transferred, no copy) and partial ones written in place.
 * NaN where there is no value (warm-up, or rows the worker has not answered for yet).
 */
export class IndicatorValues {
  private data: Float64Array = new Float64Array(0);
  private base = 0;
  private _lo = 0;
  private _hi = 0;

  get lo(): number {
    return this._lo;
  }
  get hi(): number {
    return this._hi;
  }

  /** The value at absolute row i, NaN when there is none. */
  get(i: number): number {
    return i >= this._lo && i < this._hi ? this.data[i - this.base]! : NaN;
  }

  /** Replaces everything with `values` at rows [from, from + values.length) (keeps the array, no copy). */
  replace(from: number, values: Float64Array): void {
    this.data = values;
    this.base = from;
    this._lo = from;
    this._hi = from + values.length;
  }

  /** Writes `values` at rows from `from` on; rows before the held ones are dropped, a gap after them is NaN. */
  write(from: number, values: Float64Array): void {
    let src = values;
    if (from < this._lo) {
      src = values.subarray(Math.min(values.length, this._lo - from));
      from = this._lo;
    }
    if (src.length === 0) return;
    const end = from + src.length;
    if (this._hi === this._lo) {
      this.data = new Float64Array(src.length + SLACK);
      this.base = from;
      this._lo = from;
      this._hi = from;
    }
    if (end - this.base > this.data.length) {
      const next = new Float64Array(end - this.base + Math.max(SLACK, (this._hi - this._lo) >> 2));
      next.set(this.data.subarray(0, this._hi - this.base));
      this.data = next;
    }
    if (from > this._hi) this.data.fill(NaN, this._hi - this.base, from - this.base);
    this.data.set(src, from - this.base);
    if (end > this._hi) this._hi = end;
  }

  clear(): void {
    this.data = new Float64Array(0);
    this._lo = this._hi = this.base = 0;
  }
}
