import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BinanceBackend } from '../../core/brokers/binance/backend.js';
import { Feed } from '../../core/data/feed.js';
import { FakeBinance } from '../fakes/binance-server.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a datad Feed on the Binance backend', () => {
  let fake: FakeBinance | null = null;
  let backend: BinanceBackend | null = null;
  afterAll(async () => {
    backend?.close();
    await fake?.close();
  });

  it('holds exactly the venue tape in its 1 s bars across a dropped connection (stream + history repair)', async () => {
    fake = await FakeBinance.start({ rate: 30, historyMs: 5 * 60_000 });
    // A reconnect delay of 150-300 ms: trades of the gap never reach the stream and must come from history.
    backend = new BinanceBackend({ seed: 1, rate: 1, cacheDir: mkdtempSync(join(tmpdir(), 'cw-bnf-')), config: fake.config({ reconnect_min_ms: 300, reconnect_max_ms: 300 }), log: () => {} });
    const mkt = await backend.getMktInfo('btcusdt.spot.binance');
    const feed = new Feed(mkt, backend, { rows60: 10, rows1: 120 }, { onBuffer: () => {}, onHistory: () => {}, onTicks: () => {} });
    const opened = Date.now();
    await feed.open(opened);
    await sleep(1_200);
    fake.spot.dropConnections();
    await sleep(1_200);
    const end = Math.floor(Date.now() / 1000) - 1;
    // The bars that closed around the break are refetched 1.5 s after they close.
    await sleep(2_600);
    feed.close();
    const buf = feed.buffers.get(1)!;
    const from = Math.floor(opened / 1000) - 60;
    const rows: { time: number; open: number; high: number; low: number; close: number; volume: number }[] = [];
    for (let i = buf.first; i < buf.last; i++) {
      const t = buf.cols.time[i]!;
      if (t >= from && t < end) rows.push({ time: t, open: buf.cols.open[i]!, high: buf.cols.high[i]!, low: buf.cols.low[i]!, close: buf.cols.close[i]!, volume: buf.cols.volume[i]! });
    }
    const want = fake.tape('spot', 'BTCUSDT').bars(1, from, end);
    expect(rows.map((r) => r.time)).toEqual(want.map((b) => b.time));
    for (const [i, b] of want.entries()) {
      expect([rows[i]!.open, rows[i]!.high, rows[i]!.low, rows[i]!.close]).toEqual([b.open, b.high, b.low, b.close]);
      expect(rows[i]!.volume).toBeCloseTo(b.volume, 6);
    }
    expect(backend.stats().reconnects).toBe(1);
    expect(feed.repairs).toBeGreaterThan(0);
  });
});
