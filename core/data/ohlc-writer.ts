import type { OhlcBuffer } from './ohlc-buffer.js';

/**
 * Folds trades into a buffer's rows (datad worker side). A bar with zero volume is untraded: its first
 * trade sets O=H=L=C, so every bar's OHLCV is exactly what its own trades say (recomputable from them).
 * Callers wrap a batch of calls in buf.beginWrite()/endWrite().
 */
export interface WriteStats {
  trades: number;
  /** Trades older than the mutable tail: not folded in, counted so nothing disappears silently. */
  late: number;
  /** Trades that found the buffer full. */
  overflow: number;
}

export function newWriteStats(): WriteStats {
  return { trades: 0, late: 0, overflow: 0 };
}

/** Appends flat rows (O=H=L=C=previous close, volume 0) until the newest row is `bucket`. */
export function stepTo(buf: OhlcBuffer, bucket: number): boolean {
  const tf = buf.timeframe;
  const last = buf.last;
  if (last === buf.first) return true;
  const c = buf.cols;
  const lastT = c.time[last - 1]!;
  if (bucket <= lastT) return true;
  const close = c.close[last - 1]!;
  // A very long gap (a laptop asleep for days) is filled only up to what the buffer can hold.
  for (let t = lastT + tf; t <= bucket; t += tf) {
    if (!buf.appendRow(t, close, close, close, close, 0)) return false;
  }
  return true;
}

export function applyTrade(buf: OhlcBuffer, timeSec: number, price: number, size: number, stats: WriteStats): void {
  const tf = buf.timeframe;
  const bucket = Math.floor(timeSec / tf) * tf;
  const c = buf.cols;
  let last = buf.last;
  if (last === buf.first) {
    if (!buf.appendRow(bucket, price, price, price, price, size)) stats.overflow++;
    else stats.trades++;
    return;
  }
  let i = last - 1;
  const lastT = c.time[i]!;
  if (bucket > lastT) {
    if (!stepTo(buf, bucket)) {
      stats.overflow++;
      return;
    }
    last = buf.last;
    i = last - 1;
  } else if (bucket < lastT) {
    if (i - 1 >= buf.first && c.time[i - 1] === bucket) i -= 1;
    else {
      stats.late++;
      return;
    }
  }
  if (c.volume[i] === 0) {
    c.open[i] = price;
    c.high[i] = price;
    c.low[i] = price;
  } else {
    if (price > c.high[i]!) c.high[i] = price;
    if (price < c.low[i]!) c.low[i] = price;
  }
  c.close[i] = price;
  c.volume[i] = c.volume[i]! + size;
  stats.trades++;
}
