#!/usr/bin/env node
// `npm test`: build, then Vitest (unit + integration), then Playwright (e2e), each run even when an earlier one
// failed, then the totals over both. The last line printed is `N passed, N failed, N skipped`; the exit code is
// non-zero when a step or a test failed or a report is missing.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const results = join(root, 'test-results');
const node = process.execPath;

// A hung step (a synchronous infinite loop in a test, a leaked handle) must fail CI, not stall it: each step runs in
// its own process group and is killed, with everything it started, past its time limit.
const LIMIT_S = Number(process.env.CANDLEWICK_TEST_STEP_TIMEOUT_S ?? 360);
// Its own process group also keeps the step from seeing a terminal's ctrl-c: pass it on.
let current = null;
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    if (current) killGroup(current, 'SIGTERM');
    process.exit(130);
  });
}

function step(name, args, limitS = LIMIT_S) {
  console.log(`\n== ${name}`);
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(node, args, { cwd: root, stdio: 'inherit', env: process.env, detached: true });
    current = child.pid;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      console.log(`== ${name}: no result after ${limitS} s: stopping it`);
      killGroup(child.pid, 'SIGTERM');
      setTimeout(() => killGroup(child.pid, 'SIGKILL'), 5000).unref();
    }, limitS * 1000);
    const finish = (ok, why) => {
      clearTimeout(timer);
      current = null;
      console.log(`== ${name}: ${ok ? 'ok' : `FAILED (${why})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      resolve(ok);
    };
    child.once('error', (e) => finish(false, e.message));
    child.once('exit', (code, signal) => {
      if (timedOut) killGroup(child.pid, 'SIGKILL');
      finish(code === 0 && !timedOut, timedOut ? `timed out after ${limitS} s` : signal ? `killed by ${signal}` : `exit ${code}`);
    });
  });
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {}
}

// Reports of an earlier run must not stand in for this one.
rmSync(join(results, 'vitest.json'), { force: true });
rmSync(join(results, 'playwright.json'), { force: true });
mkdirSync(results, { recursive: true });

const built = await step('build', [join(root, 'scripts', 'build.mjs')], 120);
const unit = await step('vitest (unit + integration)', [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run']);
// Without a build the e2e run has nothing to test; it says so and its missing report fails the totals.
const e2e = built ? await step('playwright (e2e)', [join(root, 'scripts', 'e2e.mjs')]) : false;

console.log('');
const totals = spawnSync(node, [join(root, 'scripts', 'test-totals.mjs')], { cwd: root, stdio: 'inherit' });
process.exit(built && unit && e2e && totals.status === 0 ? 0 : 1);
