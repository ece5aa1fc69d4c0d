import { Worker, type WorkerOptions } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * A worker thread running a .ts module. Node 20 does not apply `--import tsx` hooks inside workers, so the
 * worker registers tsx's ESM API itself before importing the entry. (The ESM build, not the CJS one that a
 * `require.resolve('tsx/esm/api')` finds: that one fails to register from inside an ESM data: module.)
 */
export function tsWorker(entry: URL, opts: WorkerOptions = {}): Worker {
  const pkg = createRequire(import.meta.url).resolve('tsx/package.json');
  const api = pathToFileURL(join(dirname(pkg), 'dist/esm/api/index.mjs')).href;
  const boot = `import { register } from ${JSON.stringify(api)}; register(); await import(${JSON.stringify(entry.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), opts);
}
