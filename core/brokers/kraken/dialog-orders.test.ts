import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addDec, mulDec, roundDec, subDec } from '../../protocol/decimal.js';
import { MAKER_FEE, TAKER_FEE } from '../../../test/fakes/kraken-engine.js';
import { canon } from './executions.js';
import { connected, of, offQuote, order, startHarness, until, type Harness } from './dialog.test-util.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

/** The tape's quote as exact decimals. */
function quote() {
  const t = h.fake.tape();
  return { bid: t.fmt(t.quote!.bid), ask: t.fmt(t.quote!.ask) };
}

const feeOf = (price: string, size: string, rate: string) => canon(roundDec(mulDec(mulDec(price, size), rate), 4, 'half-up'));

describe('kraken brokerd dialog: orders', () => {
  it('places a marketable buy: ack, open, fills at the venue price with the exact fee, closed; balances move exactly', async () => {
    const { d, msgs } = await connected(h);
    const px = addDec(quote().ask, '500');
    const o = order({ action: 'buy', price: px, size: '0.8' });
    d.handle(o);
    await until('closed', () => of(msgs, 'status').some((s) => s.status === 'closed'), 6_000);
    const ack = of(msgs, 'ack')[0]!;
    expect(ack).toEqual({ type: 'ack', reqid: expect.stringMatching(/^O/), oid: o.oid, account: 'live' });
    expect(msgs.indexOf(ack)).toBe(0);
    const venue = h.priv.engine.orders.get(ack.reqid)!;
    expect(venue.clOrdId).toBe(o.oid);
    const trades = h.priv.engine.trades.filter((t) => t.orderId === ack.reqid);
    const fills = of(msgs, 'fill');
    expect(fills.length).toBeGreaterThan(1); // the quote's size first (taker), then tape trades (maker)
    expect(fills.map((f) => [f.tid, f.reqid, f.action, f.price, f.size, f.fee])).toEqual(
      trades.map((t) => [t.txid, ack.reqid, 'buy', canon(t.price), canon(t.qty), feeOf(t.price, t.qty, t.maker ? MAKER_FEE : TAKER_FEE)]),
    );
    expect(trades[0]!.maker).toBe(false);
    expect(trades.at(-1)!.maker).toBe(true);
    expect(fills.reduce((s, f) => addDec(s, f.size), '0')).toBe('0.8');
    expect(of(msgs, 'status').at(-1)).toMatchObject({ status: 'closed', reqid: ack.reqid, oid: o.oid, filled: '0.8', remaining: '0' });
    const spent = fills.reduce((s, f) => addDec(s, addDec(mulDec(f.price, f.size), f.fee)), '0');
    const bal = await d.balances();
    expect(bal).toMatchObject({ xbt: '1.8', usd: canon(subDec('100000', spent)), eth: '10' });
    expect(of(msgs, 'error')).toEqual([]);
    // The price went out digit for digit as a JSON number.
    expect(h.priv.requests.find((r) => r.method === 'add_order')!.params).toMatchObject({ limit_price: px, order_qty: '0.8', cl_ord_id: o.oid, symbol: 'BTC/USD' });
  });

  it('amends in place (same order id), then cancels with the venue reason', async () => {
    const { d, msgs } = await connected(h);
    const low = offQuote(h, 'bid', '0.8');
    const o = order({ action: 'buy', price: low, size: '0.01' });
    d.handle(o);
    await until('open', () => of(msgs, 'status').some((s) => s.status === 'open'));
    const reqid = of(msgs, 'ack')[0]!.reqid;
    const lower = subDec(low, '100');
    d.handle({ ...o, reqid, price: lower, size: '0.02' });
    await until('amended', () => of(msgs, 'status').some((s) => s.reason === 'User requested'));
    expect(h.priv.engine.orders.get(reqid)).toMatchObject({ limit: lower, qty: '0.02', status: 'open' });
    expect(h.priv.requests.find((r) => r.method === 'amend_order')!.params).toMatchObject({ order_id: reqid, order_qty: '0.02', limit_price: lower });
    expect(of(msgs, 'status').at(-1)).toMatchObject({ status: 'open', reqid, filled: '0', remaining: '0.02' });
    d.handle({ oid: o.oid, time: Date.now(), account: 'live', reqid });
    await until('canceled', () => of(msgs, 'status').some((s) => s.status === 'canceled'));
    expect(of(msgs, 'status').at(-1)).toMatchObject({ status: 'canceled', reqid, oid: o.oid, reason: 'User requested', remaining: '0' });
    expect(h.priv.engine.orders.get(reqid)!.status).toBe('canceled');
    expect(h.priv.engine.orders.size).toBe(1);
    // Canceling again: the venue's words come back as an error.
    d.handle({ oid: o.oid, time: Date.now(), account: 'live', reqid });
    await until('error', () => of(msgs, 'error').length > 0);
    expect(of(msgs, 'error')[0]).toMatchObject({ reason: 'EOrder:Unknown order', reqid, oid: o.oid, fqme: 'xbtusd.spot.kraken' });
  });

  it('rejects with the venue reason: insufficient funds, below minimum, rate limit, invalid arguments, unknown market', async () => {
    const { d, msgs } = await connected(h);
    const bid = quote().bid;
    const big = order({ action: 'buy', price: bid, size: '100' });
    const tiny = order({ action: 'buy', price: bid, size: '0.00001' });
    const limited = order({ action: 'buy', price: bid, size: '0.01' });
    const nowhere = order({ action: 'buy', price: '1', size: '1', fqme: 'dogeusd.spot.kraken' });
    const malformed = order({ action: 'sell', price: bid, size: '0.01' });
    h.priv.failNext('add_order', 'EOrder:Rate limit exceeded');
    d.handle(limited);
    d.handle(big);
    d.handle(tiny);
    d.handle(nowhere);
    await until('errors', () => of(msgs, 'error').length === 4);
    h.priv.failNext('add_order', 'EGeneral:Invalid arguments');
    d.handle(malformed);
    await until('errors', () => of(msgs, 'error').length === 5);
    const byOid = new Map(of(msgs, 'error').map((e) => [e.oid, e]));
    expect(byOid.get(big.oid)).toEqual({ type: 'error', reason: 'EOrder:Insufficient funds', fqme: 'xbtusd.spot.kraken', oid: big.oid, reqid: null });
    expect(byOid.get(tiny.oid)!.reason).toBe('EOrder:Order minimum not met');
    expect(byOid.get(limited.oid)!.reason).toBe('EOrder:Rate limit exceeded');
    expect(byOid.get(nowhere.oid)!.reason).toMatch(/unknown market dogeusd\.spot\.kraken/);
    expect(byOid.get(malformed.oid)!.reason).toBe('EGeneral:Invalid arguments');
    // A price that is not a plain decimal never reaches the wire (nor throws at emsd).
    const sent = h.priv.requests.length;
    d.handle(order({ action: 'buy', price: '1e5', size: '0.01' }));
    expect(of(msgs, 'error').at(-1)!.reason).toMatch(/limit_price must be a plain decimal/);
    expect(h.priv.requests).toHaveLength(sent);
    expect(of(msgs, 'ack')).toEqual([]);
    expect(h.priv.engine.orders.size).toBe(0);
  });

  it('never sends a retried submit twice: in flight, acked, or with its answer lost (found by cl_ord_id)', async () => {
    const { d, msgs } = await connected(h);
    const low = offQuote(h, 'bid', '0.8');
    const a = order({ action: 'buy', price: low, size: '0.01' });
    d.handle(a);
    d.handle(a);
    await until('ack', () => of(msgs, 'ack').length === 1);
    d.handle(a);
    await until('second ack', () => of(msgs, 'ack').length === 2);
    expect(of(msgs, 'ack')[1]).toEqual(of(msgs, 'ack')[0]);
    // The answer to this one is lost in a silence; the dialog reconnects and finds the order by cl_ord_id.
    const b = order({ action: 'buy', price: low, size: '0.02' });
    h.fake.venue.silence(400);
    d.handle(b);
    await until('b acked', () => of(msgs, 'ack').some((m) => m.oid === b.oid), 6_000);
    const adds = h.priv.requests.filter((r) => r.method === 'add_order').map((r) => (r.params as { cl_ord_id: string }).cl_ord_id);
    expect(adds.filter((x) => x === a.oid)).toHaveLength(1);
    expect(adds.filter((x) => x === b.oid)).toHaveLength(1);
    expect([...h.priv.engine.orders.values()].map((o) => o.clOrdId)).toEqual([a.oid, b.oid]);
    await until('b open', () => of(msgs, 'status').some((s) => s.oid === b.oid && s.status === 'open'));
  });
});
