import { runIngestWorker } from './lib/run-ingest-worker.js';
import type { BinanceIngestConfig } from './binance-ingest.worker.js';

/**
 * binance.ingest: Binance combined-stream frames through the Binance backend's frame handler (the scanning parser,
 * dedup, quote ticks, batching) -> Feed.ingest (1 s + 60 s buffers) -> packTicks -> postMessage, in one worker
 * thread as datad runs it (DESIGN.md §7: >= 1,000,000 trade messages/s).
 */
const cfg: BinanceIngestConfig = { rate: 20_000, spanMs: 20_000, batchFrames: 100, runs: 5 };

await runIngestWorker(import.meta.url, 'binance-ingest.worker', cfg, 'bench.binance');
