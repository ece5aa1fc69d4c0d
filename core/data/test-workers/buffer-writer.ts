import { parentPort, workerData } from 'node:worker_threads';
import { OhlcBuffer, allocRows } from '../ohlc-buffer.js';

/**
 * Hammers a shared buffer for the torn-row test: every row it writes satisfies high = open + 1,
 * low = open - 1, close = open, volume = 2 * open, so a reader seeing a mix of two writes notices.
 */
const { sab, ctrl, readers } = workerData as { sab: SharedArrayBuffer; ctrl: SharedArrayBuffer; readers: number };
const done = new Int32Array(ctrl);
const buf = OhlcBuffer.attach(sab);
const c = buf.cols;
let v = 1;
const setRow = (i: number, value: number) => {
  c.open[i] = value;
  c.high[i] = value + 1;
  c.low[i] = value - 1;
  c.close[i] = value;
  c.volume[i] = value * 2;
};

// Keeps writing until every reader has finished, so reads and writes overlap for the whole test.
for (let n = 0; Atomics.load(done, 0) < readers; n++) {
  buf.beginWrite();
  if (n % 50 === 0 && buf.roomAbove > 0) {
    const t = buf.cols.time[buf.last - 1]! + 1;
    v++;
    buf.appendRow(t, v, v + 1, v - 1, v, v * 2);
  } else {
    // Rewrite the two mutable rows column by column: a reader racing this must retry, never mix.
    for (let i = Math.max(buf.first, buf.last - 2); i < buf.last; i++) setRow(i, ++v);
  }
  buf.endWrite();
  if (n % 500 === 0 && buf.roomBelow >= 10) {
    const rows = allocRows(10);
    const t0 = buf.cols.time[buf.first]! - 10;
    for (let k = 0; k < 10; k++) {
      const value = -(n + k + 1);
      rows.time[k] = t0 + k;
      rows.open[k] = value;
      rows.high[k] = value + 1;
      rows.low[k] = value - 1;
      rows.close[k] = value;
      rows.volume[k] = value * 2;
    }
    buf.prepend(rows, 0, 10);
  }
}
parentPort!.postMessage('done');
