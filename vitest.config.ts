// Vitest: unit tests next to the code (core/, renderer/, electron/) and integration tests (test/integration/, real
// hosts on free ports). Playwright owns e2e/. The JSON report feeds scripts/test-totals.mjs, which prints the one
// "N passed, N failed, N skipped" line over Vitest and Playwright together.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['core/**/*.test.ts', 'renderer/**/*.test.ts', 'electron/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['e2e/**', '**/node_modules/**', 'dist/**', 'release/**', '.tmp/**'],
    environment: 'node',
    // Child processes: tests start worker_threads over SharedArrayBuffers and real hosts, and a crashing worker or
    // a leaked handle stays inside its fork.
    pool: 'forks',
    // Integration tests start real hosts (a datad worker, history backfill): give them room on a 2-core CI box.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    teardownTimeout: 10_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
