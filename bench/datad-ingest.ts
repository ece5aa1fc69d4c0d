import { runIngestWorker } from './lib/run-ingest-worker.js';
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

await runIngestWorker(import.meta.url, 'datad-ingest.worker', cfg, 'bench.datad');
