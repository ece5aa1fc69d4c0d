/**
 * Indicators as the textbooks write them (plain loops over plain arrays, nothing shared with the kernels), the
 * reference that unit and e2e tests check the incremental maths against.
 */

/** Mean of close[end - period + 1 ..= end]. */
export function smaAt(close: readonly number[], end: number, period: number): number {
  let s = 0;
  for (let i = end - period + 1; i <= end; i++) s += close[i]!;
  return s / period;
}

/**
 * Wilder's RSI of every bar (NaN before bar `period`), seeded with the mean gain and loss of the first `period`
 * changes; flat is 50, no losses 100, no gains 0.
 */
export function wilderRsi(close: readonly number[], period: number): number[] {
  const out: number[] = [NaN];
  let ag = 0;
  let al = 0;
  for (let i = 1; i < close.length; i++) {
    const d = close[i]! - close[i - 1]!;
    const g = Math.max(d, 0);
    const l = Math.max(-d, 0);
    if (i <= period) {
      ag += g / period;
      al += l / period;
    } else {
      ag = (ag * (period - 1) + g) / period;
      al = (al * (period - 1) + l) / period;
    }
    out.push(i < period ? NaN : al === 0 ? (ag === 0 ? 50 : 100) : ag === 0 ? 0 : 100 - 100 / (1 + ag / al));
  }
  return out;
}
