import { spawnWorker } from '../../core/util/spawn-worker.js';
import { emit, log, type Figure } from './report.js';

/**
 * Runs an ingest benchmark's worker (one thread, as a datad worker) and relays what it says: figures to stdout,
 * notes to stderr, packed tick batches counted as the host side would receive them.
 */
export async function runIngestWorker(callerUrl: string, baseName: string, workerData: unknown, name: string): Promise<void> {
  const worker = spawnWorker(callerUrl, baseName, { workerData, name });
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
    worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${name} worker exited with ${code}`))));
  });
  log(`host side received ${batches} packed batches (${packedTicks} ticks)`);
  await worker.terminate();
}
