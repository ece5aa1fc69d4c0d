import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { COLUMNS } from '../../protocol/frames.js';
import { allocRows } from '../ohlc-buffer.js';
import { HistoryStore, sliceRows, type Rows } from './store.js';

const FQME = 'btcusdt.spot.binance';
const T0 = 1_700_000_040; // a minute boundary

/** `n` 1 m bars from `t0` with awkward doubles (not representable in short decimal form). */
function bars(n: number, t0 = T0, tf = 60, salt = 0): Rows {
  const r = allocRows(n) as Rows;
  r.length = n;
  for (let i = 0; i < n; i++) {
    const p = 50_000 + Math.sin(i + salt) * 1000 + 1 / 3;
    r.time[i] = t0 + i * tf;
    r.open[i] = p;
    r.high[i] = p + 0.1 + salt;
    r.low[i] = p - 0.2;
    r.close[i] = p + 1e-9;
    r.volume[i] = i === 3 ? 0 : (i % 7) * 0.123456789;
  }
  return r;
}

const slice = sliceRows;

const plain = (r: Rows) => COLUMNS.map((c) => Array.from(r[c].subarray(0, r.length)));

let open: HistoryStore[] = [];
const tmp = () => join(mkdtempSync(join(tmpdir(), 'cw-hist-')), 'history', 'binance.duckdb');
async function store(path: string, readOnly = false): Promise<HistoryStore> {
  const s = await HistoryStore.open(path, { readOnly });
  open.push(s);
  return s;
}
afterEach(async () => {
  for (const s of open) await s.close().catch(() => undefined);
  open = [];
});

describe('HistoryStore (DuckDB)', () => {
  it('round-trips bars exactly and reads the newest N below an end time', async () => {
    const s = await store(tmp());
    const b = bars(500);
    await s.write(FQME, 60, b, { lo: T0, hi: T0 + 500 * 60, bottom: false });
    expect(plain(await s.readRange(FQME, 60, -Infinity, Infinity))).toEqual(plain(b));
    const newest = await s.read(FQME, 60, T0 + 400 * 60, 100);
    expect(plain(newest)).toEqual(plain(slice(b, 300, 400)));
    expect((await s.read(FQME, 60, T0 + 400 * 60, 100, T0 + 350 * 60)).length).toBe(50);
    expect((await s.read(FQME, 1, Infinity, 10)).length).toBe(0);
    // Empty buckets (a quiet 1 s series): the newest N still come back, reaching below the last N buckets.
    const sparse = bars(200, T0, 2);
    for (let i = 0; i < 200; i++) sparse.time[i] = T0 + i * 2;
    await s.write(FQME, 1, sparse);
    expect(plain(await s.read(FQME, 1, T0 + 400, 50))).toEqual(plain(slice(sparse, 150, 200)));
    expect(plain(await s.read(FQME, 1, Infinity, 500))).toEqual(plain(sparse));
    expect(s.spans(FQME, 60)).toEqual([{ lo: T0, hi: T0 + 500 * 60, bottom: false }]);
  });

  it('close takes nothing new while it drains: a statement asked for meanwhile is refused, what was queued lands', async () => {
    const path = tmp();
    const s = await store(path);
    const b = bars(2000);
    const queued = s.write(FQME, 60, b);
    const closing = s.close();
    // Asked for while close waits for the queued write: it would run while the connection checkpoints and closes.
    await expect(s.count(FQME, 60)).rejects.toThrow(/closed/);
    await queued;
    await closing;
    const again = await store(path);
    expect(await again.count(FQME, 60)).toBe(2000);
  });

  it('a second close waits for the first to finish, not returning while it still drains', async () => {
    const s = await store(tmp());
    void s.write(FQME, 60, bars(2000));
    const order: string[] = [];
    const first = s.close().then(() => order.push('first'));
    const second = s.close().then(() => order.push('second'));
    await Promise.all([first, second]);
    expect(order).toEqual(['first', 'second']);
  });

  it('drops duplicates: a bar written twice is one row, the newer write wins', async () => {
    const s = await store(tmp());
    const b = bars(300);
    await s.write(FQME, 60, b);
    await s.write(FQME, 60, slice(b, 100, 200));
    expect(await s.count(FQME, 60)).toBe(300);
    const again = bars(300, T0, 60, 5); // same times, other prices
    await s.write(FQME, 60, slice(again, 250, 300));
    expect(await s.count(FQME, 60)).toBe(300);
    const back = await s.readRange(FQME, 60, T0 + 250 * 60, Infinity);
    expect(plain(back)).toEqual(plain(slice(again, 250, 300)));
  });

  it('keeps series apart, merges covered spans, and survives a reopen (read-only too)', async () => {
    const path = tmp();
    const s = await store(path);
    await s.write(FQME, 60, bars(10), { lo: T0, hi: T0 + 600, bottom: true });
    await s.write(FQME, 60, bars(10, T0 + 600), { lo: T0 + 600, hi: T0 + 1200, bottom: false });
    await s.write(FQME, 1, bars(100, T0, 1), { lo: T0, hi: T0 + 100, bottom: false });
    await s.write('ethusdt.spot.binance', 60, bars(5), null);
    expect(s.spans(FQME, 60)).toEqual([{ lo: T0, hi: T0 + 1200, bottom: true }]);
    await s.close();
    open = [];
    const r = await store(path, true);
    expect(r.spans(FQME, 60)).toEqual([{ lo: T0, hi: T0 + 1200, bottom: true }]);
    expect(await r.count(FQME, 60)).toBe(20);
    expect(await r.count(FQME, 1)).toBe(100);
    expect(await r.count('ethusdt.spot.binance', 60)).toBe(5);
    expect(r.series().map((x) => `${x.fqme}/${x.timeframe}`).sort()).toEqual(['btcusdt.spot.binance/1', 'btcusdt.spot.binance/60', 'ethusdt.spot.binance/60']);
    await expect(r.write(FQME, 60, bars(1))).rejects.toThrow(/read-only/);
  });

  it('finds missing bucket runs inside covered spans, and records gaps until cleared', async () => {
    const s = await store(tmp());
    const b = bars(100);
    // Bars 10..14 and 50 missing, and the span reaches 3 buckets past the newest bar.
    const kept = [slice(b, 0, 10), slice(b, 15, 50), slice(b, 51, 100)];
    for (const k of kept) await s.write(FQME, 60, k);
    await s.write(FQME, 60, bars(0), { lo: T0, hi: T0 + 103 * 60, bottom: false });
    expect(await s.holes(FQME, 60)).toEqual([
      { start: T0 + 600, end: T0 + 900 },
      { start: T0 + 3000, end: T0 + 3060 },
      { start: T0 + 6000, end: T0 + 6180 },
    ]);
    // Every committed change is told (datad turns it into the clients' `gaps` event); a clear that removes nothing is not.
    const told: [string, number, number][] = [];
    s.onGapsChanged = (fqme, tf) => void s.gaps(fqme, tf).then((g) => told.push([fqme, tf, g.length]));
    await s.recordGap(FQME, 60, { start: T0 + 600, end: T0 + 900 }, 'venue has no bars', { now: 1000 });
    await s.recordGap(FQME, 60, { start: T0 + 600, end: T0 + 900 }, 'venue has no bars', { now: 2000 });
    const gaps = await s.gaps(FQME);
    expect(gaps).toEqual([{ fqme: FQME, timeframe: 60, start: T0 + 600, end: T0 + 900, bars: 5, reason: 'venue has no bars', attempts: 2, firstSeen: 1000, lastTried: 2000 }]);
    await s.clearGaps(FQME, 60, { start: T0 + 2000, end: T0 + 2500 });
    await s.clearGaps(FQME, 60, { start: T0, end: T0 + 1000 });
    expect(await s.gaps()).toEqual([]);
    // Each told after its change was committed: a read then sees it.
    expect(told).toEqual([
      [FQME, 60, 1],
      [FQME, 60, 1],
      [FQME, 60, 0],
    ]);
  });

  it('exports parquet and CSV whose rows equal the stored bars', async () => {
    const path = tmp();
    const s = await store(path);
    const b = bars(1234);
    await s.write(FQME, 60, b);
    const dir = mkdtempSync(join(tmpdir(), 'cw-exp-'));
    expect(await s.exportTo(FQME, 60, 'csv', join(dir, "it's.csv"))).toEqual({ rows: 1234 });
    const lines = readFileSync(join(dir, "it's.csv"), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('time,open,high,low,close,volume');
    const parsed = lines.slice(1).map((l) => l.split(',').map(Number));
    expect(parsed).toEqual(Array.from({ length: 1234 }, (_, i) => COLUMNS.map((c) => b[c][i]!)));
    expect(await s.exportTo(FQME, 60, 'parquet', join(dir, 'b.parquet'))).toEqual({ rows: 1234 });
    expect(readFileSync(join(dir, 'b.parquet')).subarray(0, 4).toString()).toBe('PAR1');
  });
});
