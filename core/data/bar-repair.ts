import type { BarRows } from '../protocol/frames.js';
import { OhlcBuffer } from './ohlc-buffer.js';

const COLS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;

/**
 * A copy of `buf` with `patch` (ascending rows from the venue's history) merged in by time: a patch row replaces
 * the row of the same time, or is inserted in time order. Returns null when nothing changes, so readers are only
 * reset when bars really were repaired. The copy keeps the same history room below and live room above.
 *
 * Rows of a published buffer are immutable for readers, so a repair is a new buffer (readers re-snapshot), like
 * compaction, never an in-place rewrite.
 */
export function mergeRepair(buf: OhlcBuffer, patch: BarRows & { length: number }): OhlcBuffer | null {
  const c = buf.cols;
  const n = buf.length;
  const out: Record<(typeof COLS)[number], number[]> = { time: [], open: [], high: [], low: [], close: [], volume: [] };
  let changed = false;
  let i = buf.first;
  const end = buf.last;
  let j = 0;
  const push = (src: BarRows, k: number) => {
    for (const col of COLS) out[col].push(src[col][k]!);
  };
  while (i < end || j < patch.length) {
    const ti = i < end ? c.time[i]! : Infinity;
    const tj = j < patch.length ? patch.time[j]! : Infinity;
    if (ti < tj) push(c, i++);
    else if (tj < ti) {
      push(patch, j++);
      changed = true;
    } else {
      if (COLS.some((col) => c[col][i] !== patch[col][j])) changed = true;
      push(patch, j++);
      i++;
    }
  }
  if (!changed) return null;
  // Merging only ever adds rows; the new buffer grows by them so history room below and live room above stay.
  const added = out.time.length - n;
  const next = OhlcBuffer.create({ capacity: buf.capacity + added, origin: buf.last + added, timeframe: buf.timeframe });
  const rows = Object.fromEntries(COLS.map((col) => [col, Float64Array.from(out[col])])) as unknown as BarRows;
  next.prepend(rows, 0, out.time.length);
  return next;
}
