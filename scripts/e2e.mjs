#!/usr/bin/env node
// Runs the Playwright e2e tests (playwright.config.ts): list output on the console, JSON to
// test-results/playwright.json for scripts/test-totals.mjs. Extra arguments go to `playwright test`
// (e.g. `node scripts/e2e.mjs --project chromium-serve -g search`). Expects a build in dist/ (`npm run build`).
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const report = join(root, 'test-results', 'playwright.json');
const chromium = process.env.CANDLEWICK_CHROMIUM ?? '/usr/bin/chromium';

function fail(message) {
  console.error(`e2e: ${message}`);
  process.exit(1);
}

// A stale report from an earlier run must never be counted as this run's result.
rmSync(report, { force: true });

if (!existsSync(chromium)) {
  fail(
    `no Chromium at ${chromium}. The e2e tests use Debian's Chromium (Playwright's bundled browsers are not installed): ` +
      '`sudo apt-get install -y chromium`, or set CANDLEWICK_CHROMIUM to a Chromium executable.',
  );
}
if (!existsSync(join(root, 'dist', 'cli.js')) || !existsSync(join(root, 'dist', 'renderer', 'index.html'))) {
  fail('no build in dist/: run `npm run build` first (`npm run test:e2e` and `npm test` build for you).');
}

const env = { ...process.env };
let command = [process.execPath, join(root, 'node_modules', '@playwright', 'test', 'cli.js'), 'test', ...process.argv.slice(2)];

// The Electron project needs a display. Headless Linux with an Electron binary: run everything under xvfb-run;
// without xvfb-run, the Electron tests skip and say why (e2e/fixtures.ts reads CANDLEWICK_E2E_NO_ELECTRON).
if (process.platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY && electronInstalled()) {
  if (existsSync('/usr/bin/xvfb-run')) command = ['/usr/bin/xvfb-run', '-a', ...command];
  else env.CANDLEWICK_E2E_NO_ELECTRON = 'no display for Electron and no xvfb-run: `sudo apt-get install -y xvfb`';
}

const run = spawnSync(command[0], command.slice(1), { cwd: root, env, stdio: 'inherit' });
if (run.error) fail(`could not start Playwright: ${run.error.message}`);
if (!existsSync(report)) console.error(`e2e: Playwright wrote no report at ${report}`);
process.exit(run.status ?? 1);

function electronInstalled() {
  try {
    const path = createRequire(import.meta.url)('electron');
    return typeof path === 'string' && existsSync(path);
  } catch {
    return false;
  }
}
