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
});
