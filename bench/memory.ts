import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CDPSession, Page } from '@playwright/test';
import { launch, newPage } from './lib/browser.js';
import { benchTmp, buildHostBars, serveBarsPage } from './lib/host-bars.js';
import { emit, log } from './lib/report.js';

/**
 * memory.bytes_per_bar: bytes per stored bar across host + renderer (DESIGN.md §7: <= 100 for the two
 * columnar copies). Host: the 60 s OhlcBuffer's SharedArrayBuffer (host-history.ts measured it). Renderer:
 * the BarStore's typed-array bytes, and the JS heap delta Chromium reports after loading 1M bars into it.
 */
interface HostMemory {
  perUsed: number;
  rows: number;
  capacity: number;
  sabBytes: number;
}

async function hostMemory(): Promise<HostMemory> {
  const file = join(benchTmp(), 'memory-host.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as HostMemory;
  const { buf } = await buildHostBars();
  return { perUsed: buf.sab.byteLength / buf.length, rows: buf.length, capacity: buf.capacity, sabBytes: buf.sab.byteLength };
}

interface HeapSample {
  used: number;
  backing: number;
  total: number;
}

/** JS heap used + ArrayBuffer backing stores (typed arrays live outside the V8 heap proper), after full GCs. */
async function heap(cdp: CDPSession): Promise<HeapSample> {
  for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
  const u = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; totalSize: number; backingStorageSize?: number };
  const backing = u.backingStorageSize ?? 0;
  return { used: u.usedSize, backing, total: u.usedSize + backing };
}

async function measure(page: Page, cdp: CDPSession, mode: 'paged' | 'bulk') {
  await page.evaluate(() => (globalThis as any).__bench.drop());
  const before = await heap(cdp);
  const load = (await page.evaluate((m) => (globalThis as any).__bench.load(m), mode)) as {
    rows: number;
    allocatedBytes: number;
    ms: number;
    frames: number;
  };
  const after = await heap(cdp);
  const held = (await page.evaluate(() => (globalThis as any).__bench.held())) as number;
  if (held !== load.rows) throw new Error(`store lost rows: ${held} vs ${load.rows}`);
  return { load, delta: after.total - before.total, deltaUsed: after.used - before.used, deltaBacking: after.backing - before.backing, before, after };
}

const host = await hostMemory();
const site = await serveBarsPage('memory-page');
const browser = await launch();
try {
  const page = await newPage(browser);
  await page.goto(`${site.url}index.html`);
  await page.waitForFunction(() => !!(globalThis as any).__bench);
  await page.evaluate(() => (globalThis as any).__bench.fetchBars());
  const cdp = await page.context().newCDPSession(page);
  const results: Record<string, Awaited<ReturnType<typeof measure>>> = {};
  for (const mode of ['bulk', 'paged'] as const) {
    results[mode] = await measure(page, cdp, mode);
    const r = results[mode];
    log(`renderer store (${mode}): ${r.load.rows} rows in ${r.load.frames} frames, ${r.load.ms.toFixed(0)} ms; heap delta ${(r.delta / 1e6).toFixed(1)} MB (JS ${(r.deltaUsed / 1e6).toFixed(1)} MB, backing stores ${(r.deltaBacking / 1e6).toFixed(1)} MB)`);
  }
  const paged = results.paged!;
  const bulk = results.bulk!;
  const rows = paged.load.rows;
  const measuredPerBar = paged.delta / rows;
  const typedPerBar = paged.load.allocatedBytes / rows;
  emit({
    bench: 'memory.renderer',
    unit: 'bytes/bar',
    value: measuredPerBar,
    metric: 'JS heap + ArrayBuffer backing-store delta after loading 1M bars (paged, as the renderer does), after GC',
    rows,
    storeTypedArrayBytesPerBar: typedPerBar,
    storeCapacityRows: paged.load.allocatedBytes / 48,
    heapDeltaJsBytes: paged.deltaUsed,
    heapDeltaBackingBytes: paged.deltaBacking,
    frames: paged.load.frames,
    loadMs: paged.load.ms,
    bulk: { bytesPerBar: bulk.delta / bulk.load.rows, storeTypedArrayBytesPerBar: bulk.load.allocatedBytes / bulk.load.rows, loadMs: bulk.load.ms },
  });
  const total = host.perUsed + measuredPerBar;
  emit({
    bench: 'memory.bytes_per_bar',
    unit: 'bytes/bar',
    value: total,
    budget: '<= 100',
    withinBudget: total <= 100,
    host: host.perUsed,
    renderer: measuredPerBar,
    rendererTypedArrays: typedPerBar,
    totalByTypedArrays: host.perUsed + typedPerBar,
    hostRows: host.rows,
    hostCapacity: host.capacity,
    rendererRows: rows,
  });
} finally {
  await browser.close();
  await site.close();
}
