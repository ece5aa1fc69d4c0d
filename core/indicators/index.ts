/**
 * Indicators: pure, incremental maths over columnar bars (kernels.ts, incremental.ts), the catalogue the UI offers
 * (registry.ts) and the statistics of a selected bar range (stats.ts). A layer of its own (core/indicators): pure
 * like core/protocol (no node:*, no DOM), importable by the renderer and by core, importing nothing but itself.
 */
import { IncrementalIndicator } from './incremental.js';
import type { BarCols, Kernel } from './kernels.js';

export * from './kernels.js';
export * from './incremental.js';
export * from './registry.js';
export * from './stats.js';

/** Every value of `kernel` over bars [0, len), in one pass (what IncrementalIndicator.batch computes). */
export function computeAll(kernel: Kernel, b: BarCols, len: number = b.close.length): Float64Array {
  const out = new Float64Array(len);
  new IncrementalIndicator(kernel).batch(b, len, out);
  return out;
}
