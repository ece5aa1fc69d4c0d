import { describe, expect, it } from 'vitest';
import { RowMirror, until } from './harness.js';
import { klines, settled, venueRig } from './history-helpers.js';

/** Gap detection against the fake Binance: a hole it serves once is refetched; one it never fills is recorded. */
describe('history gaps (fake Binance)', () => {
  const rig = venueRig();

  it('refetches 1 m bars a klines answer skipped, and records the ones the venue never has (no bars invented)', async () => {
    const fake = (await rig.startVenues()).binance;
    const minute = Math.floor(Date.now() / 60_000) * 60;
    const once = { symbol: 'BTCUSDT', interval: 60, from: minute - 30 * 60, to: minute - 25 * 60, times: 1 };
    const never = { symbol: 'ETHUSDT', interval: 60, from: minute - 20 * 60, to: minute - 17 * 60, times: Infinity };
    fake.klineHoles.push(once, never);
    const c = await (await rig.startHost()).connect();
    const changed: { fqme: string; timeframe: number }[] = [];
    c.on('gaps', (e) => changed.push(e));
    const mirrors = await Promise.all(
      ['btcusdt.spot.binance', 'ethusdt.spot.binance'].map(async (fqme) => {
        const m = new RowMirror(c);
        return m.follow((await c.call('bars.subscribe', { fqme, timeframe: 60 })).streamId);
      }),
    );
    await settled(fake.spot.httpLog, 400);

    // Detected and asked for again: exactly the missing run, once per hole.
    const asked = klines(fake.spot.httpLog).filter((r) => r.query.get('interval') === '1m');
    const refetch = (h: typeof once) =>
      asked.filter((r) => r.query.get('symbol') === h.symbol && Number(r.query.get('startTime')) === h.from * 1000 && Number(r.query.get('endTime')) === (h.to - 60) * 1000);
    expect(refetch(once)).toHaveLength(1);
    expect(refetch(never)).toHaveLength(1);

    // BTC: the chart has every minute (the refetch filled it); ETH: the three minutes are absent, never made up.
    await until(() => mirrors[0]!.rows.size > 50, 'the BTC snapshot');
    const btc = mirrors[0]!.byTime();
    const eth = mirrors[1]!.byTime();
    const tape = fake.tape('spot', 'BTCUSDT').bars(60, once.from, once.to);
    expect(tape).toHaveLength(5);
    for (const b of tape) expect(btc.get(b.time)?.close, `BTC ${b.time}`).toBe(b.close);
    for (let s = never.from; s < never.to; s += 60) expect(eth.has(s), `ETH ${s}`).toBe(false);
    expect(eth.has(never.from - 60) && eth.has(never.to)).toBe(true);

    // Marked: the gap is recorded with its reason, and the API lists it.
    const gaps = await until(async () => {
      const g = await c.call('history.gaps', { fqme: 'ethusdt.spot.binance' });
      return g.length ? g : null;
    }, 'the recorded gap');
    expect(gaps.map((g) => [g.fqme, g.timeframe, g.start, g.end, g.bars])).toEqual([['ethusdt.spot.binance', 60, never.from, never.to, 3]]);
    expect(gaps[0]!.reason).toMatch(/venue has no bars/);
    expect(await c.call('history.gaps', { fqme: 'btcusdt.spot.binance' })).toEqual([]);
    // And said so: charts ask again on the `gaps` event (of that market only; BTC's hole was filled, nothing recorded).
    await until(() => changed.length > 0, 'the gaps event');
    expect(changed).toContainEqual({ fqme: 'ethusdt.spot.binance', timeframe: 60 });
    expect(changed.filter((e) => e.fqme !== 'ethusdt.spot.binance')).toEqual([]);
  }, 30_000);
});
