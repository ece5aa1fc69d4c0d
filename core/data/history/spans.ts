/**
 * What the history store knows it holds, per series (fqme, timeframe): a set of covered spans [lo, hi) in epoch
 * seconds. Inside a span every bar the venue has is stored (bars it did not have are recorded gaps), so a read
 * inside a span needs no venue request; outside every span only the venue can say. `bottom` marks a span whose lo
 * is where the venue's history starts (it answered nothing older). Pure: the store keeps these in memory and
 * mirrors them into its `spans` table.
 */
export interface Span {
  lo: number;
  hi: number;
  bottom: boolean;
}

/** Adds [lo, hi) to a sorted, disjoint span list; touching or overlapping spans merge. Returns a new list. */
export function addSpan(spans: readonly Span[], add: Span): Span[] {
  if (!(add.hi > add.lo) && !add.bottom) return spans.slice();
  let { lo, hi, bottom } = add;
  const out: Span[] = [];
  for (const s of spans) {
    if (s.hi < lo || s.lo > hi) {
      out.push(s);
      continue;
    }
    // Overlapping or touching: the union. Bottom stays with whichever span reaches lowest.
    if (s.lo < lo) bottom = s.bottom;
    else if (s.lo === lo) bottom = bottom || s.bottom;
    lo = Math.min(lo, s.lo);
    hi = Math.max(hi, s.hi);
  }
  out.push({ lo, hi, bottom });
  return out.sort((a, b) => a.lo - b.lo);
}

/** The span holding time `t` (lo <= t < hi), or the span ending exactly at t when `endInclusive`. */
export function spanAt(spans: readonly Span[], t: number, endInclusive = false): Span | undefined {
  return spans.find((s) => s.lo <= t && (t < s.hi || (endInclusive && t === s.hi)));
}

/** The newest span ending at or below `t`: where a backfill below `t` would continue after a hole. */
export function spanBelow(spans: readonly Span[], t: number): Span | undefined {
  let best: Span | undefined;
  for (const s of spans) if (s.hi <= t && (!best || s.hi > best.hi)) best = s;
  return best;
}

export function newestSpan(spans: readonly Span[]): Span | undefined {
  return spans.length ? spans[spans.length - 1] : undefined;
}

/** A run of missing buckets [start, end) (epoch s). */
export interface Run {
  start: number;
  end: number;
}

/**
 * Missing bucket runs in [lo, hi) of a timeframe where the venue prints every bucket (untraded ones flat, volume 0):
 * `times` ascending bar times. Leading buckets before the first bar count as missing too: the caller decides
 * whether [lo, first) is a hole (inside a span) or the listing's start (a bottom).
 */
export function missingRuns(times: ArrayLike<number>, n: number, lo: number, hi: number, tf: number): Run[] {
  const runs: Run[] = [];
  let expect = Math.ceil(lo / tf) * tf;
  for (let i = 0; i < n; i++) {
    const t = times[i]!;
    if (t < expect) continue;
    if (t >= hi) break;
    if (t > expect) runs.push({ start: expect, end: t });
    expect = t + tf;
  }
  if (expect < hi) runs.push({ start: expect, end: Math.ceil(hi / tf) * tf });
  return runs;
}

/** Bucket count of a run. */
export function runBars(r: Run, tf: number): number {
  return Math.round((r.end - r.start) / tf);
}
