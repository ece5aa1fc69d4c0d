import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../core/data/history/store.js';
import { RowMirror, startTestHost, until, type TestHost } from './harness.js';

const FQME = 'ethusd.spot.sim';
/** The harness writes `[history]` first: this line lands in that table. */
const STORE_SIM = 'store_sim = true\n';

describe('sim history storage ([history] store_sim)', () => {
  let t: TestHost | null = null;
  afterEach(async () => {
    await t?.stop();
    t = null;
  });

  async function snapshot(host: TestHost): Promise<Map<number, { close: number }>> {
    const c = await host.connect();
    const m = new RowMirror(c);
    let backfilled = false;
    c.on('stream', (e) => (backfilled ||= e.reason === 'history' && e.streamId === m.streamId));
    m.follow((await c.call('bars.subscribe', { fqme: FQME, timeframe: 60, count: 5_000 })).streamId);
    await until(() => m.rows.size >= 2_880 && backfilled, 'the 1 m snapshot (the first frame) and the backfill');
    return m.byTime();
  }

  it('is off by default; on, the sim goes through the same store (per seed) and reopens from it', async () => {
    t = await startTestHost({ rate: 20 });
    await snapshot(t);
    await t.stop();
    expect(existsSync(join(t.dataDir, 'history'))).toBe(false);

    t = await startTestHost({ rate: 20, config: STORE_SIM });
    const first = await snapshot(t);
    const dataDir = t.dataDir;
    await t.stop();
    t = null;
    expect(readdirSync(join(dataDir, 'history'))).toContain('sim-seed11.duckdb');
    const store = await HistoryStore.open(join(dataDir, 'history', 'sim-seed11.duckdb'), { readOnly: true });
    const stored = await store.readRange(FQME, 60, -Infinity, Infinity);
    const spans = store.spans(FQME, 60);
    await store.close();
    expect(stored.length).toBeGreaterThanOrEqual(3 * 1440); // [history] days60 = 3 in the harness
    expect(spans).toHaveLength(1);
    const newest = (m: Map<number, { close: number }>) => {
      let n = 0;
      for (let i = stored.length - 2_880; i < stored.length; i++) n += m.get(stored.time[i]!)?.close === stored.close[i] ? 1 : 0;
      return n;
    };
    expect(newest(first)).toBe(2_880);

    t = await startTestHost({ rate: 20, config: STORE_SIM, dataDir });
    const again = await snapshot(t);
    expect(newest(again)).toBe(2_880);
  }, 30_000);

  it('a datad worker crashing while its store writes is restarted; the host lives on', async () => {
    t = await startTestHost({ rate: 20, config: STORE_SIM, testHooks: true });
    const c = await t.connect();
    for (let round = 1; round <= 3; round++) {
      // Opening a market writes its history to the store: the crash lands while statements run.
      const other = ['xbtusd.spot.sim', 'solusd.spot.sim', 'ethusd.spot.sim'][round - 1]!;
      await c.call('bars.subscribe', { fqme: other, timeframe: 60, count: 100 });
      await c.call('debug.crash', { service: 'datad.sim' });
      await until(async () => (await c.call('services.list', {})).some((s) => s.name === 'datad.sim' && s.state === 'running' && s.restarts === round), `datad.sim back after crash ${round}`, 20_000);
    }
    const d = (await c.call('services.list', {})).find((s) => s.name === 'datad.sim')!;
    expect(d.lastError).toMatch(/crash requested by a test hook/);
    // The store was closed cleanly each time: the reopened worker reads what was written before the crashes.
    const sub = await c.call('bars.subscribe', { fqme: 'xbtusd.spot.sim', timeframe: 60, count: 100 });
    expect(sub.last - sub.first).toBeGreaterThan(0);
  }, 60_000);
});
