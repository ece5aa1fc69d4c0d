// Bundles every entry point into dist/: the CLI/host, the datad worker, the Electron main and preload,
// and the renderer. One esbuild pass, so `npm start`, `npm run serve` and the tests all run the same build.
import { build } from 'esbuild';
import { cpSync, mkdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
mkdirSync(join(dist, 'renderer'), { recursive: true });

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: 'linked',
  logLevel: 'warning',
  // DuckDB (history storage) is a native module that loads its platform package at run time: it stays in
  // node_modules (unpacked from the asar by electron-builder.yml), never inside a bundle.
  external: ['electron', 'bufferutil', 'utf-8-validate', '@duckdb/*'],
  // Bundled ESM still meets CommonJS dependencies that call require().
  banner: { js: "import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);" },
};

const jobs = [
  build({ ...node, entryPoints: { cli: 'core/cli/main.ts', 'datad.worker': 'core/data/datad.worker.ts' }, outdir: dist }),
];
if (existsSync(join(root, 'electron/main.ts'))) {
  jobs.push(build({ ...node, entryPoints: { 'electron-main': 'electron/main.ts' }, outdir: dist }));
  jobs.push(
    build({
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      logLevel: 'warning',
      external: ['electron'],
      entryPoints: ['electron/preload.ts'],
      outfile: join(dist, 'preload.cjs'),
    }),
  );
}
if (existsSync(join(root, 'renderer/main.tsx'))) {
  jobs.push(
    build({
      bundle: true,
      platform: 'browser',
      target: 'chrome120',
      format: 'esm',
      sourcemap: 'linked',
      logLevel: 'warning',
      jsx: 'automatic',
      minify: process.env.CANDLEWICK_DEV !== '1',
      define: { 'process.env.NODE_ENV': '"production"' },
      // The indicator worker is loaded from next to app.js (same origin, as the CSP's worker-src 'self' asks).
      entryPoints: { app: 'renderer/main.tsx', 'indicators.worker': 'renderer/features/indicators/indicators.worker.ts' },
      outdir: join(dist, 'renderer'),
      loader: { '.css': 'css' },
    }),
  );
}
await Promise.all(jobs);
for (const f of ['index.html', 'styles.css']) {
  if (existsSync(join(root, 'renderer', f))) cpSync(join(root, 'renderer', f), join(dist, 'renderer', f));
}
