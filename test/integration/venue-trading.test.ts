import { afterEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { ApiClient } from '../../core/protocol/client.js';
import type { ReconcileReport } from '../../core/protocol/messages.js';
import { STALE_MARKET_REASON, type Order } from '../../core/protocol/orders.js';
import { addDec, mulDec, quantize, subDec } from '../../core/protocol/decimal.js';
import { startFakeVenues, type FakeVenues } from '../fakes/venues.js';
import { FakeBinancePrivate } from '../fakes/binance-private.js';
import { KrakenPrivate } from '../fakes/kraken-private.js';
import { lastTradePrice, startTestHost, statuses, until, type TestHost } from './harness.js';

const KEY = 'itKey-5fQ2wE8rT1yU4iO7pA0sD3';
const SECRET = 'itSecret-9gH2jK5lZ8xC1vB4nM7qW0';
const KRAKEN_SECRET = Buffer.from('kraken-integration-secret-64-bytes-long-enough-for-hmac-sha512!!').toString('base64');
const BTC = 'btcusdt.spot.binance';
const XBT = 'xbtusd.spot.kraken';

const order = (o: Partial<Order> & Pick<Order, 'fqme' | 'price' | 'size'>): Order => ({ action: 'buy', execMode: 'live', oid: randomUUID(), account: 'live', ...o });
const reports = (c: ApiClient) => {
  const seen: ReconcileReport[] = [];
  c.on('reconcile', (r) => seen.push(r));
  return seen;
};
const brokerds = async (c: ApiClient) => (await c.call('services.list', {})).map((s) => s.name).filter((n) => n.startsWith('brokerd'));

/** emsd through a real host against the fake Binance and Kraken private APIs: the live order path end to end. */
describe('live trading on fake venues', () => {
  let venues: FakeVenues;
  let hosts: TestHost[] = [];
  afterEach(async () => {
    for (const h of hosts) await h.stop();
    hosts = [];
    await venues.close();
  });

  const start = async (extra: Record<string, Record<string, unknown>>, dataDir?: string) => {
    const t = await startTestHost({ config: venues.configToml(extra), ...(dataDir ? { dataDir } : {}) });
    hosts.push(t);
    return t;
  };

  it('binance: accounts, a fill, a modify, a cancel and a reject, with brokerd started by the first live order', async () => {
    venues = await startFakeVenues({ rate: 30, historyMinutes: 5 });
    const priv = new FakeBinancePrivate(venues.binance, { apiKey: KEY, apiSecret: SECRET, balances: { USDT: '100000' } });
    const t = await start({ binance: { api_key: KEY, api_secret: SECRET } });
    const c = await t.connect();
    const accounts = await c.call('accounts.list', {});
    expect(accounts).toContainEqual({ broker: 'binance', account: 'live', mode: 'live' });
    expect(accounts.find((a) => a.broker === 'kraken' && a.account === 'live')).toMatchObject({ mode: 'paper', note: expect.stringMatching(/no API keys/) });
    expect(accounts.find((a) => a.broker === 'bybit' && a.account === 'live')).toMatchObject({ mode: 'paper', note: expect.stringMatching(/no trading endpoint/) });
    const st = statuses(c);
    const px = await lastTradePrice(c, BTC, '0.01');
    expect(await brokerds(c)).toEqual([]);

    // Marketable: the fake fills it against its tape (price at or through the buy limit).
    const buy = order({ fqme: BTC, price: quantize(mulDec(px, '1.01'), '0.01'), size: '0.01' });
    await c.call('orders.submit', { order: buy });
    await until(() => st.of(buy.oid).includes('closed'), 'the live buy to fill', 20_000);
    expect(await brokerds(c)).toEqual(['brokerd.binance']);
    const fills = st.seen.filter((s) => s.oid === buy.oid && s.resp === 'fill');
    expect(fills.map((f) => f.fill!.size).reduce((a, b) => addDec(a, b))).toBe('0.01');
    await until(async () => (await c.call('positions.list', {})).find((p) => p.broker === 'binance' && p.account === 'live')?.size === '0.01', 'the binance position');

    // Resting far below: moved (cancel-replace at the venue), then canceled.
    const rest = order({ fqme: BTC, price: quantize(mulDec(px, '0.5'), '0.01'), size: '0.01' });
    await c.call('orders.submit', { order: rest });
    await until(() => st.of(rest.oid).includes('open'), 'the resting order to open');
    const moved = { ...rest, price: quantize(mulDec(px, '0.6'), '0.01') };
    await c.call('orders.submit', { order: moved });
    await until(() => priv.engine.open('BTCUSDT').some((o) => o.price === moved.price), 'the venue to hold the moved order', 10_000);
    expect(priv.engine.open('BTCUSDT')).toHaveLength(1);
    await c.call('orders.cancel', { cancel: { action: 'cancel', oid: rest.oid, fqme: BTC } });
    await until(() => st.of(rest.oid).includes('canceled'), 'the cancel');
    await until(() => priv.engine.open('BTCUSDT').length === 0, 'nothing open at the venue');

    // Too big for the balance: the venue's reason reaches the client.
    const huge = order({ fqme: BTC, price: quantize(mulDec(px, '0.9'), '0.01'), size: '100' });
    await c.call('orders.submit', { order: huge });
    await until(() => st.of(huge.oid).includes('error'), 'the reject');
    expect(st.seen.find((s) => s.oid === huge.oid && s.resp === 'error')!.reason).toMatch(/insufficient balance/i);
  }, 40_000);

  it('binance: after a restart, orders filled meanwhile are settled, an order opened elsewhere is adopted, positions compared', async () => {
    venues = await startFakeVenues({ rate: 30, historyMinutes: 5 });
    const priv = new FakeBinancePrivate(venues.binance, { apiKey: KEY, apiSecret: SECRET, balances: { USDT: '100000', BTC: '0.5' } });
    const first = await start({ binance: { api_key: KEY, api_secret: SECRET } });
    const c = await first.connect();
    const st = statuses(c);
    const px = await lastTradePrice(c, BTC, '0.01');
    const rest = order({ fqme: BTC, price: quantize(mulDec(px, '0.5'), '0.01'), size: '0.02' });
    await c.call('orders.submit', { order: rest });
    await until(() => st.of(rest.oid).includes('open'), 'the resting order to open');
    await first.stop();
    hosts = hosts.filter((h) => h !== first);

    // While Candlewick is down: the order fills at the venue, and the trader places another one on the website.
    const venueOrder = priv.engine.find('BTCUSDT', { clientOrderId: rest.oid })!;
    priv.engine.fill(venueOrder, '0.02');
    const ext = priv.engine.place({ symbol: 'BTCUSDT', side: 'SELL', price: quantize(mulDec(px, '2'), '0.01'), quantity: '0.1', clientOrderId: 'web_123' });
    expect('orderId' in ext).toBe(true);

    const second = await start({ binance: { api_key: KEY, api_secret: SECRET } }, first.dataDir);
    await second.host.ems.reconciling;
    const c2 = await second.connect();
    const active = await c2.call('orders.active', {});
    expect(active.find((s) => s.oid === rest.oid)).toBeUndefined();
    expect(active.find((s) => s.req.price === quantize(mulDec(px, '2'), '0.01'))).toMatchObject({ resp: 'open', req: { action: 'sell', size: '0.1' } });
    const pos = (await c2.call('positions.list', {})).find((p) => p.broker === 'binance' && p.account === 'live');
    expect(pos?.size).toBe('0.02');
    const report = second.host.ems.lastReconcile!;
    expect(report.orders.find((o) => o.oid === rest.oid)?.outcome).toMatch(/^filled/);
    expect(report.orders.some((o) => /adopted/.test(o.outcome))).toBe(true);
    // The venue holds 0.5 BTC from before plus the fill (less the fee in BTC); the ledger only the fill.
    expect(report.differences).toEqual([{ fqme: BTC, asset: 'btc', ledger: '0.02', venue: expect.any(String) }]);
  }, 40_000);

  it('binance: the reconciliation report reaches a client that connects later, and every client once', async () => {
    venues = await startFakeVenues({ rate: 30, historyMinutes: 5 });
    new FakeBinancePrivate(venues.binance, { apiKey: KEY, apiSecret: SECRET, balances: { USDT: '100000' } });
    const first = await start({ binance: { api_key: KEY, api_secret: SECRET } });
    const c = await first.connect();
    const st = statuses(c);
    const px = await lastTradePrice(c, BTC, '0.01');
    const rest = order({ fqme: BTC, price: quantize(mulDec(px, '0.5'), '0.01'), size: '0.01' });
    await c.call('orders.submit', { order: rest });
    await until(() => st.of(rest.oid).includes('open'), 'the resting order to open');
    await first.stop();
    hosts = hosts.filter((h) => h !== first);

    // The venue is slow to list open orders: one client is there while emsd reconciles, the others come after.
    const release = venues.binance.spot.holdHttp('/api/v3/openOrders');
    const second = await start({ binance: { api_key: KEY, api_secret: SECRET } }, first.dataDir);
    const early = await second.connect();
    const earlyReports = reports(early);
    await early.call('orders.active', {});
    await until(() => venues.binance.spot.httpLog.some((r) => r.path === '/api/v3/openOrders'), 'emsd to ask the venue');
    expect(earlyReports).toEqual([]);
    release();
    await second.host.ems.reconciling;
    await until(() => earlyReports.length > 0, 'the report broadcast to the client that was there');
    expect(earlyReports[0]!.orders).toEqual([{ oid: rest.oid, outcome: expect.stringMatching(/^open at the venue/) }]);

    const late = await second.connect();
    const lateReports = reports(late);
    const active = await late.call('orders.active', {});
    expect(active.map((s) => s.oid)).toEqual([rest.oid]);
    await until(() => lateReports.length > 0, 'the report for the client that connected later');
    expect(lateReports).toEqual(earlyReports);
    // Asking again (a resync) or being there for the broadcast does not send it twice; a round trip after each
    // ask has let anything it would have sent arrive.
    for (const cl of [early, late]) {
      await cl.call('orders.active', {});
      await cl.call('accounts.list', {});
    }
    expect(earlyReports).toHaveLength(1);
    expect(lateReports).toHaveLength(1);
    // A client that does not follow orders (a CLI listing services) is not sent one.
    const cli = await second.connect();
    const cliReports = reports(cli);
    await cli.call('services.list', {});
    await cli.call('accounts.list', {});
    expect(cliReports).toEqual([]);
  }, 40_000);

  it('binance: a live order on a stale market asks before sending', async () => {
    venues = await startFakeVenues({ rate: 30, historyMinutes: 5 });
    new FakeBinancePrivate(venues.binance, { apiKey: KEY, apiSecret: SECRET, balances: { USDT: '100000' } });
    const t = await start({ binance: { api_key: KEY, api_secret: SECRET, stale_ms: 300 } });
    const c = await t.connect();
    const st = statuses(c);
    const px = await lastTradePrice(c, BTC, '0.01');
    // brokerd.binance up first: a silence also holds back the venue's answers on its private socket.
    const first = order({ fqme: BTC, price: quantize(mulDec(px, '0.5'), '0.01'), size: '0.01' });
    await c.call('orders.submit', { order: first });
    await until(() => st.of(first.oid).includes('open'), 'a first live order to open');
    venues.binance.spot.silence(1_500);
    await until(() => t.host.hub.get(BTC)?.link === 'stale', 'the feed to go stale');
    const o = order({ fqme: BTC, price: quantize(mulDec(px, '0.5'), '0.01'), size: '0.01' });
    const refused = await c.call('orders.submit', { order: o });
    expect(refused.resp).toBe('error');
    expect(refused.reason).toMatch(new RegExp(`^${STALE_MARKET_REASON}: ${BTC} is stale`));
    const sent = await c.call('orders.submit', { order: o, confirmStale: true });
    expect(sent.resp).not.toBe('error');
  }, 30_000);

  it('kraken: a fill, a resting order canceled, and reconciliation of an order canceled while away', async () => {
    venues = await startFakeVenues({ rate: 30, historyMinutes: 5 });
    const priv = new KrakenPrivate(venues.kraken, { apiKey: KEY, apiSecret: KRAKEN_SECRET });
    const first = await start({ kraken: { api_key: KEY, api_secret: KRAKEN_SECRET } });
    const c = await first.connect();
    const st = statuses(c);
    const px = await lastTradePrice(c, XBT, '0.1');
    const buy = order({ fqme: XBT, price: quantize(mulDec(px, '1.01'), '0.1'), size: '0.01' });
    await c.call('orders.submit', { order: buy });
    await until(() => st.of(buy.oid).includes('closed'), 'the kraken buy to fill', 20_000);
    const rest = order({ fqme: XBT, price: quantize(mulDec(px, '0.5'), '0.1'), size: '0.01' });
    await c.call('orders.submit', { order: rest });
    await until(() => st.of(rest.oid).includes('open'), 'the resting order to open');
    const away = order({ fqme: XBT, price: quantize(subDec(mulDec(px, '0.5'), '100'), '0.1'), size: '0.01' });
    await c.call('orders.submit', { order: away });
    await until(() => st.of(away.oid).includes('open'), 'the second resting order to open');
    await c.call('orders.cancel', { cancel: { action: 'cancel', oid: rest.oid, fqme: XBT } });
    await until(() => st.of(rest.oid).includes('canceled'), 'the kraken cancel');
    await first.stop();
    hosts = hosts.filter((h) => h !== first);
    expect('error' in priv.engine.cancel({ clOrdId: away.oid })).toBe(false);

    const second = await start({ kraken: { api_key: KEY, api_secret: KRAKEN_SECRET } }, first.dataDir);
    await second.host.ems.reconciling;
    const c2 = await second.connect();
    expect((await c2.call('orders.active', {})).find((s) => s.oid === away.oid)).toBeUndefined();
    expect(second.host.ems.lastReconcile!.orders.find((o) => o.oid === away.oid)?.outcome).toMatch(/^canceled/);
    const pos = (await c2.call('positions.list', {})).find((p) => p.broker === 'kraken' && p.account === 'live');
    expect(pos?.size).toBe('0.01');
  }, 40_000);
});
