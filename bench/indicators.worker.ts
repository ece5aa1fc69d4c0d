/**
 * bench/indicators.ts's worker thread: the renderer's indicator engine behind node:worker_threads, speaking the same
 * messages as renderer/features/indicators/indicators.worker.ts (which runs it behind a DOM Worker).
 */
import { parentPort } from 'node:worker_threads';
import { IndicatorEngine, transferables } from '../renderer/features/indicators/indicator-engine.js';
import type { ToWorker } from '../renderer/features/indicators/worker-protocol.js';

const port = parentPort!;
const engine = new IndicatorEngine();
let scheduled = false;
port.on('message', (msg: ToWorker) => {
  engine.handle(msg);
  if (scheduled || !engine.pending) return;
  scheduled = true;
  setImmediate(() => {
    scheduled = false;
    for (const m of engine.flush()) port.postMessage(m, transferables(m));
  });
});
