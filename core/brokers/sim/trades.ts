import type { Tick } from '../../protocol/types.js';
import { strHash, unit } from './prng.js';
import type { PricePath } from './price-path.js';
import { stepToNumber } from './step.js';

/**
 * Trades and L1 quotes of one sim market. The trades of second `s` are a pure function of (seed, market, s),
 * so a replay of any interval gives the same ticks, and a datad restart rebuilds the current bar exactly.
 */
const SALT_COUNT = 1;
const SALT_TIME = 2;
const SALT_SIZE = 3;
const SALT_SIDE = 4;
const SALT_QSIZE = 5;

export class TradeGenerator {
  private readonly key: number;
  private readonly sizeStep: number;
  private readonly stepsToSize: (n: number) => number;
  private cachedSecond = NaN;
  private cached: Tick[] = [];

  constructor(
    private readonly path: PricePath,
    /** Mean trades per second. */
    private readonly rate: number,
  ) {
    this.key = strHash(path.market.fqme) ^ 0x5bd1e995;
    this.sizeStep = Number(path.market.sizeTick);
    this.stepsToSize = stepToNumber(path.market.sizeTick);
  }

  /** Every tick with fromMs <= time < toMs, in time order. */
  ticksBetween(fromMs: number, toMs: number, out: Tick[] = []): Tick[] {
    if (toMs <= fromMs) return out;
    const s0 = Math.floor(fromMs / 1000);
    const s1 = Math.floor((toMs - 1) / 1000);
    for (let s = s0; s <= s1; s++) {
      for (const t of this.second(s)) if (t.time >= fromMs && t.time < toMs) out.push(t);
    }
    return out;
  }

  /** Number of trades in second `s`: uniform in [0.5, 1.5) x rate, so the mean is the configured rate. */
  private count(s: number): number {
    const seed = this.path.seed;
    const x = this.rate * (0.5 + unit(seed, this.key, SALT_COUNT, s));
    const n = Math.floor(x);
    return n + (unit(seed, this.key, SALT_COUNT + 100, s) < x - n ? 1 : 0);
  }

  private second(s: number): Tick[] {
    if (s === this.cachedSecond) return this.cached;
    const seed = this.path.seed;
    const n = this.count(s);
    const ticks: Tick[] = [];
    const m = this.path.market;
    const spread = 1 + (unit(seed, this.key, SALT_QSIZE + 100, s) < 0.3 ? 1 : 0);
    for (let j = 0; j < n; j++) {
      const key = s * 65_536 + j;
      const time = s * 1000 + Math.floor(((j + unit(seed, this.key, SALT_TIME, key)) / n) * 1000);
      const buy = unit(seed, this.key, SALT_SIDE, key) < 0.5;
      const px = this.path.priceTicks(time / 1000);
      const rawSize = m.meanSize * -Math.log(1 - unit(seed, this.key, SALT_SIZE, key));
      const size = this.stepsToSize(Math.max(1, Math.round(rawSize / this.sizeStep)));
      const bidTicks = buy ? px - spread : px;
      const askTicks = buy ? px : px + spread;
      const qs = m.meanSize * (2 + 8 * unit(seed, this.key, SALT_QSIZE, key));
      const qsize = this.stepsToSize(Math.max(1, Math.round(qs / this.sizeStep)));
      ticks.push(
        { type: 'trade', price: this.path.ticksToPrice(px), size, time },
        { type: 'bid', price: this.path.ticksToPrice(Math.max(1, bidTicks)), size: qsize, time },
        { type: 'ask', price: this.path.ticksToPrice(askTicks), size: qsize, time },
      );
    }
    this.cachedSecond = s;
    this.cached = ticks;
    return ticks;
  }
}
