import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDec, mulDec, subDec } from '../../core/protocol/decimal.js';
import type { BrokerdMsg } from '../../core/protocol/orders.js';
import { BinanceError } from '../../core/brokers/binance/rest.js';
import { normDec } from '../../core/brokers/binance/markets.js';
import { createBinanceDialog } from '../../core/brokers/binance/index.js';
import { API_KEY, API_SECRET, BTC, about, lastPrice, order, startRig, until, type Rig } from '../fakes/binance-trading-rig.js';

describe('Binance dialog: restarts, reconnects, credentials', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig({ USDT: '50000', BTC: '2' });
    await until(() => rig.fake.tape('spot', 'BTCUSDT').trades.length > 0);
  });
  afterAll(() => rig.close());

  it('after a restart, openOrders / queryOrder / fills / balances report what happened at the venue meanwhile', async () => {
    const since = Date.now() - 1_000;
    const first = rig.dialog();
    const msgs: BrokerdMsg[] = [];
    await first.connect((m) => msgs.push(m));
    const far = normDec(subDec(lastPrice(rig), '8000'));
    const resting = order({ price: far, size: '0.01' });
    const filledAway = order({ price: far, size: '0.03' });
    first.handle(resting);
    first.handle(filledAway);
    await until(() => [resting, filledAway].every((o) => about(msgs, o.oid).some((m) => m.type === 'status')));
    await first.close();

    // While brokerd is down: one of ours fills, an order placed on the website rests and partly fills.
    const engine = rig.priv.engine;
    const away = engine.find('BTCUSDT', { clientOrderId: filledAway.oid })!;
    engine.fill(away, '0.01');
    engine.fill(away, '0.02');
    const web = engine.place({ symbol: 'BTCUSDT', side: 'SELL', price: normDec(addDec(lastPrice(rig), '9000')), quantity: '0.05', clientOrderId: 'web_Rk2' });
    if ('code' in web) throw new Error(web.msg);
    engine.fill(web, '0.004');

    const second = rig.dialog();
    await second.connect(() => {});
    const open = await second.openOrders();
    expect(open.map((o) => [o.oid, o.status, o.size, o.filled, o.action]).sort()).toEqual([
      [resting.oid, 'open', '0.01', '0', 'buy'],
      ['web_Rk2', 'open', '0.05', '0.004', 'sell'],
    ]);
    expect(open.find((o) => o.oid === resting.oid)).toMatchObject({ fqme: BTC, price: far, reqid: String(engine.find('BTCUSDT', { clientOrderId: resting.oid })!.orderId) });
    expect(await second.queryOrder(BTC, filledAway.oid)).toMatchObject({ status: 'filled', filled: '0.03', size: '0.03', reqid: String(away.orderId) });
    expect(await second.queryOrder(BTC, 'never-sent')).toBeNull();

    const fills = await second.fills(BTC, since);
    const awayFills = fills.filter((f) => f.reqid === String(away.orderId));
    expect(awayFills.map((f) => [f.size, f.price, f.action])).toEqual([
      ['0.01', far, 'buy'],
      ['0.02', far, 'buy'],
    ]);
    expect(awayFills.map((f) => f.fee)).toEqual(['0.00001', '0.00002'].map((c) => normDec(mulDec(c, far))));
    const webFill = fills.find((f) => f.reqid === String(web.orderId))!;
    expect(webFill).toMatchObject({ action: 'sell', size: '0.004', fee: normDec(mulDec(mulDec('0.004', web.price), '0.001')) });
    expect(new Set(fills.map((f) => f.tid)).size).toBe(fills.length);

    const expected: Record<string, string> = {};
    for (const [asset, b] of engine.balances) if (addDec(b.free, b.locked) !== '0') expected[asset.toLowerCase()] = addDec(b.free, b.locked);
    expect(await second.balances()).toEqual(expected);

    // An order of the earlier session is still ours to cancel.
    const cancels: BrokerdMsg[] = [];
    await second.close();
    const third = rig.dialog();
    await third.connect((m) => cancels.push(m));
    third.handle({ oid: resting.oid, time: Date.now(), account: 'live', reqid: open.find((o) => o.oid === resting.oid)!.reqid });
    await until(() => cancels.some((m) => m.type === 'status' && m.status === 'canceled'));
    expect(engine.find('BTCUSDT', { clientOrderId: resting.oid })!.status).toBe('CANCELED');
  });

  it('catches up on fills it missed while the user stream was down', async () => {
    const d = rig.dialog();
    const msgs: BrokerdMsg[] = [];
    await d.connect((m) => msgs.push(m));
    const o = order({ price: normDec(subDec(lastPrice(rig), '8000')), size: '0.02' });
    d.handle(o);
    await until(() => about(msgs, o.oid).some((m) => m.type === 'status'));
    rig.fake.spot.refuseConnections = 2;
    rig.fake.spot.dropConnections();
    await until(() => rig.priv.subscribers.size === 0);
    const venueOrder = rig.priv.engine.find('BTCUSDT', { clientOrderId: o.oid })!;
    const f = rig.priv.engine.fill(venueOrder, '0.02');
    await until(() => about(msgs, o.oid).some((m) => m.type === 'status' && m.status === 'closed'), 5_000, 'caught up');
    const mine = about(msgs, o.oid);
    expect(mine.filter((m) => m.type === 'fill')).toEqual([expect.objectContaining({ tid: String(f.id), size: '0.02', price: o.price, fee: normDec(mulDec(f.commission, o.price)) })]);
    expect(mine.at(-1)).toMatchObject({ type: 'status', status: 'closed', reason: 'filled while the stream was down', filled: '0.02', remaining: '0' });
    await d.close();
  });

  it('refuses a bad signature with the documented -1022, on REST and on the user stream', async () => {
    const bad = rig.dialog({ secret: 'not-the-secret-4hT9' });
    await expect(bad.connect(() => {})).rejects.toThrow('Binance refused the user data stream: -1022 Signature for this request is not valid.');
    const err = await bad.openOrders().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BinanceError);
    expect(err).toMatchObject({ status: 400, code: -1022, venueMsg: 'Signature for this request is not valid.' });
  });

  it("signs with the venue's clock when ours is off, and recovers from a -1021 by learning it again", async () => {
    let skew = 30_000;
    const timeRequests = () => rig.fake.spot.httpLog.filter((r) => r.path === '/api/v3/time').length;
    const before = timeRequests();
    const d = rig.dialog({ now: () => Date.now() + skew });
    const msgs: BrokerdMsg[] = [];
    await d.connect((m) => msgs.push(m));
    expect(timeRequests()).toBe(before + 1);
    skew = -20_000; // the local clock jumps: the next signed request is refused once, then sent on the venue's time
    const o = order({ price: normDec(subDec(lastPrice(rig), '8000')), size: '0.01' });
    d.handle(o);
    await until(() => about(msgs, o.oid).some((m) => m.type === 'status'));
    expect(about(msgs, o.oid).map((m) => m.type)).toEqual(['ack', 'status']);
    expect(timeRequests()).toBe(before + 2);
    await d.close();
  });

  it('places once more when the venue answered a place with a 5XX and has no such order', async () => {
    const d = rig.dialog();
    const msgs: BrokerdMsg[] = [];
    await d.connect((m) => msgs.push(m));
    rig.fake.spot.failHttp({ path: '/api/v3/order', count: 1, reply: { status: 503, body: { code: -1007, msg: 'Timeout waiting for response from backend server. Send status unknown; execution status unknown.' } } });
    const o = order({ price: normDec(subDec(lastPrice(rig), '8000')), size: '0.01' });
    d.handle(o);
    await until(() => about(msgs, o.oid).some((m) => m.type === 'status'));
    expect(about(msgs, o.oid).map((m) => m.type)).toEqual(['ack', 'status']);
    expect(rig.priv.engine.open().filter((x) => x.clientOrderId === o.oid)).toHaveLength(1);
    expect(rig.fake.spot.httpLog.filter((r) => r.path === '/api/v3/order' && r.query.get('origClientOrderId') === o.oid && r.method === 'GET')).toHaveLength(1);
    await d.close();
  });

  it('pages account trades: 24 h windows, then by trade id past 1000 in a window', async () => {
    const engine = rig.priv.engine;
    const big = engine.place({ symbol: 'ETHUSDT', side: 'BUY', price: '100.00', quantity: '101', clientOrderId: 'many-fills' });
    if ('code' in big) throw new Error(big.msg);
    for (let i = 0; i < 1_005; i++) engine.fill(big, '0.1');
    const d = rig.dialog();
    const n = rig.fake.spot.httpLog.length;
    const fills = await d.fills('ethusdt.spot.binance', Date.now() - 2 * 24 * 3_600_000 - 5_000);
    expect(fills).toHaveLength(1_005);
    expect(fills.every((f) => f.reqid === String(big.orderId) && f.size === '0.1' && f.price === '100')).toBe(true);
    expect(new Set(fills.map((f) => f.tid)).size).toBe(1_005);
    const asked = rig.fake.spot.httpLog.slice(n).filter((r) => r.path === '/api/v3/myTrades').map((r) => (r.query.has('fromId') ? 'fromId' : 'window'));
    expect(asked).toEqual(['window', 'window', 'window', 'fromId']);
  });

  it('builds the dialog from the [binance] section only with both credentials', () => {
    const section = { rest_url: rig.fake.spot.httpUrl, ws_api_url: `${rig.fake.spot.wsUrl}/ws-api/v3`, api_key: API_KEY, api_secret: '' };
    expect(createBinanceDialog(section, () => undefined, () => {})).toBeNull();
    expect(createBinanceDialog({ ...section, api_key: ' ', api_secret: API_SECRET }, () => undefined, () => {})).toBeNull();
    const d = createBinanceDialog({ ...section, api_secret: API_SECRET }, () => undefined, () => {});
    expect(d).toMatchObject({ broker: 'binance', account: 'live' });
  });

  it('never writes the API key or secret to a log line', () => {
    expect(rig.logs.length).toBeGreaterThan(5);
    const all = rig.logs.join('\n');
    for (const secret of [API_KEY, API_SECRET, 'not-the-secret-4hT9']) expect(all.includes(secret)).toBe(false);
    // The signed requests did carry them: the log is clean because nothing logs a query or a frame.
    expect(rig.priv.wsLog.some((r) => r.params.apiKey === API_KEY)).toBe(true);
  });
});
