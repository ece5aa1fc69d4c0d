import { mix32, strHash } from './prng.js';
import { stepToNumber } from './step.js';
import type { SimMarket } from './markets.js';

/**
 * A market's price as a pure function of time: log-price is a sum of value-noise octaves with periods of
 * 1 s to ~194 days and amplitudes growing with sqrt(period), which walks like a Brownian path. Because it is
 * a function of time (not of a running state), history and the live stream come from the same curve: no seam
 * where they join, and any interval replays identically for the same seed.
 */
const OCTAVES = 25;

export class PricePath {
  private readonly amps: Float64Array;
  private readonly periods: Float64Array;
  private readonly octaveKeys: Uint32Array;
  // Lattice values of each octave's current cell: long octaves change cell rarely, so sampling a run of
  // nearby times (history bars, a second's trades) mostly skips the hashing.
  private readonly cellIndex: Float64Array;
  private readonly cellA: Float64Array;
  private readonly cellB: Float64Array;
  private readonly logBase: number;
  readonly tick: number;
  readonly ticksToPrice: (ticks: number) => number;

  constructor(
    readonly market: SimMarket,
    readonly seed: number,
  ) {
    const key = strHash(market.fqme);
    this.octaveKeys = new Uint32Array(OCTAVES);
    this.cellIndex = new Float64Array(OCTAVES).fill(NaN);
    this.cellA = new Float64Array(OCTAVES);
    this.cellB = new Float64Array(OCTAVES);
    this.logBase = Math.log(market.base);
    this.periods = new Float64Array(OCTAVES);
    this.amps = new Float64Array(OCTAVES);
    for (let o = 0; o < OCTAVES; o++) {
      this.octaveKeys[o] = mix32(mix32(mix32(seed ^ 0x9e3779b9) ^ key) ^ o);
      this.periods[o] = 2 ** o;
      // Value noise has variance ~1/4 per octave; sqrt(2 * P/day) makes a day's drift ~dailyVol.
      this.amps[o] = market.dailyVol * Math.sqrt((2 * 2 ** o) / 86_400);
    }
    this.tick = Number(market.priceTick);
    this.ticksToPrice = stepToNumber(market.priceTick);
  }

  /** Log-price at `t` seconds, ignoring octaves shorter than `minPeriod` seconds. */
  logPrice(t: number, minPeriod = 0): number {
    let sum = 0;
    for (let o = 0; o < OCTAVES; o++) {
      const p = this.periods[o]!;
      if (p < minPeriod) continue;
      const x = t / p;
      const i = Math.floor(x);
      const f = x - i;
      if (this.cellIndex[o] !== i) this.enterCell(o, i);
      const a = this.cellA[o]!;
      const b = this.cellB[o]!;
      const s = f * f * (3 - 2 * f);
      sum += this.amps[o]! * (a + (b - a) * s);
    }
    return this.logBase + sum;
  }

  private lattice(o: number, i: number): number {
    const k = this.octaveKeys[o]!;
    const h = mix32(k ^ mix32((i >>> 0) ^ mix32(Math.floor(i / 4294967296))));
    return (h / 4294967296) * 2 - 1;
  }

  private enterCell(o: number, i: number): void {
    const prev = this.cellIndex[o]!;
    this.cellA[o] = prev === i - 1 ? this.cellB[o]! : this.lattice(o, i);
    this.cellB[o] = this.lattice(o, i + 1);
    this.cellIndex[o] = i;
  }

  /** Price in whole ticks (never below one tick). */
  priceTicks(t: number, minPeriod = 0, jitterTicks = 0): number {
    const p = Math.exp(this.logPrice(t, minPeriod));
    return Math.max(1, Math.round(p / this.tick) + jitterTicks);
  }
}
