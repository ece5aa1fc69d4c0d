import { afterEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { ApiClient } from '../../core/protocol/client.js';
import type { Order } from '../../core/protocol/orders.js';
import type { FeedStatus } from '../../core/protocol/types.js';
import { mulDec, quantize } from '../../core/protocol/decimal.js';
import { startFakeVenues, type FakeVenues } from '../fakes/venues.js';
import { KrakenPrivate } from '../fakes/kraken-private.js';
import type { EngineStatus } from '../fakes/kraken-server.js';
import { lastTradePrice, startTestHost, statuses, until, type TestHost } from './harness.js';

const KEY = 'itKey-5fQ2wE8rT1yU4iO7pA0sD3';
const SECRET = Buffer.from('kraken-integration-secret-64-bytes-long-enough-for-hmac-sha512!!').toString('base64');
const XBT = 'xbtusd.spot.kraken';
const TICK = '0.1';

const order = (o: Partial<Order> & Pick<Order, 'price'>): Order => ({ action: 'buy', execMode: 'live', oid: randomUUID(), fqme: XBT, account: 'live', size: '0.01', ...o });

/** The engine status of XBT as the host reports it in `feed` events, newest last. */
function engineSeen(c: ApiClient): (string | null)[] {
  const seen: (string | null)[] = [];
  c.on('feed', (f: FeedStatus) => f.fqme === XBT && seen.push(f.engine));
  return seen;
}

/**
 * Kraken's engine status (the `status` channel) through a real host: the fake Kraken switches it on command, the
 * host shows it in the feed status the status bar reads, and emsd refuses what the engine would refuse before
 * anything reaches the venue (the fake counts every add_order and amend_order it gets).
 */
describe('kraken engine status', () => {
  let venues: FakeVenues;
  let t: TestHost;
  afterEach(async () => {
    await t?.stop();
    await venues.close();
  });

  it('shows it, refuses new live orders and changes with the reason while Kraken takes none, lets cancels through, and trades again once online', async () => {
    venues = await startFakeVenues({ rate: 30, historyMinutes: 5 });
    const priv = new KrakenPrivate(venues.kraken, { apiKey: KEY, apiSecret: SECRET });
    t = await startTestHost({ config: venues.configToml({ kraken: { api_key: KEY, api_secret: SECRET } }) });
    const c = await t.connect();
    const st = statuses(c);
    const engine = engineSeen(c);
    const px = await lastTradePrice(c, XBT, TICK);
    await until(async () => (await c.call('feeds.status', {})).find((f) => f.fqme === XBT)?.engine === 'online', 'the engine status the venue sent on connect');
    const toVenue = () => priv.requests.filter((r) => r.method === 'add_order' || r.method === 'amend_order').length;
    const switchTo = async (status: EngineStatus) => {
      venues.kraken.setEngineStatus(status);
      await until(() => engine.at(-1) === status, `the feed status to say ${status}`);
      expect((await c.call('feeds.status', {})).find((f) => f.fqme === XBT)).toMatchObject({ broker: 'kraken', engine: status });
    };

    const resting = order({ price: quantize(mulDec(px, '0.5'), TICK) });
    await c.call('orders.submit', { order: resting });
    await until(() => st.of(resting.oid).includes('open'), 'a resting order to open while online');

    for (const [status, reason] of [
      ['cancel_only', /^kraken engine is cancel_only: it takes only cancels now/],
      ['maintenance', /^kraken engine is in maintenance: it takes no new orders or changes now/],
    ] as const) {
      await switchTo(status);
      const sent = toVenue();
      const fresh = order({ price: quantize(mulDec(px, '0.5'), TICK) });
      expect(await c.call('orders.submit', { order: fresh })).toMatchObject({ resp: 'error', oid: fresh.oid, reason: expect.stringMatching(reason) });
      // "Send anyway" answers a stale feed, not a closed engine.
      expect(await c.call('orders.submit', { order: fresh, confirmStale: true })).toMatchObject({ resp: 'error', reason: expect.stringMatching(reason) });
      const moved = { ...resting, price: quantize(mulDec(px, '0.6'), TICK) };
      // Refused as a change: the answer (and what other windows hear) is the order where it stands.
      expect(await c.call('orders.submit', { order: moved })).toMatchObject({ resp: 'error', reason: expect.stringMatching(reason), req: { price: resting.price } });
      expect(st.seen.filter((s) => s.oid === resting.oid && s.resp === 'error').at(-1)?.req).toMatchObject({ price: resting.price });
      // A retry of the order already working is not a new order: it gets its status, as always.
      expect(await c.call('orders.submit', { order: resting })).toMatchObject({ resp: 'open', oid: resting.oid });
      const active = await c.call('orders.active', {});
      expect(active.map((s) => s.oid)).toEqual([resting.oid]);
      expect(active[0]!.req).toMatchObject({ price: resting.price });
      expect(toVenue()).toBe(sent);
    }

    // cancel_only takes cancels.
    await switchTo('cancel_only');
    await c.call('orders.cancel', { cancel: { action: 'cancel', oid: resting.oid, fqme: XBT } });
    await until(() => st.of(resting.oid).includes('canceled'), 'the cancel to go through in cancel_only');
    expect(priv.engine.openOrders()).toEqual([]);

    // A live dark order released meanwhile is refused as the engine would refuse it, not sent.
    const sent = toVenue();
    const dark = order({ execMode: 'dark', price: px });
    for (let i = 0; i < 10 && !st.of(dark.oid).includes('triggered'); i++) {
      // Armed at the last price, it fires on the next tick at or through it (followed if the market walks away).
      await c.call('orders.submit', { order: { ...dark, price: await lastTradePrice(c, XBT, TICK) } });
      await until(() => st.of(dark.oid).includes('triggered'), 'the dark order to fire', 2_500).catch(() => undefined);
    }
    await until(() => st.of(dark.oid).includes('error'), 'the released order to be refused');
    expect(st.seen.find((s) => s.oid === dark.oid && s.resp === 'error')!.reason).toMatch(/^kraken engine is cancel_only/);
    expect(toVenue()).toBe(sent);

    // post_only: what would take liquidity is refused; what would rest goes to the venue.
    await switchTo('post_only');
    const taker = order({ price: quantize(mulDec(px, '1.05'), TICK) });
    expect(await c.call('orders.submit', { order: taker })).toMatchObject({
      resp: 'error',
      reason: expect.stringMatching(/^kraken engine is post_only: it takes only orders that rest on the book, and this buy at [\d.]+ would take the ask at [\d.]+/),
    });
    expect(toVenue()).toBe(sent);
    const maker = order({ price: quantize(mulDec(px, '0.5'), TICK) });
    await c.call('orders.submit', { order: maker });
    await until(() => st.of(maker.oid).includes('open'), 'a resting order to open in post_only');

    // Online again: a marketable order goes through and fills.
    await switchTo('online');
    const buy = order({ price: quantize(mulDec(px, '1.01'), TICK) });
    await c.call('orders.submit', { order: buy });
    await until(() => st.of(buy.oid).includes('closed'), 'the buy to fill once online', 20_000);
    expect(st.seen.some((s) => s.oid === buy.oid && s.resp === 'error')).toBe(false);
  }, 60_000);
});
