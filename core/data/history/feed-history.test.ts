import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DataBackend } from '../../brokers/backend.js';
import type { MktPair, Timeframe } from '../../protocol/types.js';
import { allocRows } from '../ohlc-buffer.js';
import { Feed } from '../feed.js';
import { addSpan, missingRuns } from './spans.js';
import { HistoryStore, type Rows } from './store.js';

const FQME = 'btcusdt.spot.binance';
const MKT = { fqme: FQME, broker: 'binance' } as MktPair;
const LISTED = 1_700_000_000 - (1_700_000_000 % 60) - 600 * 60; // the venue's first minute

/** A venue printing one bar per bucket from LISTED on, with scripted holes; logs every history call. */
class ScriptedVenue implements DataBackend {
  readonly name = 'binance';
  readonly replays = true;
  calls: { tf: Timeframe; endTime: number; count: number }[] = [];
  /** Nothing older is printed (Kraken keeps only its newest 720 candles). */
  oldest = LISTED;
  /** Buckets the venue does not print: [start, end) and how many more answers skip them (Infinity: never printed). */
  holes: { tf: Timeframe; start: number; end: number; times: number }[] = [];

  async getMktInfo(): Promise<MktPair> {
    return MKT;
  }
  async searchSymbols() {
    return [];
  }
  async history(_f: string, tf: Timeframe, endTime: number, count: number): Promise<Rows> {
    this.calls.push({ tf, endTime, count });
    const end = Math.ceil(endTime / tf) * tf;
    const start = Math.max(Math.ceil(this.oldest / tf) * tf, end - count * tf);
    const times: number[] = [];
    const hit = new Set<(typeof this.holes)[number]>();
    for (let t = start; t < end; t += tf) {
      const h = this.holes.find((x) => x.tf === tf && x.times > 0 && t >= x.start && t < x.end);
      if (h) hit.add(h);
      else times.push(t);
    }
    for (const h of hit) h.times--;
    const r = allocRows(times.length) as Rows;
    r.length = times.length;
    times.forEach((t, i) => {
      const p = 100 + (t % 7_919) / 100;
      r.time[i] = t;
      r.open[i] = p;
      r.high[i] = p + 1;
      r.low[i] = p - 1;
      r.close[i] = p + 0.5;
      r.volume[i] = (t % 13) / 10;
    });
    return r;
  }
  streamQuotes() {
    return () => {};
  }
  close() {}
}

const noEvents = { onBuffer: () => {}, onHistory: () => {}, onTicks: () => {} };
let stores: HistoryStore[] = [];
let feeds: Feed[] = [];
afterEach(async () => {
  for (const f of feeds) f.close();
  for (const s of stores) await s.close();
  feeds = [];
  stores = [];
});

async function openFeed(venue: ScriptedVenue, store: HistoryStore, nowSec: number, depth = { rows60: 400, rows1: 120 }): Promise<Feed> {
  const feed = new Feed(MKT, venue, depth, noEvents, null, store);
  feeds.push(feed);
  await feed.open(nowSec * 1000);
  await feed.backfill(() => Promise.resolve());
  return feed;
}

const times = (f: Feed, tf: Timeframe) => {
  const b = f.buffers.get(tf)!;
  return Array.from(b.cols.time.subarray(b.first, b.last));
};

describe('spans and missing runs', () => {
  it('merges touching and overlapping spans; the lowest span carries the bottom', () => {
    let s = addSpan([], { lo: 100, hi: 200, bottom: false });
    s = addSpan(s, { lo: 300, hi: 400, bottom: false });
    expect(s).toHaveLength(2);
    s = addSpan(s, { lo: 200, hi: 300, bottom: false });
    expect(s).toEqual([{ lo: 100, hi: 400, bottom: false }]);
    s = addSpan(s, { lo: 100, hi: 100, bottom: true });
    expect(s).toEqual([{ lo: 100, hi: 400, bottom: true }]);
    s = addSpan(s, { lo: 40, hi: 120, bottom: false });
    expect(s).toEqual([{ lo: 40, hi: 400, bottom: false }]);
  });

  it('finds missing bucket runs, leading and trailing ones included', () => {
    expect(missingRuns([120, 180, 360], 3, 60, 480, 60)).toEqual([
      { start: 60, end: 120 },
      { start: 240, end: 360 },
      { start: 420, end: 480 },
    ]);
    expect(missingRuns([], 0, 0, 120, 60)).toEqual([{ start: 0, end: 120 }]);
  });
});

describe('Feed with a history store', () => {
  it('reopens from storage: the venue is asked only for what is newer than the newest stored bar', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'cw-fh-')), 'binance.duckdb');
    const venue = new ScriptedVenue();
    const now1 = LISTED + 500 * 60 + 17;
    let store = await HistoryStore.open(path);
    const f1 = await openFeed(venue, store, now1);
    const m1 = now1 - (now1 % 60);
    expect(times(f1, 60)).toHaveLength(400);
    expect(times(f1, 60).at(-1)).toBe(m1 - 60);
    f1.close();
    await store.close();

    venue.calls = [];
    const now2 = now1 + 30 * 60;
    const m2 = now2 - (now2 % 60);
    stores.push((store = await HistoryStore.open(path)));
    const f2 = await openFeed(venue, store, now2);
    // 1 m: only the 30 minutes since the newest stored bar.
    expect(venue.calls.filter((c) => c.tf === 60)).toEqual([{ tf: 60, endTime: m2, count: 30 }]);
    const t60 = times(f2, 60);
    expect(t60).toHaveLength(400);
    expect(t60.at(-1)).toBe(m2 - 60);
    expect(t60.every((t, i) => i === 0 || t - t60[i - 1]! === 60)).toBe(true);
  });

  it('backfills from storage, then from the venue below it, then stops at the venue bottom (remembered)', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'cw-fh-')), 'binance.duckdb');
    const venue = new ScriptedVenue();
    const now = LISTED + 500 * 60 + 5;
    const m = now - (now % 60);
    stores.push(await HistoryStore.open(path));
    // First run: 100 rows deep.
    const f1 = await openFeed(venue, stores[0]!, now, { rows60: 100, rows1: 10 });
    f1.close();
    expect(times(f1, 60)[0]).toBe(m - 100 * 60);
    // Second run, same minute: 1000 deep; 100 from storage, the rest (400) from the venue, then its bottom.
    venue.calls = [];
    const f2 = await openFeed(venue, stores[0]!, now, { rows60: 1000, rows1: 10 });
    const t60 = times(f2, 60);
    expect(t60[0]).toBe(LISTED);
    expect(t60).toHaveLength(500);
    const c60 = venue.calls.filter((c) => c.tf === 60);
    expect(c60.map((c) => c.endTime)).toEqual([m - 100 * 60, LISTED]);
    f2.close();
    // Third run: everything from storage, and the venue's bottom is known: no 1 m request at all.
    venue.calls = [];
    const f3 = await openFeed(venue, stores[0]!, now, { rows60: 1000, rows1: 10 });
    expect(times(f3, 60)).toEqual(t60);
    expect(venue.calls.filter((c) => c.tf === 60)).toEqual([]);
  });

  it('reaches stored bars the venue no longer has after a long absence, the stretch between recorded as a gap', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'cw-fh-')), 'binance.duckdb');
    const venue = new ScriptedVenue();
    const now1 = LISTED + 500 * 60 + 5;
    const m1 = now1 - (now1 % 60);
    const store = await HistoryStore.open(path);
    stores.push(store);
    (await openFeed(venue, store, now1, { rows60: 100, rows1: 10 })).close();
    // Three days later; the venue now keeps only its newest 720 minutes.
    const now2 = now1 + 3 * 86_400;
    const m2 = now2 - (now2 % 60);
    venue.oldest = m2 - 720 * 60;
    const f = await openFeed(venue, store, now2, { rows60: 1000, rows1: 10 });
    const t60 = times(f, 60);
    expect(t60).toHaveLength(820);
    expect(t60[0]).toBe(m1 - 100 * 60);
    expect(t60[99]).toBe(m1 - 60);
    expect(t60[100]).toBe(venue.oldest);
    await store.flush();
    const gaps = await store.gaps(FQME, 60);
    expect(gaps.map((g) => [g.start, g.end])).toEqual([[m1, venue.oldest]]);
    expect(gaps[0]!.reason).toMatch(/no longer has/);
    // Covered now: the next open reads through it from storage.
    venue.calls = [];
    f.close();
    const again = await openFeed(venue, store, now2, { rows60: 1000, rows1: 10 });
    expect(times(again, 60)).toEqual(t60);
    // The venue is asked only for the recorded gap again (a later open retries it), nothing stored, nothing below.
    expect(venue.calls.filter((c) => c.tf === 60)).toEqual([{ tf: 60, endTime: venue.oldest, count: 3600 }]);
    expect((await store.gaps(FQME, 60))[0]!.attempts).toBe(2);
  });

  it('refetches a hole the venue skipped once, and records one it never prints as a gap (no bars invented)', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'cw-fh-')), 'binance.duckdb');
    const venue = new ScriptedVenue();
    const now = LISTED + 500 * 60 + 5;
    const m = now - (now % 60);
    const once = { tf: 60 as const, start: m - 50 * 60, end: m - 45 * 60, times: 1 };
    const never = { tf: 60 as const, start: m - 20 * 60, end: m - 18 * 60, times: Infinity };
    venue.holes = [once, never];
    const store = await HistoryStore.open(path);
    stores.push(store);
    const f = await openFeed(venue, store, now, { rows60: 100, rows1: 10 });
    const t60 = times(f, 60);
    for (let t = once.start; t < once.end; t += 60) expect(t60).toContain(t);
    for (let t = never.start; t < never.end; t += 60) expect(t60).not.toContain(t);
    // Each hole asked for once more, exactly its own range.
    expect(venue.calls.filter((c) => c.tf === 60 && c.count === 5)).toEqual([{ tf: 60, endTime: once.end, count: 5 }]);
    expect(venue.calls.filter((c) => c.tf === 60 && c.endTime === never.end)).toEqual([{ tf: 60, endTime: never.end, count: 2 }]);
    await store.flush();
    const gaps = await store.gaps(FQME);
    expect(gaps.map((g) => [g.timeframe, g.start, g.end, g.bars])).toEqual([[60, never.start, never.end, 2]]);
    expect(gaps[0]!.reason).toMatch(/no bars/);
    expect(await store.holes(FQME, 60)).toEqual([{ start: never.start, end: never.end }]);
    f.close();

    // The venue prints it now: the next open refetches the recorded gap, stores it, and forgets the gap.
    venue.holes = [];
    venue.calls = [];
    const f2 = await openFeed(venue, store, now, { rows60: 100, rows1: 10 });
    expect(venue.calls).toContainEqual({ tf: 60, endTime: never.end, count: 2 });
    for (let t = never.start; t < never.end; t += 60) expect(times(f2, 60)).toContain(t);
    await store.flush();
    expect(await store.gaps(FQME)).toEqual([]);
    expect(await store.holes(FQME, 60)).toEqual([]);
  });
});
