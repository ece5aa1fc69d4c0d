import type { BarRows } from '../../protocol/frames.js';
import { allocRows } from '../../data/ohlc-buffer.js';
import { unit, strHash } from './prng.js';
import type { PricePath } from './price-path.js';
import { stepToNumber } from './step.js';

/** The sim market opened on this date: history reaches back from now to here (about 4 years in 2026). */
export const SIM_LISTING_TIME = Date.UTC(2023, 0, 1) / 1000;
const SAMPLES = [0, 0.25, 0.5, 0.75, 0.999];

/**
 * Bars of `timeframe` seconds ending before `endTime`, sampled off the same price curve the live trades
 * follow, every octave included, so the newest history bar closes where the first live trade prints.
 */
export function historyBars(
  path: PricePath,
  rate: number,
  timeframe: number,
  endTime: number,
  count: number,
): BarRows & { length: number } {
  const end = Math.floor(endTime / timeframe) * timeframe;
  const start = Math.max(Math.ceil(SIM_LISTING_TIME / timeframe) * timeframe, end - count * timeframe);
  const n = Math.max(0, (end - start) / timeframe);
  const rows = allocRows(n) as BarRows & { length: number };
  rows.length = n;
  const key = strHash(path.market.fqme) ^ 0x27d4eb2f;
  const sizeStep = Number(path.market.sizeTick);
  const stepsToSize = stepToNumber(path.market.sizeTick);
  const meanVolume = rate * timeframe * path.market.meanSize;
  for (let k = 0; k < n; k++) {
    const t = start + k * timeframe;
    let hi = -Infinity;
    let lo = Infinity;
    let open = 0;
    let close = 0;
    for (let j = 0; j < SAMPLES.length; j++) {
      const px = path.priceTicks(t + SAMPLES[j]! * timeframe);
      if (j === 0) open = px;
      close = px;
      if (px > hi) hi = px;
      if (px < lo) lo = px;
    }
    rows.time[k] = t;
    rows.open[k] = path.ticksToPrice(open);
    rows.high[k] = path.ticksToPrice(hi);
    rows.low[k] = path.ticksToPrice(lo);
    rows.close[k] = path.ticksToPrice(close);
    const v = meanVolume * (0.5 + unit(path.seed, key, timeframe, t));
    rows.volume[k] = stepsToSize(Math.max(1, Math.round(v / sizeStep)));
  }
  return rows;
}
