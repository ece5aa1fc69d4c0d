import { describe, expect, it } from 'vitest';
import { OhlcBuffer, allocRows } from './ohlc-buffer.js';
import { spawnWorker } from '../util/spawn-worker.js';

function waitMessage<T>(w: ReturnType<typeof spawnWorker>): Promise<T> {
  return new Promise((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  });
}

describe('OhlcBuffer', () => {
  it('keeps prepended history and appended live rows in time order', () => {
    const buf = OhlcBuffer.create({ capacity: 100, origin: 50, timeframe: 60 });
    buf.beginWrite();
    buf.appendRow(6000, 1, 2, 0.5, 1.5, 10);
    buf.appendRow(6060, 1.5, 3, 1, 2, 5);
    buf.endWrite();
    const hist = allocRows(3);
    [5820, 5880, 5940].forEach((t, i) => {
      hist.time[i] = t;
      hist.open[i] = hist.high[i] = hist.low[i] = hist.close[i] = i;
    });
    expect(buf.prepend(hist, 0, 3)).toBe(3);
    expect([buf.first, buf.last]).toEqual([47, 52]);
    const out = allocRows(5);
    buf.readRows(buf.first, buf.last, out);
    expect([...out.time]).toEqual([5820, 5880, 5940, 6000, 6060]);
    expect(out.close[4]).toBe(2);
  });

  it('prepends only what fits below first, keeping the newest rows of the chunk', () => {
    const buf = OhlcBuffer.create({ capacity: 10, origin: 2, timeframe: 1 });
    const hist = allocRows(5);
    for (let i = 0; i < 5; i++) hist.time[i] = 100 + i;
    expect(buf.prepend(hist, 0, 5)).toBe(2);
    const out = allocRows(2);
    buf.readRows(0, 2, out);
    expect([...out.time]).toEqual([103, 104]);
  });

  it('stamps each write with its time and bumps the sequence by two', () => {
    const buf = OhlcBuffer.create({ capacity: 4, origin: 0, timeframe: 1 });
    const s0 = buf.seq;
    buf.beginWrite();
    expect(buf.seq % 2).toBe(1);
    buf.appendRow(1, 1, 1, 1, 1, 1);
    buf.endWrite(12345.5);
    expect(buf.seq).toBe(s0 + 2);
    expect(buf.writtenAt).toBe(12345.5);
  });

  it('never shows a torn row to reader threads while a writer thread hammers it', async () => {
    const buf = OhlcBuffer.create({ capacity: 20_000, origin: 10_000, timeframe: 1 });
    buf.beginWrite();
    buf.appendRow(1_000_000, 1, 2, 0, 1, 2);
    buf.appendRow(1_000_001, 1, 2, 0, 1, 2);
    buf.endWrite();
    const ctrl = new SharedArrayBuffer(8);
    const writer = spawnWorker(import.meta.url, 'test-workers/buffer-writer', { workerData: { sab: buf.sab, ctrl, readers: 2 } });
    const readers = [0, 1].map(() => spawnWorker(import.meta.url, 'test-workers/buffer-reader', { workerData: { sab: buf.sab, ctrl, snapshots: 300 } }));
    const writerDone = waitMessage(writer);
    const results = await Promise.all(readers.map((r) => waitMessage<{ torn: number; disorder: number; rowsRead: number }>(r)));
    await writerDone;
    await Promise.all([writer, ...readers].map((w) => w.terminate()));
    for (const r of results) {
      expect(r.rowsRead).toBeGreaterThan(100_000);
      expect(r.torn).toBe(0);
      expect(r.disorder).toBe(0);
    }
    expect(buf.length).toBeGreaterThan(500);
  });
});
