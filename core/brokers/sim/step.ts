import { toScaled } from '../../protocol/decimal.js';

/**
 * Converts whole steps of a decimal tick to the nearest double: n * units / 10^scale, so 3 steps of 0.0001
 * is 0.0003 and not 0.00030000000000000003.
 */
export function stepToNumber(tick: string): (n: number) => number {
  const { units, scale } = toScaled(tick);
  const mul = Number(units);
  const div = 10 ** scale;
  return (n) => (n * mul) / div;
}
