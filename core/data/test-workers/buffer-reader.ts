import { parentPort, workerData } from 'node:worker_threads';
import { OhlcBuffer, allocRows } from '../ohlc-buffer.js';

/** Reads snapshots while the writer runs and counts rows that break the writer's invariant or the time order. */
const { sab, ctrl, snapshots } = workerData as { sab: SharedArrayBuffer; ctrl: SharedArrayBuffer; snapshots: number };
const done = new Int32Array(ctrl);
const buf = OhlcBuffer.attach(sab);
// Start once the writer is well under way, so every snapshot races it.
while (buf.length < 500) Atomics.wait(done, 1, 0, 1);
let torn = 0;
let disorder = 0;
let rowsRead = 0;
const out = allocRows(buf.capacity);
for (let s = 0; s < snapshots; s++) {
  const first = buf.first;
  const last = buf.last;
  const from = s % 2 === 0 ? first : Math.max(first, last - 5);
  buf.readRows(from, last, out, 0);
  const n = last - from;
  rowsRead += n;
  for (let i = 0; i < n; i++) {
    const o = out.open[i]!;
    if (out.high[i] !== o + 1 || out.low[i] !== o - 1 || out.close[i] !== o || out.volume[i] !== o * 2) torn++;
    if (i > 0 && !(out.time[i]! > out.time[i - 1]!)) disorder++;
  }
}
Atomics.add(done, 0, 1);
parentPort!.postMessage({ torn, disorder, rowsRead });
