import { runIngestWorker } from './lib/run-ingest-worker.js';
import type { KrakenIngestConfig } from './kraken-ingest.worker.js';

/**
 * kraken.ingest: Kraken WS v2 frames through the Kraken stream's frame handler -> Feed.ingest (1 s + 60 s buffers)
 * -> packTicks -> postMessage, in one worker thread as datad runs it (DESIGN.md §7: >= 1,000,000 trade messages/s).
 */
const cfg: KrakenIngestConfig = { rate: 20_000, spanMs: 15_000, batchFrames: 100, runs: 5 };

await runIngestWorker(import.meta.url, 'kraken-ingest.worker', cfg, 'bench.kraken');
