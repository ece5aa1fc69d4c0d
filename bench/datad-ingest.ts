import { spawnWorker } from '../core/util/spawn-worker.js';
import { emit, log, type Figure } from './lib/report.js';
import type { IngestConfig } from './datad-ingest.worker.js';

/**
 * datad.ingest: trade messages per second through parse + normalize + OHLC update in one worker thread
 * (DESIGN.md §7: >= 1,000,000/s). The main thread only receives the packed tick batches, as the host does.
 */
const cfg: IngestConfig = {
  seed: 1,
  fqme: 'xbtusd.spot.sim',
  rate: 20_000,
  spanMs: 34_000,
  batchTrades: 100,
  runs: 5,
};

const worker = spawnWorker(import.meta.url, 'datad-ingest.worker', { workerData: cfg, name: 'bench.datad' });
let batches = 0;
let packedTicks = 0;
await new Promise<void>((resolve, reject) => {
  worker.on('message', (m: { t: string; f?: Figure; line?: string; message?: string; packed?: Float64Array }) => {
    if (m.t === 'quotes') {
      batches++;
      packedTicks += m.packed!.length / 4;
    } else if (m.t === 'figure') emit(m.f!);
    else if (m.t === 'log') log(m.line!);
    else if (m.t === 'done') resolve();
    else if (m.t === 'error') reject(new Error(m.message));
  });
  worker.on('error', reject);
  worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ingest worker exited with ${code}`))));
});
log(`host side received ${batches} packed batches (${packedTicks} ticks)`);
await worker.terminate();
