// Playwright: the e2e tests of e2e/, one page model (e2e/pages/) run against two targets.
//  - chromium-serve: Debian's /usr/bin/chromium (Playwright's bundled browsers are not installed) on `candlewick serve`.
//  - electron: the Electron app, where an Electron binary is installed; skipped with the reason otherwise.
// Each test starts its own host (e2e/fixtures.ts). Run through `npm run test:e2e` (builds first) or scripts/e2e.mjs.
import { defineConfig } from '@playwright/test';
import type { TargetOptions } from './e2e/fixtures.js';

const CHROMIUM = process.env.CANDLEWICK_CHROMIUM ?? '/usr/bin/chromium';

export default defineConfig<TargetOptions>({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  // Playwright wipes its outputDir on every run: keep it apart from test-results/vitest.json and the screenshots.
  outputDir: 'test-results/playwright-output',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  // Each test runs a host (with a datad worker) and a browser: two at a time is what a 2-core CI box carries.
  workers: process.env.CI ? 2 : undefined,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    actionTimeout: 10_000,
  },
  projects: [
    {
      name: 'chromium-serve',
      use: {
        target: 'serve',
        browserName: 'chromium',
        launchOptions: {
          executablePath: CHROMIUM,
          args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
        },
      },
    },
    {
      name: 'electron',
      use: { target: 'electron' },
    },
  ],
});
