import { Worker, type WorkerOptions } from 'node:worker_threads';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Starts a worker from a module next to the caller: the bundled `.js` in dist/, or the `.ts` source under
 * tests and tsx, where a tiny loader registers tsx inside the worker first (Node 20 workers do not inherit it).
 */
export function spawnWorker(callerUrl: string, baseName: string, opts: WorkerOptions = {}): Worker {
  if (callerUrl.endsWith('.ts')) {
    const entry = new URL(`./${baseName}.ts`, callerUrl).href;
    // require.resolve would pick tsx's CommonJS build, which cannot find its loader from a worker: take the ESM one.
    const tsxDir = dirname(createRequire(callerUrl).resolve('tsx/package.json'));
    const tsx = pathToFileURL(join(tsxDir, 'dist/esm/api/index.mjs')).href;
    const boot = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(entry)});`;
    return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), opts);
  }
  return new Worker(fileURLToPath(new URL(`./${baseName}.js`, callerUrl)), opts);
}
