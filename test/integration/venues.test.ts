import { afterEach, describe, expect, it } from 'vitest';
import type { Quote } from '../../core/protocol/types.js';
import type { FeedStatus } from '../../core/protocol/types.js';
import { startFakeVenues, type FakeVenues } from '../fakes/venues.js';
import { startTestHost, until, type TestHost } from './harness.js';

/** A real host whose venue backends point at local fake exchanges (config.toml), as a user points at a testnet. */
describe('venue feeds through the host', () => {
  let venues: FakeVenues | null = null;
  let t: TestHost | null = null;
  afterEach(async () => {
    await t?.stop();
    await venues?.close();
    t = venues = null;
  });

  it('refetches the bars a dropped connection missed: the 1 s buffer equals the bars recomputed from the trades', async () => {
    venues = await startFakeVenues({ rate: 20, historyMinutes: 10 });
    t = await startTestHost({ config: venues.configToml() });
    const c = await t.connect();
    await c.call('quotes.subscribe', { fqme: 'btcusdt.spot.binance' });
    const feed = t.host.hub.get('btcusdt.spot.binance')!;
    await until(() => feed.link === 'live' && feed.lastTickAt !== null, 'the binance feed to go live');
    // Down for 2 s: the venue refuses reconnects meanwhile, trades keep printing on its tape.
    venues.binance.spot.refuseConnections = 1_000;
    venues.binance.spot.dropConnections();
    await until(() => feed.link === 'down' || feed.link === 'connecting', 'the link to go down');
    await new Promise((r) => setTimeout(r, 2_000));
    venues.binance.spot.refuseConnections = 0;
    await until(() => feed.link === 'live', 'the link to come back', 10_000);
    const tape = venues.binance.tape('spot', 'BTCUSDT');
    const check = () => {
      const buf = t!.host.hub.get('btcusdt.spot.binance')!.buffers.get(1)!;
      const closed = Math.floor(Date.now() / 1000) - 1;
      const c1 = buf.cols;
      const from = closed - 20;
      const got = [];
      for (let i = buf.first; i < buf.last; i++) {
        const time = c1.time[i]!;
        if (time >= from && time < closed) got.push([time, c1.open[i], c1.high[i], c1.low[i], c1.close[i], c1.volume[i]!.toFixed(5)]);
      }
      const want = tape.bars(1, from, closed).map((b) => [b.time, b.open, b.high, b.low, b.close, b.volume.toFixed(5)]);
      return { got, want };
    };
    // The bar in progress at the reconnect is repaired once it has closed (plus a grace for the venue's candle).
    await new Promise((r) => setTimeout(r, 3_000));
    const { got, want } = check();
    expect(got.length).toBe(20);
    expect(got).toEqual(want);
    const datad = (await c.call('services.list', {})).find((s) => s.name === 'datad.binance')!;
    expect(datad.detail.reconnects).toBeGreaterThanOrEqual(1);
    expect(datad.detail.repairs).toBeGreaterThanOrEqual(1);
  }, 30_000);

  it('feeds the chart from the backup venue while the primary is down, and switches back on recovery', async () => {
    venues = await startFakeVenues({ rate: 20, historyMinutes: 10 });
    t = await startTestHost({ config: venues.configToml({ failover: { 'btcusdt.spot.binance': 'btcusdt.spot.bybit' } }) });
    const c = await t.connect();
    const statuses: FeedStatus[] = [];
    const quotes: Quote[] = [];
    c.on('feed', (f) => statuses.push(f));
    c.on('quote', (q) => quotes.push(q));
    await c.call('quotes.subscribe', { fqme: 'btcusdt.spot.binance' });
    const lastTrade = () => {
      for (let i = quotes.length - 1; i >= 0; i--) {
        const tr = quotes[i]!.ticks.filter((k) => k.type === 'trade').pop();
        if (tr) return tr.price;
      }
      return null;
    };
    // The fakes print far apart (binance ~50k, bybit ~30k), so a price says which venue is feeding.
    await until(() => (lastTrade() ?? 0) > 40_000, 'binance trades');
    venues.binance.spot.refuseConnections = 1_000;
    venues.binance.spot.dropConnections();
    await until(() => statuses.some((s) => s.source === 'btcusdt.spot.bybit'), 'the failover to be announced');
    quotes.length = 0;
    await until(() => (lastTrade() ?? 1e9) < 40_000, 'bybit trades on the binance chart', 10_000);
    expect(statuses.at(-1)).toMatchObject({ fqme: 'btcusdt.spot.binance', source: 'btcusdt.spot.bybit', live: true });
    venues.binance.spot.refuseConnections = 0;
    await until(() => statuses.at(-1)?.source === 'btcusdt.spot.binance' && statuses.at(-1)?.link === 'live', 'the switch back', 10_000);
    quotes.length = 0;
    await until(() => (lastTrade() ?? 0) > 40_000, 'binance trades again', 10_000);
  }, 30_000);
});
