import { COLUMNS, type BarRows } from '../../core/protocol/frames.js';

/** Rows for tests: row k has time t0 + k*tf and prices derived from `seed + k`, so every value is checkable. */
export function makeRows(count: number, t0: number, tf: number, seed = 0): BarRows {
  const rows = {} as BarRows;
  for (const c of COLUMNS) rows[c] = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const v = 100 + seed + k;
    rows.time[k] = t0 + k * tf;
    rows.open[k] = v;
    rows.high[k] = v + 2;
    rows.low[k] = v - 2;
    rows.close[k] = v + 1;
    rows.volume[k] = k + 1;
  }
  return rows;
}
