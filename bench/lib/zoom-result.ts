/** What the chart page reports of one zoom-out (bench/pages/chart-page.mts -> bench/chart-1m.ts). */
export interface ZoomResult {
  frameMs: number[];
  /** Candles in the series at the widest zoom, and the most it held at any step. */
  finalSeriesRows: number;
  maxSeriesRows: number;
  finalStride: number;
  setDataCalls: number;
  visibleRowsAtEnd: number;
}
