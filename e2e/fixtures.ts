/**
 * The e2e fixtures: one `terminal` (the TerminalPage model) per test, on a fresh host, for either target.
 *  - `serve`: `node dist/cli.js serve` on a free port + Debian's Chromium (the project's launchOptions).
 *  - `electron`: the Electron app (`dist/electron-main.js`) with its own data directory; skipped with the reason when
 *    no Electron binary is installed (CI installs with ELECTRON_SKIP_BINARY_DOWNLOAD=1).
 * Every test gets its own host, so a crash test or a loaded symbol never leaks into the next test.
 */
import { test as base, expect, _electron, type Browser, type ElectronApplication, type Page, type TestInfo } from '@playwright/test';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { electronBinary, electronSkipReason } from './electron-available.js';
import { ROOT, SCREENSHOT_DIR } from './lib/paths.js';
import { E2E_SEED, makeDataDir, startServeHost, type ServeHost } from './lib/serve-host.js';
import { TerminalPage } from './pages/terminal-page.js';

export type Target = 'serve' | 'electron';

export interface TargetOptions {
  target: Target;
}

interface HostOptions {
  /** TOML appended to the host's config.toml (a spec overrides it, e.g. with fake venue URLs). */
  hostConfig: string;
}

interface TestFixtures {
  /** The page model on a freshly started terminal (not yet navigated: call `terminal.open()`). */
  terminal: TerminalPage;
  /** http://127.0.0.1:P/ of the serve host, or null under Electron (no HTTP server there). */
  hostUrl: string | null;
  /** The serve host process (kill, restart), or null under Electron, where the host lives in the app's main process. */
  serveHost: ServeHost | null;
  /** Saves a full-page screenshot to test-results/screenshots/<project>/<name>.png and attaches it. */
  snap: (name: string) => Promise<{ path: string; png: Buffer }>;
  /** Internal: the running session behind `terminal` and `hostUrl`. */
  session: Session;
}

interface WorkerFixtures extends TargetOptions {
  /** Chromium for the serve target, one per worker (null for Electron). */
  serveBrowser: Browser | null;
}

interface Session {
  page: Page;
  entryUrl: string;
  hostUrl: string | null;
  host: ServeHost | null;
}

const VIEWPORT = { width: 1400, height: 900 };

export const test = base.extend<TestFixtures & HostOptions, WorkerFixtures>({
  target: ['serve', { option: true, scope: 'worker' }],
  hostConfig: ['', { option: true }],

  serveBrowser: [
    async ({ target, playwright, launchOptions }, use) => {
      if (target !== 'serve') return use(null);
      const browser = await playwright.chromium.launch(launchOptions);
      await use(browser);
      await browser.close();
    },
    { scope: 'worker' },
  ],

  session: async ({ target, serveBrowser, hostConfig }, use, testInfo) => {
    if (target === 'serve') {
      const host = await startServeHost(hostConfig);
      const context = await serveBrowser!.newContext({ viewport: VIEWPORT });
      const page = await context.newPage();
      const consoleLines = collectConsole(page);
      try {
        await use({ page, entryUrl: host.url, hostUrl: host.url, host });
      } finally {
        await onFailure(testInfo, page, host, consoleLines);
        await context.close();
        await host.stop();
      }
      return;
    }

    const binary = electronBinary();
    if (binary === null) {
      testInfo.skip(true, electronSkipReason() ?? 'Electron binary not installed here');
      return;
    }
    // Set by scripts/e2e.mjs on a headless machine without xvfb-run.
    const noDisplay = process.env.CANDLEWICK_E2E_NO_ELECTRON;
    if (noDisplay) {
      testInfo.skip(true, `Electron runs skipped: ${noDisplay}`);
      return;
    }
    const dataDir = makeDataDir(hostConfig);
    const args = [join(ROOT, 'dist', 'electron-main.js'), '--data-dir', dataDir, '--seed', String(E2E_SEED), '--test-hooks'];
    // Chromium refuses to run as root without --no-sandbox (CI containers); the app's own renderer sandbox is an
    // Electron setting and stays on.
    if (process.getuid?.() === 0) args.unshift('--no-sandbox');
    let app: ElectronApplication | null = null;
    let output = '';
    try {
      app = await _electron.launch({ executablePath: binary, args, cwd: ROOT, timeout: 30_000 });
      app.process().stdout?.on('data', (d: Buffer) => (output += d.toString()));
      app.process().stderr?.on('data', (d: Buffer) => (output += d.toString()));
      const page = await app.firstWindow();
      // The window may still be on about:blank until main's loadURL(app://...) lands.
      await page.waitForURL((u) => u.protocol !== 'about:', { timeout: 30_000 });
      await page.waitForLoadState('domcontentloaded');
      // The UI's entry page without its query (URL.origin is "null" for a custom scheme like app:, so strip instead).
      const entry = new URL(page.url());
      entry.search = '';
      entry.hash = '';
      const entryUrl = entry.toString();
      const consoleLines = collectConsole(page);
      try {
        await use({ page, entryUrl, hostUrl: null, host: null });
      } finally {
        await onFailure(testInfo, page, { log: () => output }, consoleLines);
      }
    } finally {
      await app?.close().catch(() => {});
      rmSync(dataDir, { recursive: true, force: true });
    }
  },

  terminal: async ({ session }, use) => {
    await use(new TerminalPage(session.page, session.entryUrl));
  },

  hostUrl: async ({ session }, use) => {
    await use(session.hostUrl);
  },

  serveHost: async ({ session }, use) => {
    await use(session.host);
  },

  snap: async ({ session }, use, testInfo) => {
    await use(async (name: string) => {
      const dir = join(SCREENSHOT_DIR, testInfo.project.name);
      mkdirSync(dir, { recursive: true });
      const path = join(dir, `${name}.png`);
      const png = await session.page.screenshot({ path });
      await testInfo.attach(name, { path, contentType: 'image/png' });
      return { path, png };
    });
  },
});

function collectConsole(page: Page): string[] {
  const lines: string[] = [];
  page.on('console', (m) => lines.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => lines.push(`[pageerror] ${e.message}`));
  return lines;
}

/** On failure: a screenshot, the host's output and the page console, attached to the report. */
async function onFailure(testInfo: TestInfo, page: Page, host: Pick<ServeHost, 'log'>, consoleLines: string[]): Promise<void> {
  if (testInfo.status === testInfo.expectedStatus) return;
  await page
    .screenshot({ path: testInfo.outputPath('failure.png') })
    .then((png) => testInfo.attach('failure', { body: png, contentType: 'image/png' }))
    .catch(() => {});
  await testInfo.attach('host.log', { body: host.log(), contentType: 'text/plain' });
  await testInfo.attach('console.log', { body: consoleLines.join('\n'), contentType: 'text/plain' });
}

export { expect };
