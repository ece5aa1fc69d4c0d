import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimBackend, SIM_DEFAULT_RATE } from '../../core/brokers/sim/backend.js';
import { Feed } from '../../core/data/feed.js';
import { bundlePage, pageHtml, serveStatic } from './browser.js';
import type { OhlcBuffer } from '../../core/data/ohlc-buffer.js';
import { encodeBarFrame, FrameKind } from '../../core/protocol/frames.js';

export const BARS_1M = 1_000_000;
export const FQME = 'xbtusd.spot.sim';

/** Scratch directory shared by the benches of one `npm run bench` (run.mjs sets BENCH_TMP). */
export function benchTmp(): string {
  const dir = process.env.BENCH_TMP;
  if (dir) return dir;
  process.env.BENCH_TMP = mkdtempSync(join(tmpdir(), 'candlewick-bench-'));
  return process.env.BENCH_TMP;
}

export interface HostBars {
  buf: OhlcBuffer;
  /** Wall time of Feed.open + backfill until the buffer held `rows` 1 m bars. */
  ms: number;
  rows: number;
}

/**
 * A host 60 s buffer holding `rows` 1 m bars, built the way datad builds it: Feed.open (first history frame +
 * the current minute's ticks) then backfill, newest first, in the sim history's 20k-row chunks.
 */
export async function buildHostBars(rows = BARS_1M): Promise<HostBars> {
  const backend = new SimBackend({ seed: 1, rate: SIM_DEFAULT_RATE });
  const mkt = await backend.getMktInfo(FQME);
  const feed = new Feed(mkt, backend, { rows60: rows, rows1: 60 }, { onBuffer: () => {}, onHistory: () => {}, onTicks: () => {} });
  const t0 = performance.now();
  await feed.open(Date.now());
  await feed.backfill(() => Promise.resolve());
  const ms = performance.now() - t0;
  feed.close();
  backend.close();
  const buf = feed.buffers.get(60)!;
  return { buf, ms, rows: buf.length };
}

/** The newest `count` rows of a buffer as one binary bar frame (the wire format a renderer decodes). */
export function barsFrame(buf: OhlcBuffer, count = buf.length): Buffer {
  const from = buf.last - count;
  const frame = encodeBarFrame(FrameKind.range, 1, from, buf.first, buf.last, buf.cols, from, count);
  return Buffer.from(frame);
}

const FILE = 'bars-1m.bin';

/** 1M 1 m bars as a bar frame file in the scratch dir: written by host-history.ts, or built here when missing. */
export async function barsFile(): Promise<Buffer> {
  const path = join(benchTmp(), FILE);
  if (existsSync(path)) return readFileSync(path);
  const { buf } = await buildHostBars();
  return writeBarsFile(buf);
}

export function writeBarsFile(buf: OhlcBuffer): Buffer {
  const bytes = barsFrame(buf, Math.min(buf.length, BARS_1M));
  writeFileSync(join(benchTmp(), FILE), bytes);
  return bytes;
}

/** A bench page (bench/pages/<name>.mts) served with the 1M-bar file beside it, as the chart and memory benches load it. */
export async function serveBarsPage(name: string) {
  const [bars, js] = await Promise.all([barsFile(), bundlePage(name)]);
  return serveStatic({
    '/index.html': { type: 'text/html', body: pageHtml() },
    '/page.js': { type: 'text/javascript', body: js },
    '/bars.bin': { type: 'application/octet-stream', body: bars },
    '/favicon.ico': { type: 'image/x-icon', body: '' },
  });
}
