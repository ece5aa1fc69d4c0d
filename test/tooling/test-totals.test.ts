// scripts/test-totals.mjs, black-box: the final line sums both runners, and a failure anywhere (a failing test, a
// test file that does not load, a Playwright global error, a missing report) makes the exit code non-zero.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../../scripts/test-totals.mjs', import.meta.url));
const dirs: string[] = [];

function run(reports: { vitest?: unknown; playwright?: unknown }) {
  const dir = mkdtempSync(join(tmpdir(), 'totals-'));
  dirs.push(dir);
  if (reports.vitest !== undefined) writeFileSync(join(dir, 'vitest.json'), JSON.stringify(reports.vitest));
  if (reports.playwright !== undefined) writeFileSync(join(dir, 'playwright.json'), JSON.stringify(reports.playwright));
  const r = spawnSync(process.execPath, [script], { env: { ...process.env, CANDLEWICK_TEST_RESULTS: dir }, encoding: 'utf8' });
  const lines = r.stdout.trimEnd().split('\n');
  return { status: r.status, last: lines[lines.length - 1], out: r.stdout };
}

const vitest = (passed: number, failed: number, pending = 0, extra: Record<string, unknown> = {}) => ({
  numPassedTests: passed,
  numFailedTests: failed,
  numPendingTests: pending,
  numTodoTests: 0,
  success: failed === 0,
  testResults: [],
  ...extra,
});
const playwright = (expected: number, unexpected: number, skipped: number, extra: Record<string, unknown> = {}) => ({
  stats: { expected, unexpected, skipped, flaky: 0 },
  suites: [],
  errors: [],
  ...extra,
});

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('test-totals', () => {
  it('sums both reports into one final line and exits 0 when all passed', () => {
    const r = run({ vitest: vitest(50, 0, 1), playwright: playwright(7, 0, 2) });
    expect(r.last).toBe('57 passed, 0 failed, 3 skipped');
    expect(r.status).toBe(0);
  });

  it('exits non-zero when a test failed in either runner', () => {
    expect(run({ vitest: vitest(10, 1), playwright: playwright(3, 0, 0) })).toMatchObject({ status: 1, last: '13 passed, 1 failed, 0 skipped' });
    expect(run({ vitest: vitest(10, 0), playwright: playwright(3, 2, 0) })).toMatchObject({ status: 1, last: '13 passed, 2 failed, 0 skipped' });
  });

  it('counts a test file that failed to load, and errors outside tests, as failures', () => {
    const broken = vitest(4, 0, 0, {
      success: false,
      testResults: [{ name: '/x/a.test.ts', status: 'failed', message: 'SyntaxError: nope', assertionResults: [] }],
    });
    const r = run({ vitest: broken, playwright: playwright(1, 0, 0) });
    expect(r.last).toBe('5 passed, 1 failed, 0 skipped');
    expect(r.status).toBe(1);
    const unhandled = run({ vitest: vitest(4, 0, 0, { success: false }), playwright: playwright(1, 0, 0) });
    expect(unhandled).toMatchObject({ status: 1, last: '5 passed, 1 failed, 0 skipped' });
    const global = run({ vitest: vitest(4, 0), playwright: playwright(0, 0, 0, { errors: [{ message: 'config error' }] }) });
    expect(global).toMatchObject({ status: 1, last: '4 passed, 1 failed, 0 skipped' });
  });

  it('counts a missing report as a failure and still prints the totals line', () => {
    const r = run({ vitest: vitest(8, 0) });
    expect(r.last).toBe('8 passed, 1 failed, 0 skipped');
    expect(r.out).toContain('playwright: no report');
    expect(r.status).toBe(1);
  });

  it('lists why tests were skipped', () => {
    const suites = [
      {
        specs: [
          {
            tests: [
              { projectName: 'electron', status: 'skipped', annotations: [{ type: 'skip', description: 'no Electron binary' }] },
              { projectName: 'electron', status: 'skipped', annotations: [{ type: 'skip', description: 'no Electron binary' }] },
            ],
          },
        ],
      },
    ];
    const r = run({ vitest: vitest(1, 0), playwright: playwright(0, 0, 2, { suites }) });
    expect(r.out).toContain('2 skipped (electron: no Electron binary)');
    expect(r.last).toBe('1 passed, 0 failed, 2 skipped');
  });
});
