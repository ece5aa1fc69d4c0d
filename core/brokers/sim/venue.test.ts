import { afterEach, describe, expect, it } from 'vitest';
import type { BrokerdMsg, BrokerdOrder } from '../../protocol/orders.js';
import type { Tick, TickType } from '../../protocol/types.js';
import { ManualClock } from '../../clearing/paper/clock.js';
import { SimBackend } from './backend.js';
import { SimVenue, simQuotes, type SimVenueOptions } from './venue.js';

const ETH = 'ethusd.spot.sim';
const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);

const closers: (() => void)[] = [];
afterEach(() => closers.splice(0).forEach((c) => c()));

function setup(opts: SimVenueOptions = {}) {
  const clock = new ManualClock(T0);
  const venue = new SimVenue({ clock, latency: { ackMs: 50, openMs: 0, cancelMs: 20 }, ...opts });
  closers.push(() => venue.close());
  const msgs: BrokerdMsg[] = [];
  venue.connect((m) => msgs.push(m));
  const of = <T extends BrokerdMsg['type']>(type: T) => msgs.filter((m): m is Extract<BrokerdMsg, { type: T }> => m.type === type);
  return { venue, clock, msgs, of };
}

let oids = 0;
function order(o: Partial<BrokerdOrder> = {}): BrokerdOrder {
  return { oid: `oid-${++oids}`, account: 'live', time: 0, fqme: ETH, price: '3000', size: '0.1', action: 'buy', reqid: null, ...o };
}
const tick = (type: TickType, price: number, size: number, time = T0): Tick => ({ type, price, size, time });
const quote = (bid: number, ask: number, size = 10) => [tick('bid', bid, size), tick('ask', ask, size)];

describe('sim venue (brokerd.sim)', () => {
  it('acks after the configured latency, with its own reqids', () => {
    const { venue, clock, msgs, of } = setup();
    venue.submit(order({ price: '2900' }));
    expect(msgs).toEqual([]);
    clock.advance(49);
    expect(msgs).toEqual([]);
    clock.advance(1);
    expect(of('ack')).toEqual([{ type: 'ack', reqid: 'sim-000001', oid: `oid-${oids}`, account: 'live' }]);
    expect(of('status')).toMatchObject([{ status: 'open', reqid: 'sim-000001', time: T0 + 50 }]);
  });

  it('plays the cancel-before-ack race: a cancel held until the ack lands, and the order never fills', () => {
    const { venue, clock, msgs } = setup();
    // What emsd does: the cancel is wanted before the reqid is known, so it goes out the moment the ack arrives.
    let cancelCalled = false;
    venue.connect((m) => {
      msgs.push(m);
      if (m.type === 'ack' && cancelCalled) venue.cancel({ oid: m.oid, reqid: m.reqid, account: m.account, time: clock.now() });
    });
    venue.onTicks(ETH, quote(3000, 3000.5));
    venue.submit(order({ price: '2999' }));
    clock.advance(10);
    cancelCalled = true;
    clock.advance(40);
    expect(msgs.map((m) => m.type)).toEqual(['ack', 'status']);
    // The order works for the cancel's 20 ms flight; the market stays away from it.
    clock.advance(20);
    expect(msgs.at(-1)).toMatchObject({ type: 'status', status: 'canceled', reqid: 'sim-000001' });
    venue.onTicks(ETH, [tick('ask', 2990, 10)]);
    expect(msgs.filter((m) => m.type === 'fill')).toEqual([]);
    expect(venue.openOrders('live')).toEqual([]);
  });

  it('books a fill that lands before the cancel, and answers the late cancel with an error', () => {
    const { venue, clock, of } = setup();
    venue.onTicks(ETH, quote(3000, 3000.5));
    venue.submit(order({ price: '2999', size: '0.2' }));
    clock.advance(50);
    const { reqid, oid } = of('ack')[0]!;
    venue.cancel({ oid, reqid, account: 'live', time: clock.now() });
    venue.onTicks(ETH, [tick('ask', 2998, 1)]);
    clock.advance(20);
    expect(of('fill')).toMatchObject([{ reqid, price: '2998', size: '0.2' }]);
    expect(of('error')).toMatchObject([{ reqid, reason: `cancel: order ${reqid} is already closed` }]);
    expect(venue.fills('live').map((f) => f.tid)).toEqual([`${reqid}-t1`]);
  });

  it('fills partially against the quoted size and the rest as the market keeps crossing', () => {
    const { venue, clock, of } = setup({ latency: { ackMs: 0, openMs: 0, cancelMs: 0 } });
    venue.onTicks(ETH, quote(2999.5, 3000, 0.25));
    venue.submit(order({ price: '3001', size: '0.5' }));
    clock.advance(1);
    venue.onTicks(ETH, [tick('ask', 3000.5, 0.1), tick('trade', 3000.25 + 0.75, 1)]);
    expect(of('fill').map((f) => [f.price, f.size])).toEqual([
      ['3000', '0.25'],
      ['3000.5', '0.1'],
      ['3001', '0.15'],
    ]);
    expect(of('status').map((s) => [s.status, s.filled, s.remaining])).toEqual([
      ['open', '0', '0.5'],
      ['open', '0.25', '0.25'],
      ['open', '0.35', '0.15'],
      ['closed', '0.5', '0'],
    ]);
  });

  it('refuses a buy the account cannot pay for, counting what its open buys already reserve', () => {
    const { venue, clock, of } = setup({ balances: { live: '1000' }, fees: { maker: '0', taker: '0.0005' }, latency: { ackMs: 0, cancelMs: 0 } });
    venue.submit(order({ price: '3000', size: '0.5' }));
    expect(of('error')[0]!.reason).toBe("insufficient funds: needs 1500.75 usd, 1000 usd available in 'live'");
    venue.submit(order({ price: '3000', size: '0.3' }));
    expect(of('ack')).toHaveLength(1);
    // 900 + 0.45 fee are reserved by the open buy: 99.55 is left.
    venue.submit(order({ price: '3000', size: '0.1' }));
    expect(of('error')[1]!.reason).toBe("insufficient funds: needs 300.15 usd, 99.55 usd available in 'live'");
    // Sells are not limited by cash; a sell fill credits notional less fee.
    venue.onTicks(ETH, quote(2999.5, 3000.5, 1));
    venue.submit(order({ action: 'sell', price: '2999.5', size: '0.2' }));
    expect(venue.balance('live')).toBe('1599.6'); // 1000 + 599.9 - 0.30 (0.29995 rounded)
    venue.onTicks(ETH, [tick('ask', 2999, 1)]);
    expect(venue.balance('live')).toBe('699.9'); // - 0.3 x 2999 (maker fee 0)
    clock.advance(1);
    expect(venue.openOrders('live')).toEqual([]);
  });

  it('refuses orders below the minimum size or notional, off the lot, or for an unknown account', () => {
    const { venue, clock, of } = setup();
    venue.submit(order({ size: '0.0005' }));
    venue.submit(order({ size: '0.001', price: '1000' }));
    venue.submit(order({ size: '0.0015' }));
    venue.submit(order({ account: 'paper' }));
    venue.submit(order({ fqme: 'pepeusd.spot.sim', price: '0.00001', size: '90000' }));
    clock.advance(100);
    expect(of('error').map((e) => e.reason)).toEqual([
      'size 0.0005 is not a multiple of the size tick 0.001',
      'notional 1 usd is below the minimum notional 5',
      'size 0.0015 is not a multiple of the size tick 0.001',
      "unknown account 'paper' at the sim venue (it has live)",
      'size 90000 is below the minimum size 100000',
    ]);
    expect(of('ack')).toEqual([]);
  });

  it('answers reconciliation queries: open orders, fills since a time, positions; across a reconnect', () => {
    const { venue, clock, msgs } = setup({ latency: { ackMs: 0, openMs: 0, cancelMs: 0 } });
    venue.onTicks(ETH, quote(2999.5, 3000, 0.05));
    venue.submit(order({ oid: 'a', price: '3000', size: '0.2' }));
    venue.submit(order({ oid: 'b', action: 'sell', price: '3100', size: '0.1' }));
    clock.advance(1000);
    // The client goes away; the venue keeps working and remembers.
    const seen = msgs.length;
    venue.connect(() => {})();
    venue.onTicks(ETH, [tick('ask', 2999.99, 0.05)]);
    expect(msgs).toHaveLength(seen);
    expect(venue.openOrders('live')).toMatchObject([
      { reqid: 'sim-000001', oid: 'a', action: 'buy', price: '3000', size: '0.2', filled: '0.1', remaining: '0.1', state: 'open', external: false },
      { reqid: 'sim-000002', oid: 'b', action: 'sell', price: '3100', filled: '0', remaining: '0.1', state: 'open' },
    ]);
    expect(venue.fills('live').map((f) => [f.price, f.size, f.time])).toEqual([
      ['3000', '0.05', T0],
      ['2999.99', '0.05', T0 + 1000],
    ]);
    expect(venue.fills('live', T0 + 1).map((f) => f.tid)).toEqual(['sim-000001-t2']);
    expect(venue.positions('live')).toEqual([
      { broker: 'sim', account: 'live', fqme: ETH, size: '0.1', avgPrice: '2999.995', currency: 'usd' },
    ]);
    expect(venue.positions('other')).toEqual([]);
  });

  it('holds an order placed outside Candlewick: queryable, announced with oid null, adoptable by modify', () => {
    const { venue, clock, of } = setup();
    const reqid = venue.injectExternalOrder({ account: 'live', fqme: ETH, action: 'sell', price: '3200', size: '0.5' });
    expect(of('status')).toMatchObject([{ reqid, oid: null, status: 'open', remaining: '0.5' }]);
    expect(venue.openOrders('live')).toMatchObject([{ reqid, oid: null, external: true, price: '3200' }]);
    // emsd adopts it under its own oid and moves it.
    venue.submit(order({ oid: 'adopted', reqid, action: 'sell', price: '3150', size: '0.5' }));
    clock.advance(50);
    expect(venue.openOrders('live')).toMatchObject([{ reqid, oid: 'adopted', price: '3150' }]);
    venue.onTicks(ETH, [tick('bid', 3150.5, 1)]);
    expect(of('fill')).toMatchObject([{ reqid, action: 'sell', price: '3150.5', size: '0.5' }]);
    expect(() => venue.injectExternalOrder({ account: 'live', fqme: ETH, action: 'buy', price: '3000', size: '0.0001' })).toThrow(
      /external order refused: size 0.0001 is not a multiple/,
    );
  });

  it('matches against the sim exchange’s own quote stream', async () => {
    const sim = new SimBackend({ seed: 11, rate: 400, intervalMs: 5 });
    closers.push(() => sim.close());
    const venue = new SimVenue({ quotes: simQuotes(sim), latency: { ackMs: 1, openMs: 0, cancelMs: 1 } });
    closers.push(() => venue.close());
    const fills: Extract<BrokerdMsg, { type: 'fill' }>[] = [];
    venue.connect((m) => m.type === 'fill' && fills.push(m));
    // A buy far above the market crosses the first ask the venue sees, and fills at that ask, on its tick.
    venue.submit(order({ fqme: ETH, price: '99999', size: '0.01' }));
    const deadline = Date.now() + 5_000;
    while (fills.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(fills).toHaveLength(1);
    expect(Number(fills[0]!.price)).toBeGreaterThan(100);
    expect(Number(fills[0]!.price)).toBeLessThan(99999);
    expect(fills[0]!.price).toMatch(/^\d+(\.\d{1,2})?$/);
  });
});
