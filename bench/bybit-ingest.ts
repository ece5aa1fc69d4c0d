import { runIngestWorker } from './lib/run-ingest-worker.js';
import type { BybitIngestConfig } from './bybit-ingest.worker.js';

/**
 * bybit.ingest: recorded Bybit publicTrade frames (arrays of 1-4 trades, as the venue batches them) through the
 * Bybit frame parser (one-pass scanner, validation, trade-id dedupe) -> Feed.ingest (1 s + 60 s buffers) -> packTicks ->
 * postMessage, in one worker thread as datad runs it (DESIGN.md §7: >= 1,000,000 trade messages/s).
 */
const cfg: BybitIngestConfig = { rate: 20_000, spanMs: 15_000, batchFrames: 100, runs: 5 };

await runIngestWorker(import.meta.url, 'bybit-ingest.worker', cfg, 'bench.bybit');
