#!/usr/bin/env node
// `npm test`: build, then Vitest (unit + integration), then Playwright (e2e), each run even when an earlier one
// failed, then the totals over both. The last line printed is `N passed, N failed, N skipped`; the exit code is
// non-zero when a step or a test failed or a report is missing.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const results = join(root, 'test-results');
const node = process.execPath;

function step(name, args) {
  console.log(`\n== ${name}`);
  const started = Date.now();
  const r = spawnSync(node, args, { cwd: root, stdio: 'inherit', env: process.env });
  const ok = r.status === 0;
  const why = r.error ? r.error.message : r.signal ? `killed by ${r.signal}` : `exit ${r.status}`;
  console.log(`== ${name}: ${ok ? 'ok' : `FAILED (${why})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return ok;
}

// Reports of an earlier run must not stand in for this one.
rmSync(join(results, 'vitest.json'), { force: true });
rmSync(join(results, 'playwright.json'), { force: true });
mkdirSync(results, { recursive: true });

const built = step('build', [join(root, 'scripts', 'build.mjs')]);
const unit = step('vitest (unit + integration)', [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run']);
// Without a build the e2e run has nothing to test; it says so and its missing report fails the totals.
const e2e = built ? step('playwright (e2e)', [join(root, 'scripts', 'e2e.mjs')]) : false;

console.log('');
const totals = spawnSync(node, [join(root, 'scripts', 'test-totals.mjs')], { cwd: root, stdio: 'inherit' });
process.exit(built && unit && e2e && totals.status === 0 ? 0 : 1);
