/**
 * Shared by the browser bench pages: a chart set up like the renderer's (candles + volume on one pane,
 * dark theme, fixed size), row -> lightweight-charts object conversion, and clocks.
 * The pages are .mts so the repo's Node-only tsconfig (no DOM) does not pick them up; bench/pages/tsconfig.json
 * type-checks them with the DOM.
 */
import {
  CandlestickSeries,
  ColorType,
  createChart,
  HistogramSeries,
  type CandlestickData,
  type HistogramData,
  type IChartApi,
  type ISeriesApi,
  type UTCTimestamp,
} from 'lightweight-charts';
import type { BarRows } from '../../core/protocol/frames.js';

export const UP = '#22ab94';
export const DOWN = '#f23645';
const UP_VOL = 'rgba(34, 171, 148, 0.45)';
const DOWN_VOL = 'rgba(242, 54, 69, 0.45)';

export interface BenchChart {
  chart: IChartApi;
  candles: ISeriesApi<'Candlestick'>;
  volume: ISeriesApi<'Histogram'>;
}

export function benchChart(container: HTMLElement, timeframe: number): BenchChart {
  const chart = createChart(container, {
    width: container.clientWidth,
    height: container.clientHeight,
    layout: { background: { type: ColorType.Solid, color: '#0b0e13' }, textColor: '#8790a2', fontSize: 11 },
    grid: { vertLines: { color: '#131821' }, horzLines: { color: '#131821' } },
    rightPriceScale: { scaleMargins: { top: 0.08, bottom: 0.22 } },
    timeScale: { timeVisible: true, secondsVisible: timeframe < 60, rightOffset: 6 },
  });
  const candles = chart.addSeries(CandlestickSeries, {
    upColor: UP,
    downColor: DOWN,
    wickUpColor: UP,
    wickDownColor: DOWN,
    borderVisible: false,
  });
  const volume = chart.addSeries(HistogramSeries, {
    priceScaleId: '',
    priceFormat: { type: 'volume' },
    lastValueVisible: false,
    priceLineVisible: false,
  });
  chart.priceScale('').applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
  return { chart, candles, volume };
}

export function candleAt(r: BarRows, k: number): CandlestickData {
  return { time: r.time[k]! as UTCTimestamp, open: r.open[k]!, high: r.high[k]!, low: r.low[k]!, close: r.close[k]! };
}

export function volumeAt(r: BarRows, k: number): HistogramData {
  return { time: r.time[k]! as UTCTimestamp, value: r.volume[k]!, color: r.close[k]! >= r.open[k]! ? UP_VOL : DOWN_VOL };
}

/** Rows [from, to) of columnar views as the two series' data arrays (what a setData needs). */
export function seriesData(r: BarRows, from: number, to: number): { candles: CandlestickData[]; volumes: HistogramData[] } {
  const n = to - from;
  const candles = new Array<CandlestickData>(n);
  const volumes = new Array<HistogramData>(n);
  for (let k = 0; k < n; k++) {
    candles[k] = candleAt(r, from + k);
    volumes[k] = volumeAt(r, from + k);
  }
  return { candles, volumes };
}

/** Epoch ms with sub-ms precision: the clock datad stamps `ingestedAt` with. */
export function nowEpoch(): number {
  return performance.timeOrigin + performance.now();
}

export const nextFrame = (): Promise<number> => new Promise((r) => requestAnimationFrame(r));

/** Share of sampled pixels that differ from the background: > 0 means the chart drew something. */
export function drawnShare(chart: IChartApi): number {
  const c = chart.takeScreenshot();
  const ctx = c.getContext('2d');
  if (!ctx || c.width === 0) return 0;
  const d = ctx.getImageData(0, 0, c.width, c.height).data;
  let differ = 0;
  let n = 0;
  for (let i = 0; i < d.length; i += 4 * 97) {
    n++;
    if (Math.abs(d[i]! - 0x0b) + Math.abs(d[i + 1]! - 0x0e) + Math.abs(d[i + 2]! - 0x13) > 24) differ++;
  }
  return differ / n;
}
