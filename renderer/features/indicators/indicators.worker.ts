/**
 * The indicator worker (bundled as dist/renderer/indicators.worker.js, started by indicator-hub.ts): owns the bars and
 * indicator state of every chart pane that shows indicators, and posts back only the values that changed. Messages
 * that arrive together (a burst of history pages, several ticks) are computed once, in the task after them.
 */
import { IndicatorEngine, transferables } from './indicator-engine.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';

interface WorkerScope {
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
  postMessage(msg: FromWorker, transfer?: Transferable[]): void;
}

const scope = self as unknown as WorkerScope;
const engine = new IndicatorEngine();
let scheduled = false;

function run(): void {
  scheduled = false;
  try {
    for (const msg of engine.flush()) scope.postMessage(msg, transferables(msg));
  } catch (e) {
    scope.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
}

scope.onmessage = (e) => {
  try {
    engine.handle(e.data);
  } catch (err) {
    scope.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
    return;
  }
  if (!scheduled && engine.pending) {
    scheduled = true;
    setTimeout(run, 0);
  }
};
