import { describe, expect, it } from 'vitest';
import type { BrokerdMsg, BrokerdOrder } from '../../protocol/orders.js';
import type { MktPair, Tick, TickType } from '../../protocol/types.js';
import { ManualClock } from './clock.js';
import { PaperEngine, type PaperEngineOptions } from './engine.js';

const ETH: MktPair = {
  fqme: 'ethusd.spot.sim',
  broker: 'sim',
  venue: 'spot',
  expiry: null,
  bsMktid: 'ETHUSD',
  dst: { name: 'eth', atype: 'crypto', txTick: '0.00000001' },
  src: { name: 'usd', atype: 'fiat', txTick: '0.01' },
  priceTick: '0.01',
  sizeTick: '0.001',
  minSize: '0.001',
  minNotional: '5',
};
const EUR: MktPair = { ...ETH, fqme: 'eurusd.fx.sim', bsMktid: 'EURUSD', priceTick: '0.00001', sizeTick: '1', minSize: '1000' };
const MARKETS = new Map([ETH, EUR].map((m) => [m.fqme, m]));

function setup(opts: Partial<PaperEngineOptions> = {}) {
  const msgs: BrokerdMsg[] = [];
  const clock = new ManualClock(1_000_000);
  const paper = new PaperEngine({
    broker: 'sim',
    market: (f) => MARKETS.get(f),
    emit: (m) => msgs.push(m),
    clock,
    latency: { ackMs: 0, openMs: 0, cancelMs: 0 },
    session: 't',
    ...opts,
  });
  const of = <T extends BrokerdMsg['type']>(type: T) => msgs.filter((m): m is Extract<BrokerdMsg, { type: T }> => m.type === type);
  return { paper, msgs, clock, of };
}

let oids = 0;
function order(o: Partial<BrokerdOrder> = {}): BrokerdOrder {
  return { oid: `oid-${++oids}`, account: 'paper', time: 0, fqme: ETH.fqme, price: '100', size: '1', action: 'buy', reqid: null, ...o };
}

const tick = (type: TickType, price: number, size: number, time = 1): Tick => ({ type, price, size, time });
const quote = (bid: number, ask: number, size = 10) => [tick('bid', bid, size), tick('ask', ask, size)];

describe('paperd: the paper engine', () => {
  it('fills a marketable buy at the ask for the quoted size and rests the remainder', () => {
    const { paper, msgs, of } = setup();
    paper.onTicks(ETH.fqme, quote(100.4, 100.5, 0.4));
    paper.submit(order({ price: '101', size: '1' }));
    expect(msgs.map((m) => m.type)).toEqual(['ack', 'status', 'fill', 'status', 'position']);
    const reqid = of('ack')[0]!.reqid;
    expect(reqid).toMatch(/^paper-t-\d{6}$/);
    expect(of('status')[0]).toMatchObject({ status: 'open', filled: '0', remaining: '1' });
    expect(of('fill')[0]).toMatchObject({ reqid, action: 'buy', price: '100.5', size: '0.4' });
    expect(of('status')[1]).toMatchObject({ status: 'open', filled: '0.4', remaining: '0.6', reqid });
    expect(of('position')[0]).toMatchObject({ broker: 'sim', account: 'paper', fqme: ETH.fqme, size: '0.4', avgPrice: '100.5', currency: 'usd' });
    expect(paper.resting(ETH.fqme).buys).toMatchObject([{ reqid, remaining: '0.6', price: '101' }]);

    // The quoted size is used up: a second marketable buy on the same quote waits for the next ask.
    paper.submit(order({ price: '101', size: '1' }));
    expect(of('fill')).toHaveLength(1);
    paper.onTicks(ETH.fqme, [tick('ask', 100.6, 5)]);
    expect(of('fill').slice(1).map((f) => [f.reqid, f.price, f.size])).toEqual([
      [reqid, '100.6', '0.6'],
      [of('ack')[1]!.reqid, '100.6', '1'],
    ]);
    expect(of('status').filter((s) => s.status === 'closed')).toHaveLength(2);
    expect(paper.resting(ETH.fqme).buys).toEqual([]);
    expect(paper.positions()).toEqual([expect.objectContaining({ size: '2', avgPrice: '100.58' })]);
  });

  it('fills a resting sell when a bid crosses it, at the bid', () => {
    const { paper, of } = setup();
    paper.onTicks(ETH.fqme, quote(100, 100.01));
    paper.submit(order({ action: 'sell', price: '101', size: '2' }));
    paper.onTicks(ETH.fqme, [tick('bid', 100.99, 50), tick('ask', 101.5, 50), tick('trade', 100.99, 3)]);
    expect(of('fill')).toEqual([]);
    paper.onTicks(ETH.fqme, [tick('bid', 101.2, 5)]);
    expect(of('fill')).toMatchObject([{ action: 'sell', price: '101.2', size: '2' }]);
    expect(of('status').at(-1)).toMatchObject({ status: 'closed', filled: '2', remaining: '0', reason: 'filled' });
    expect(of('position').at(-1)).toMatchObject({ size: '-2', avgPrice: '101.2' });
  });

  it('fills on trade prints, both sides, up to the printed size, at the print price', () => {
    const { paper, of } = setup();
    paper.submit(order({ action: 'buy', price: '99', size: '1' }));
    paper.submit(order({ action: 'sell', price: '98', size: '1' }));
    paper.onTicks(ETH.fqme, [tick('trade', 98.5, 0.3, 7)]);
    expect(of('fill').map((f) => [f.action, f.price, f.size, f.brokerTime])).toEqual([
      ['buy', '98.5', '0.3', 7],
      ['sell', '98.5', '0.3', 7],
    ]);
    paper.onTicks(ETH.fqme, [tick('last', 99.01, 5)]);
    expect(of('fill').slice(2).map((f) => [f.action, f.price, f.size])).toEqual([['sell', '99.01', '0.7']]);
  });

  it('sums partial fills exactly, whatever the float sizes of the quotes', () => {
    const { paper, of } = setup();
    paper.submit(order({ price: '100', size: '0.3' }));
    paper.onTicks(ETH.fqme, [tick('ask', 99.99, 0.1)]);
    paper.onTicks(ETH.fqme, [tick('ask', 99.99, 0.2)]);
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(of('fill').map((f) => f.size)).toEqual(['0.1', '0.2']);
    expect(of('status').at(-1)).toMatchObject({ status: 'closed', filled: '0.3', remaining: '0' });
  });

  it('makes float quotes exact on the price tick', () => {
    const { paper, of } = setup();
    paper.onTicks(EUR.fqme, [tick('ask', 1.0800000000000001, 5000)]);
    paper.submit(order({ fqme: EUR.fqme, price: '1.08', size: '3000' }));
    expect(of('fill')).toMatchObject([{ price: '1.08', size: '3000' }]);
  });

  it('charges exact taker and maker fees, rounded to the quote asset’s smallest unit', () => {
    const { paper, of } = setup({ fees: { taker: '0.001', maker: '-0.0002' } });
    paper.onTicks(ETH.fqme, quote(3012.36, 3012.37));
    paper.submit(order({ price: '3012.37', size: '0.123' }));
    // 3012.37 x 0.123 = 370.52151; x 0.001 = 0.37052151 -> 0.37
    expect(of('fill')[0]).toMatchObject({ price: '3012.37', fee: '0.37', brokerDetails: { liquidity: 'taker' } });
    paper.submit(order({ action: 'sell', price: '3100', size: '0.5' }));
    paper.onTicks(ETH.fqme, [tick('bid', 3100.01, 1)]);
    // 3100.01 x 0.5 = 1550.005; x -0.0002 = -0.310001 -> -0.31 (a rebate)
    expect(of('fill')[1]).toMatchObject({ price: '3100.01', fee: '-0.31', brokerDetails: { liquidity: 'maker' } });
    expect(paper.fills().map((f) => f.fee)).toEqual(['0.37', '-0.31']);
  });

  it('books an order placed before any quote as taker on the quote that first crosses it, maker after that', () => {
    const { paper, of } = setup({ fees: { taker: '0.001', maker: '0' } });
    paper.submit(order({ price: '101', size: '1' }));
    paper.onTicks(ETH.fqme, quote(100.4, 100.5, 0.4));
    expect(of('fill')[0]).toMatchObject({ size: '0.4', brokerDetails: { liquidity: 'taker' } });
    expect(of('fill')[0]!.fee).not.toBe('0');
    // Still marketable while the asks it reaches run out: what it takes next is taker too.
    paper.onTicks(ETH.fqme, [tick('ask', 100.6, 0.1)]);
    expect(of('fill')[1]).toMatchObject({ size: '0.1', brokerDetails: { liquidity: 'taker' } });
    // The ask moves above it: now it rests, and the next ask that reaches it came to it.
    paper.onTicks(ETH.fqme, [tick('ask', 101.5, 5)]);
    paper.onTicks(ETH.fqme, [tick('ask', 100.9, 5)]);
    expect(of('fill')[2]).toMatchObject({ size: '0.5', fee: '0', brokerDetails: { liquidity: 'maker' } });
  });

  it('modifies a resting order (same oid, known reqid) and refuses to modify a filled one', () => {
    const { paper, of } = setup();
    paper.onTicks(ETH.fqme, quote(99.5, 100.5));
    const o = order({ price: '99', size: '1' });
    paper.submit(o);
    const reqid = of('ack')[0]!.reqid;
    paper.submit({ ...o, reqid, price: '100', size: '2' });
    expect(of('ack').map((a) => a.reqid)).toEqual([reqid, reqid]);
    expect(of('status').at(-1)).toMatchObject({ status: 'open', reason: 'modified', remaining: '2' });
    expect(paper.resting(ETH.fqme).buys).toMatchObject([{ reqid, oid: o.oid, price: '100', size: '2' }]);
    paper.onTicks(ETH.fqme, [tick('ask', 100, 5)]);
    expect(of('fill')).toMatchObject([{ reqid, price: '100', size: '2' }]);
    paper.submit({ ...o, reqid, price: '101', size: '3' });
    expect(of('error').at(-1)).toMatchObject({ reqid, oid: o.oid, reason: expect.stringMatching(/already closed/) });
    paper.submit({ ...o, reqid: 'paper-nope', price: '101' });
    expect(of('error').at(-1)!.reason).toMatch(/unknown reqid 'paper-nope'/);
  });

  it('refuses a modify that changes side or shrinks below what is filled', () => {
    const { paper, of } = setup();
    paper.onTicks(ETH.fqme, quote(99.5, 100, 0.5));
    const o = order({ price: '100', size: '1' });
    paper.submit(o);
    const reqid = of('ack')[0]!.reqid;
    paper.submit({ ...o, reqid, action: 'sell' });
    expect(of('error').at(-1)!.reason).toMatch(/cannot change side/);
    paper.submit({ ...o, reqid, size: '0.5' });
    expect(of('error').at(-1)!.reason).toMatch(/not above the 0.5 already filled/);
    expect(paper.openOrders()).toMatchObject([{ reqid, remaining: '0.5' }]);
  });

  it('cancels a resting order; a second cancel or an unknown reqid is an error', () => {
    const { paper, of } = setup();
    paper.submit(order({ price: '90', size: '1' }));
    const { reqid, oid } = of('ack')[0]!;
    paper.cancel({ oid, reqid, account: 'paper', time: 0 });
    expect(of('status').at(-1)).toMatchObject({ status: 'canceled', reqid, oid, filled: '0' });
    expect(paper.resting(ETH.fqme).buys).toEqual([]);
    paper.onTicks(ETH.fqme, [tick('ask', 89, 10)]);
    expect(of('fill')).toEqual([]);
    paper.cancel({ oid, reqid, account: 'paper', time: 0 });
    expect(of('error').at(-1)!.reason).toMatch(/already canceled/);
    paper.cancel({ oid: 'x', reqid: 'paper-unknown', account: 'paper', time: 0 });
    expect(of('error').at(-1)).toMatchObject({ reqid: 'paper-unknown', reason: expect.stringMatching(/unknown reqid/) });
  });

  it('rejects orders for another account, of size 0 or less, or off the price tick, and sends nothing else', () => {
    const { paper, msgs, of } = setup();
    paper.submit(order({ account: 'live' }));
    paper.submit(order({ size: '0' }));
    paper.submit(order({ size: '-1' }));
    paper.submit(order({ price: '100.005' }));
    paper.submit(order({ fqme: 'nope.spot.sim' }));
    expect(msgs.every((m) => m.type === 'error')).toBe(true);
    expect(of('error').map((e) => e.reason)).toEqual([
      "paperd trades only account 'paper', not 'live'",
      "size must be a decimal > 0, got '0'",
      "size must be a decimal > 0, got '-1'",
      'price 100.005 is not a multiple of the price tick 0.01',
      "unknown market 'nope.spot.sim'",
    ]);
    expect(of('error')[0]).toMatchObject({ fqme: ETH.fqme, reqid: null });
  });

  it('fills many resting orders in price priority, then time priority, until the quoted size runs out', () => {
    const { paper, of } = setup();
    const prices = ['97', '99', '95', '98', '99', '96'];
    for (const price of prices) paper.submit(order({ price, size: '1' }));
    const reqOf = (i: number) => of('ack')[i]!.reqid;
    paper.onTicks(ETH.fqme, [tick('ask', 96, 3.5)]);
    expect(of('fill').map((f) => [f.reqid, f.price, f.size])).toEqual([
      [reqOf(1), '96', '1'],
      [reqOf(4), '96', '1'],
      [reqOf(3), '96', '1'],
      [reqOf(0), '96', '0.5'],
    ]);
    expect(paper.resting(ETH.fqme).buys.map((o) => [o.price, o.remaining])).toEqual([
      ['97', '0.5'],
      ['96', '1'],
      ['95', '1'],
    ]);
  });

  it('keeps a position with an exact average: grows move it, reductions keep it, a flip restarts it', () => {
    const { paper } = setup();
    const fillAt = (action: 'buy' | 'sell', px: number, size: string) => {
      paper.onTicks(ETH.fqme, quote(px, px, 100));
      paper.submit(order({ action, price: String(px), size }));
    };
    fillAt('buy', 100, '1');
    fillAt('buy', 101, '2');
    expect(paper.positions()[0]).toMatchObject({ size: '3', avgPrice: '100.6666666667' });
    fillAt('sell', 105, '1');
    expect(paper.positions()[0]).toMatchObject({ size: '2', avgPrice: '100.6666666667' });
    fillAt('sell', 99, '3');
    expect(paper.positions()[0]).toMatchObject({ size: '-1', avgPrice: '99' });
    fillAt('buy', 98, '1');
    expect(paper.positions()[0]).toMatchObject({ size: '0', avgPrice: '0' });
  });

  it('acks at once and opens after the latency model’s delay (10 ms by default, as piker)', () => {
    const msgs: BrokerdMsg[] = [];
    const clock = new ManualClock(0);
    const paper = new PaperEngine({ broker: 'sim', market: (f) => MARKETS.get(f), emit: (m) => msgs.push(m), clock });
    paper.onTicks(ETH.fqme, quote(99, 100));
    paper.submit(order({ price: '100', size: '1' }));
    expect(msgs.map((m) => m.type)).toEqual(['ack']);
    clock.advance(9);
    expect(msgs).toHaveLength(1);
    clock.advance(1);
    expect(msgs.map((m) => m.type)).toEqual(['ack', 'status', 'fill', 'status', 'position']);
    expect(msgs[2]).toMatchObject({ time: 10 });
  });

  it('lets a listener answer synchronously: a cancel sent on the ack acts on settled state', () => {
    const run = (openMs: number) => {
      const msgs: BrokerdMsg[] = [];
      const clock = new ManualClock(0);
      const paper: PaperEngine = new PaperEngine({
        broker: 'sim',
        market: (f) => MARKETS.get(f),
        clock,
        latency: { ackMs: 0, openMs },
        emit: (m) => {
          msgs.push(m);
          if (m.type === 'ack') paper.cancel({ oid: m.oid, reqid: m.reqid, account: 'paper', time: 0 });
        },
      });
      paper.onTicks(ETH.fqme, quote(99, 100));
      paper.submit(order({ price: '100' }));
      clock.advance(50);
      return msgs.map((m) => (m.type === 'status' ? m.status : m.type));
    };
    // The cancel lands while the order waits to open: it never works, never fills.
    expect(run(10)).toEqual(['ack', 'canceled']);
    // With no latency the open and its fill were already decided behind the ack: the cancel finds it filled.
    expect(run(0)).toEqual(['ack', 'open', 'fill', 'closed', 'position', 'error']);
  });
});
