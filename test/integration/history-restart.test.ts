import { describe, expect, it } from 'vitest';
import { RowMirror, until } from './harness.js';
import { klines, settled, storedSpans, venueRig } from './history-helpers.js';

const FQME = 'btcusdt.spot.binance';

describe('history across a host restart (fake Binance)', () => {
  const rig = venueRig();

  it('restores the chart from storage and asks the venue only for bars newer than the newest stored one', async () => {
    const log = (await rig.startVenues()).binance.spot.httpLog;
    const t1 = await rig.startHost();
    const c1 = await t1.connect();
    await c1.call('bars.subscribe', { fqme: FQME, timeframe: 60 });
    const feed = t1.host.hub.get(FQME)!;
    await until(() => feed.link === 'live' && feed.lastTickAt !== null, 'the binance feed to go live');
    // The open's repairs (the current second's is fetched ~1.5 s after it closes) release the 1 s bars for storing;
    // stopping the host writes what has closed.
    await new Promise((r) => setTimeout(r, 1_600));
    await settled(log, 300);
    const dataDir = await rig.stopHost();

    const stored = await storedSpans(dataDir, FQME);
    expect(stored[60]).toHaveLength(1);
    expect(stored[60][0]!.bottom).toBe(true); // the fake's first minute is known: no request below it again
    expect(stored.rows60.length).toBeGreaterThanOrEqual(59);
    const hi60 = stored[60][0]!.hi;
    const hi1 = Math.max(...stored[1].map((s) => s.hi));
    expect(hi1).toBeGreaterThanOrEqual(hi60); // at least the first frame; closed live seconds when repairs were in

    const mark = log.length;
    const c2 = await (await rig.startHost(dataDir)).connect();
    const mirror = new RowMirror(c2);
    const sub = await c2.call('bars.subscribe', { fqme: FQME, timeframe: 60, count: 10_000 });
    mirror.follow(sub.streamId);
    await until(() => mirror.rows.size >= stored.rows60.length, 'the 1 m snapshot');
    await settled(log, 400);

    // Every bar the first run stored is on the chart again, as stored.
    const byTime = mirror.byTime();
    for (let i = 0; i < stored.rows60.length; i++) {
      const t0 = stored.rows60.time[i]!;
      expect(byTime.get(t0)?.close, `bar ${t0}`).toBe(stored.rows60.close[i]);
    }
    // The second start asked only for what is newer than what was stored: the top-up and the current bars.
    const reqs = klines(log, mark);
    const starts = (iv: string) => reqs.filter((r) => r.query.get('interval') === iv).map((r) => Number(r.query.get('startTime')) / 1000);
    expect(starts('1m').every((s) => s >= hi60), `1m requests from ${starts('1m')} vs stored up to ${hi60}`).toBe(true);
    expect(starts('1s').every((s) => s >= hi1), `1s requests from ${starts('1s')} vs stored up to ${hi1}`).toBe(true);
    expect(reqs.reduce((n, r) => n + Number(r.query.get('limit')), 0)).toBeLessThan(200);
  }, 30_000);
});
