import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDec, mulDec, subDec } from '../../core/protocol/decimal.js';
import type { BrokerdMsg } from '../../core/protocol/orders.js';
import type { BinanceDialog } from '../../core/brokers/binance/dialog.js';
import { normDec } from '../../core/brokers/binance/markets.js';
import { BTC, about, lastPrice, order, startRig, until, type Rig } from '../fakes/binance-trading-rig.js';

const types = (ms: BrokerdMsg[]) => ms.map((m) => (m.type === 'status' ? `status:${m.status}` : m.type));

describe('Binance dialog against the fake venue: orders', () => {
  let rig: Rig;
  let dialog: BinanceDialog;
  const msgs: BrokerdMsg[] = [];

  beforeAll(async () => {
    rig = await startRig();
    await until(() => rig.fake.tape('spot', 'BTCUSDT').trades.length > 0);
    dialog = rig.dialog();
    await dialog.connect((m) => msgs.push(m));
    expect(rig.priv.wsLog[0]!.method).toBe('userDataStream.subscribe.signature');
  });
  afterAll(() => rig.close());

  it('places a buy that acks, fills (partly, then fully) against the tape with exact prices and base-asset fees', async () => {
    // A few ticks above the last print: the next prints at or below it fill the resting buy, at its own price.
    const price = normDec(addDec(lastPrice(rig), '30'));
    const o = order({ price, size: '0.2' });
    const btcBefore = (await dialog.balances()).btc!;
    dialog.handle(o);
    await until(() => about(msgs, o.oid).some((m) => m.type === 'status' && m.status === 'closed'), 8_000, 'filled');
    const mine = about(msgs, o.oid);
    expect(types(mine).slice(0, 2)).toEqual(['ack', 'status:open']);
    expect(types(mine).at(-1)).toBe('status:closed');
    const reqid = (mine[0] as { reqid: string }).reqid;
    const venueFills = rig.priv.engine.fills.filter((f) => String(f.orderId) === reqid);
    const fills = mine.filter((m) => m.type === 'fill');
    expect(fills.map((f) => f.tid)).toEqual(venueFills.map((f) => String(f.id)));
    expect(fills.reduce((a, f) => addDec(a, f.size), '0')).toBe('0.2');
    // Tape trades average 0.02 BTC: the order fills in parts, each followed by an open status with what is left.
    expect(fills.length).toBeGreaterThan(1);
    const partial = mine.filter((m) => m.type === 'status' && m.status === 'open' && m.reason === 'partially filled') as { filled: string; remaining: string }[];
    expect(partial.length).toBe(fills.length - 1);
    for (const p of partial) expect(addDec(p.filled, p.remaining)).toBe('0.2');
    for (const [i, f] of fills.entries()) {
      expect(f).toMatchObject({ reqid, action: 'buy', price, size: normDec(venueFills[i]!.qty) });
      // Commission is charged in BTC on a buy; the fee is its value in USDT at the fill price, exactly.
      expect(f.brokerDetails).toEqual({ commission: normDec(venueFills[i]!.commission), commissionAsset: 'BTC' });
      expect(f.fee).toBe(normDec(mulDec(venueFills[i]!.commission, price)));
    }
    const commission = venueFills.reduce((a, f) => addDec(a, f.commission), '0');
    expect(commission).toBe('0.0002');
    const closed = mine.at(-1) as { filled: string; remaining: string };
    expect([closed.filled, closed.remaining]).toEqual(['0.2', '0']);
    expect((await dialog.balances()).btc).toBe(subDec(addDec(btcBefore, '0.2'), commission));
  });

  it('sells with the fee in the quote asset as charged', async () => {
    const price = normDec(subDec(lastPrice(rig), '30'));
    const o = order({ action: 'sell', price, size: '0.002' });
    dialog.handle(o);
    await until(() => about(msgs, o.oid).some((m) => m.type === 'status' && m.status === 'closed'), 8_000, 'filled');
    const fills = about(msgs, o.oid).filter((m) => m.type === 'fill');
    const venue = rig.priv.engine.fills.filter((f) => fills.some((x) => x.tid === String(f.id)));
    expect(venue.map((f) => f.commissionAsset)).toEqual(fills.map(() => 'USDT'));
    expect(fills.map((f) => f.fee)).toEqual(venue.map((f) => normDec(f.commission)));
    expect(fills.every((f) => f.action === 'sell' && f.price === price)).toBe(true);
  });

  it('modifies by cancel-then-place under the same client order id, then cancels with one canceled status', async () => {
    const far = normDec(subDec(lastPrice(rig), '5000'));
    const o = order({ price: far, size: '0.01' });
    dialog.handle(o);
    await until(() => types(about(msgs, o.oid)).includes('status:open'));
    const first = (about(msgs, o.oid)[0] as { reqid: string }).reqid;
    const moved = normDec(subDec(far, '100'));
    dialog.handle({ ...o, price: moved, size: '0.02', reqid: first });
    await until(() => about(msgs, o.oid).filter((m) => m.type === 'ack').length === 2, 5_000, 'second ack');
    await until(() => types(about(msgs, o.oid)).filter((t) => t === 'status:open').length === 2);
    const mine = about(msgs, o.oid);
    expect(types(mine)).toEqual(['ack', 'status:open', 'ack', 'status:open']);
    const second = (mine[2] as { reqid: string }).reqid;
    expect(second).not.toBe(first);
    const engine = rig.priv.engine;
    expect(engine.orders.get(Number(first))).toMatchObject({ status: 'CANCELED', clientOrderId: o.oid });
    expect(engine.orders.get(Number(second))).toMatchObject({ status: 'NEW', clientOrderId: o.oid, price: moved, origQty: '0.02' });
    dialog.handle({ oid: o.oid, time: Date.now(), account: 'live', reqid: second });
    await until(() => types(about(msgs, o.oid)).includes('status:canceled'));
    await new Promise((r) => setTimeout(r, 150)); // the user stream's CANCELED arrives too: it must not repeat
    expect(types(about(msgs, o.oid))).toEqual(['ack', 'status:open', 'ack', 'status:open', 'status:canceled']);
    expect(about(msgs, o.oid).at(-1)).toMatchObject({ reqid: second, filled: '0', remaining: '0.02' });
  });

  it("reports the venue's reasons: insufficient funds, below min notional, price off tick, unknown order", async () => {
    const px = normDec(subDec(lastPrice(rig), '5000'));
    const cases = [
      [order({ price: px, size: '10' }), 'Binance -2010: Account has insufficient balance for requested action.'],
      [order({ price: px, size: '0.00001' }), 'Binance -1013: Filter failure: NOTIONAL'],
      [order({ price: `${px}.001`, size: '0.01' }), 'Binance -1013: Filter failure: PRICE_FILTER'],
      [order({ price: px, size: '0.000001' }), 'Binance -1013: Filter failure: LOT_SIZE'],
    ] as const;
    for (const [o] of cases) dialog.handle(o);
    await until(() => cases.every(([o]) => about(msgs, o.oid).some((m) => m.type === 'error')));
    for (const [o, reason] of cases) expect(about(msgs, o.oid)).toEqual([{ type: 'error', reason, fqme: BTC, oid: o.oid, reqid: null }]);
    dialog.handle({ oid: 'never-placed', time: Date.now(), account: 'live', reqid: '12345' });
    await until(() => msgs.some((m) => m.type === 'error' && m.reqid === '12345'));
    expect(msgs.find((m) => m.type === 'error' && m.reqid === '12345')).toMatchObject({ reason: 'cancel: Binance has no open order 12345' });
  });

  it('passes scripted venue errors through and rides out a 429 with Retry-After', async () => {
    const px = normDec(subDec(lastPrice(rig), '5000'));
    rig.fake.spot.failHttp({ path: '/api/v3/order', count: 1, reply: { status: 400, body: { code: -2010, msg: 'Account has insufficient balance for requested action.' } } });
    const broke = order({ price: px, size: '0.01' });
    dialog.handle(broke);
    await until(() => about(msgs, broke.oid).length > 0);
    expect(about(msgs, broke.oid)[0]).toMatchObject({ type: 'error', reason: 'Binance -2010: Account has insufficient balance for requested action.' });
    rig.fake.spot.failHttp({ path: '/api/v3/order', count: 2, reply: { status: 429, body: { code: -1015, msg: 'Too many new orders; current limit is 50 orders per 10 SECOND.' }, headers: { 'retry-after': '0' } } });
    const later = order({ price: px, size: '0.01' });
    dialog.handle(later);
    await until(() => types(about(msgs, later.oid)).includes('status:open'));
    expect(types(about(msgs, later.oid))).toEqual(['ack', 'status:open']);
    expect(rig.logs.some((l) => /HTTP 429 -1015 .*retry 2\/4/.test(l))).toBe(true);
  });

  it('treats a retried place with the same client order id as the order the venue has (-2010 Duplicate order sent.)', async () => {
    const px = normDec(subDec(lastPrice(rig), '5000'));
    const o = order({ price: px, size: '0.01' });
    dialog.handle(o);
    await until(() => types(about(msgs, o.oid)).includes('status:open'));
    const orderRequests = () => rig.fake.spot.httpLog.filter((r) => r.method === 'POST' && r.path === '/api/v3/order' && r.query.get('newClientOrderId') === o.oid).length;
    dialog.handle({ ...o, time: Date.now() });
    await until(() => orderRequests() === 2);
    await until(() => rig.logs.some((l) => l.includes(`${o.oid} is already at the venue`)));
    expect(rig.priv.engine.open().filter((x) => x.clientOrderId === o.oid)).toHaveLength(1);
    const mine = about(msgs, o.oid);
    expect(mine.filter((m) => m.type === 'ack')).toHaveLength(1);
    expect(mine.filter((m) => m.type === 'error')).toHaveLength(0);
  });

  it('modifies a partly filled order to a replacement for what remains, with the totals carried over', async () => {
    const far = normDec(subDec(lastPrice(rig), '5000'));
    const o = order({ price: far, size: '0.01' });
    dialog.handle(o);
    await until(() => types(about(msgs, o.oid)).includes('status:open'));
    const first = (about(msgs, o.oid)[0] as { reqid: string }).reqid;
    rig.priv.engine.fill(rig.priv.engine.orders.get(Number(first))!, '0.004');
    await until(() => types(about(msgs, o.oid)).includes('fill'));
    dialog.handle({ ...o, price: normDec(subDec(far, '10')), size: '0.012', reqid: first });
    await until(() => about(msgs, o.oid).filter((m) => m.type === 'ack').length === 2);
    await until(() => about(msgs, o.oid).at(-1)?.type === 'status');
    const second = (about(msgs, o.oid).filter((m) => m.type === 'ack')[1] as { reqid: string }).reqid;
    expect(rig.priv.engine.orders.get(Number(second))).toMatchObject({ clientOrderId: o.oid, origQty: '0.008', status: 'NEW' });
    expect(about(msgs, o.oid).at(-1)).toMatchObject({ type: 'status', status: 'open', reqid: second, filled: '0.004', remaining: '0.008' });
    expect(types(about(msgs, o.oid))).toEqual(['ack', 'status:open', 'fill', 'status:open', 'ack', 'status:open']);
  });

  it('reports -2011 for a cancel of an order that already filled, and how it ended', async () => {
    const o = order({ price: normDec(addDec(lastPrice(rig), '30')), size: '0.001' });
    dialog.handle(o);
    await until(() => types(about(msgs, o.oid)).includes('status:closed'), 8_000, 'filled');
    const reqid = (about(msgs, o.oid)[0] as { reqid: string }).reqid;
    dialog.handle({ oid: o.oid, time: Date.now(), account: 'live', reqid });
    await until(() => types(about(msgs, o.oid)).includes('error'));
    expect(about(msgs, o.oid).filter((m) => m.type === 'error')).toEqual([{ type: 'error', reason: 'Binance -2011: Unknown order sent.', fqme: BTC, oid: o.oid, reqid }]);
    expect(types(about(msgs, o.oid)).filter((t) => t === 'status:closed')).toHaveLength(1);
  });

  it('refuses orders for USD-M markets: brokerd.binance trades spot', async () => {
    rig.markets.set('btcusdt.usdtm.perp.binance', { ...rig.markets.get(BTC)!, fqme: 'btcusdt.usdtm.perp.binance', venue: 'usdtm', expiry: 'perp' });
    const o = order({ fqme: 'btcusdt.usdtm.perp.binance', price: '50000', size: '0.01' });
    dialog.handle(o);
    await until(() => about(msgs, o.oid).length > 0);
    expect(about(msgs, o.oid)).toEqual([{ type: 'error', reason: 'btcusdt.usdtm.perp.binance: brokerd.binance trades spot only', fqme: o.fqme, oid: o.oid, reqid: null }]);
  });
});
