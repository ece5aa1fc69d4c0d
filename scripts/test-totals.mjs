#!/usr/bin/env node
// The one totals line of `npm test`: sums Vitest (test-results/vitest.json) and Playwright
// (test-results/playwright.json) and prints, as the LAST line, exactly `N passed, N failed, N skipped`.
// Above it: one line per runner and the reasons for skipped tests. Exit code 1 when anything failed or a
// report is missing (a runner that crashed before reporting counts as one failure: it must not read "0 failed").
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = process.env.CANDLEWICK_TEST_RESULTS ?? join(root, 'test-results');

/** Vitest's JSON (Jest-compatible): counts per test; a file that failed to load counts as one failure. */
export function vitestTotals(r) {
  const files = r.testResults ?? [];
  const brokenFiles = files.filter(
    (f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed'),
  );
  let failed = (r.numFailedTests ?? 0) + brokenFiles.length;
  const notes = brokenFiles.map((f) => `vitest: ${relative(root, f.name)} failed outside its tests: ${firstLine(f.message)}`);
  // success=false with nothing failed: errors outside any test (unhandled rejections, teardown).
  if (r.success === false && failed === 0) {
    failed = 1;
    notes.push('vitest: run reported errors outside tests (see its output above)');
  }
  return {
    passed: r.numPassedTests ?? 0,
    failed,
    skipped: (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0),
    notes,
  };
}

/** Playwright's JSON reporter: stats per test (flaky = passed on retry); global errors count as failures. */
export function playwrightTotals(r) {
  const s = r.stats ?? {};
  const globalErrors = (r.errors ?? []).length;
  const notes = (r.errors ?? []).map((e) => `playwright: ${firstLine(e.message)}`);
  const reasons = new Map();
  const walk = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        const known = (t.annotations ?? []).find((a) => a.type === 'fail');
        if (known && t.status === 'expected') notes.push(`playwright: ${t.projectName}: "${spec.title}" fails as expected (${known.description ?? 'marked test.fail'})`);
        if (t.status !== 'skipped') continue;
        const why = [...(t.annotations ?? [])].reverse().find((a) => a.type === 'skip')?.description ?? 'no reason given';
        const key = `${t.projectName}: ${why}`;
        reasons.set(key, (reasons.get(key) ?? 0) + 1);
      }
    }
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const suite of r.suites ?? []) walk(suite);
  for (const [why, n] of reasons) notes.push(`playwright: ${n} skipped (${why})`);
  if ((s.flaky ?? 0) > 0) notes.push(`playwright: ${s.flaky} flaky (passed on retry)`);
  return {
    passed: (s.expected ?? 0) + (s.flaky ?? 0),
    failed: (s.unexpected ?? 0) + globalErrors,
    skipped: s.skipped ?? 0,
    notes,
  };
}

function firstLine(s) {
  return String(s ?? '').split('\n').find((l) => l.trim()) ?? '';
}

function main() {
  const reports = [
    { name: 'vitest', file: join(dir, 'vitest.json'), totals: vitestTotals },
    { name: 'playwright', file: join(dir, 'playwright.json'), totals: playwrightTotals },
  ];
  const sum = { passed: 0, failed: 0, skipped: 0 };
  let missing = false;
  for (const { name, file, totals } of reports) {
    if (!existsSync(file)) {
      console.log(`${name}: no report at ${relative(root, file)} (the run did not finish): counted as 1 failed`);
      missing = true;
      sum.failed += 1;
      continue;
    }
    let t;
    try {
      t = totals(JSON.parse(readFileSync(file, 'utf8')));
    } catch (e) {
      console.log(`${name}: unreadable report ${relative(root, file)}: ${e.message}: counted as 1 failed`);
      missing = true;
      sum.failed += 1;
      continue;
    }
    for (const note of t.notes) console.log(note);
    console.log(`${name}: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`);
    sum.passed += t.passed;
    sum.failed += t.failed;
    sum.skipped += t.skipped;
  }
  console.log(`${sum.passed} passed, ${sum.failed} failed, ${sum.skipped} skipped`);
  return sum.failed > 0 || missing ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) process.exit(main());
