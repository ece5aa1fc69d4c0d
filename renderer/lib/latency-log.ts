/**
 * Tick-to-chart latencies (ms): from a bar update frame arriving in the renderer to the chart having
 * applied it. A plain array so a benchmark can read it with page.evaluate; trimmed in bulk so pushing
 * stays O(1) amortized.
 */
export class LatencyLog {
  readonly values: number[] = [];

  constructor(private readonly keep = 10_000) {}

  push(ms: number): void {
    this.values.push(ms);
    if (this.values.length > this.keep * 2) this.values.splice(0, this.values.length - this.keep);
  }

  clear(): void {
    this.values.length = 0;
  }
}

/** p-th percentile (0..100) by nearest rank, NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}
