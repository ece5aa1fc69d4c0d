import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from '@playwright/test';

/** Debian's Chromium, as the e2e tests use it; CHROMIUM overrides the path. */
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  // performance.memory with exact (not bucketed) figures, for the memory benchmark.
  '--enable-precise-memory-info',
  // Timers and rAF of a page that is not focused must not be throttled while it is measured.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
  // tick_to_chart serves its page through Playwright's request interception at the host's origin; Chromium's
  // Local Network Access checks would then treat it as a public page and block its WebSocket to 127.0.0.1.
  '--disable-features=LocalNetworkAccessChecks,LocalNetworkAccessChecksWebSockets',
];

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}

export const VIEWPORT = { width: 1280, height: 720 };

export async function newPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage({ viewport: VIEWPORT });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') process.stderr.write(`[page ${m.type()}] ${m.text()}\n`);
  });
  page.on('pageerror', (e) => process.stderr.write(`[page error] ${e.message}\n`));
  return page;
}

/** Bundles a bench page (bench/pages/*.mts) for the browser, with lightweight-charts and core/protocol inlined. */
export async function bundlePage(name: string): Promise<string> {
  const entry = fileURLToPath(new URL(`../pages/${name}.mts`, import.meta.url));
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    minify: true,
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  return out.outputFiles[0]!.text;
}

export function pageHtml(script = 'page.js'): string {
  return (
    '<!doctype html><html><head><meta charset="utf-8"><title>candlewick bench</title>' +
    '<style>html,body{margin:0;background:#131722}#chart{width:100vw;height:100vh}</style></head>' +
    `<body><div id="chart"></div><script type="module" src="${script}"></script></body></html>`
  );
}

export interface StaticFiles {
  [path: string]: { type: string; body: string | Buffer };
}

/** A tiny HTTP server for a bench page and its data, on 127.0.0.1 and a free port. */
export async function serveStatic(files: StaticFiles): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const f = files[(req.url ?? '/').split('?')[0]!];
    if (!f) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': f.type, 'cache-control': 'no-store' });
    res.end(f.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return { url: `http://127.0.0.1:${port}/`, server, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/**
 * Loads a bench page that reports into `window.__bench` ({result, error}) and waits for its result (a page error
 * is thrown, naming `what`).
 */
export async function pageResult<T>(page: Page, url: string, what: string): Promise<T> {
  await page.goto(url);
  await page.waitForFunction(
    () => {
      const b = (globalThis as unknown as { __bench?: { result: unknown; error: string | null } }).__bench;
      return !!b && (b.result !== null || b.error !== null);
    },
    undefined,
    { timeout: 120_000, polling: 250 },
  );
  const { result, error } = await page.evaluate(() => (globalThis as unknown as { __bench: { result: T | null; error: string | null } }).__bench);
  if (error || !result) throw new Error(`${what} failed: ${error}`);
  return result;
}

export async function chromiumVersion(browser: Browser): Promise<string> {
  return browser.version();
}
