import { describe, expect, it } from 'vitest';
import type { Order, Status, StatusResp } from '../../core/protocol/orders.js';
import { abortModify, applyStatus, beginModify, EMPTY_ORDERS, ordersOn, replaceActive, type OrdersState } from './orders-reducer.js';

const order = (over: Partial<Order> = {}): Order => ({
  action: 'buy',
  execMode: 'paper',
  oid: 'o1',
  fqme: 'xbtusd.spot.sim',
  account: 'paper',
  price: '50000',
  size: '0.025',
  ...over,
});

let clock = 1000;
const status = (resp: StatusResp, req: Status['req'] = order(), extra: Partial<Status> = {}): Status => ({
  time: clock++,
  oid: req.oid,
  resp,
  reqid: resp === 'pending' ? null : 'r1',
  req,
  src: 'paperd',
  cancelCalled: false,
  filled: '0',
  remaining: 'size' in req ? req.size : '0',
  ...extra,
});

const fold = (statuses: Status[], s: OrdersState = EMPTY_ORDERS) => statuses.reduce(applyStatus, s);

describe('orders store reducer', () => {
  it('pending -> open -> fill -> closed: the line lives until the order is done, the fill is kept', () => {
    let s = fold([status('pending'), status('open')]);
    expect(s.working.o1).toMatchObject({ resp: 'open', acked: true, order: order() });
    s = applyStatus(s, status('fill', order(), { filled: '0.01', remaining: '0.015', fill: { price: '50000', size: '0.01', tid: 't1', fee: '0.5' } }));
    expect(s.working.o1).toMatchObject({ resp: 'fill', filled: '0.01' });
    expect(s.fills).toHaveLength(1);
    expect(s.fills[0]).toMatchObject({ tid: 't1', action: 'buy', fqme: 'xbtusd.spot.sim', price: '50000', size: '0.01' });
    s = applyStatus(s, status('fill', order(), { filled: '0.025', remaining: '0', fill: { price: '49999.5', size: '0.015', tid: 't2', fee: '0.7' } }));
    expect(s.working.o1).toBeUndefined();
    expect(s.fills.map((f) => f.tid)).toEqual(['t2', 't1']);
    s = applyStatus(s, status('closed'));
    expect(s.working.o1).toBeUndefined();
    // The same fill again (event + fills.recent) is booked once.
    s = applyStatus(s, status('fill', order(), { fill: { price: '49999.5', size: '0.015', tid: 't2', fee: '0.7' } }));
    expect(s.fills).toHaveLength(2);
  });

  it('closed removes the line', () => {
    const s = fold([status('pending'), status('open'), status('closed')]);
    expect(s.working).toEqual({});
  });

  it('canceled removes the line, and a late copy of an older Status does not bring it back', () => {
    const pending = status('pending');
    const dark = status('dark_open', order({ execMode: 'dark' }));
    let s = fold([pending, dark]);
    s = applyStatus(s, status('pending', { action: 'cancel', oid: 'o1', fqme: 'xbtusd.spot.sim' }, { cancelCalled: true }));
    expect(s.working.o1).toMatchObject({ cancelCalled: true, order: order({ execMode: 'dark' }) });
    s = applyStatus(s, status('canceled', { action: 'cancel', oid: 'o1', fqme: 'xbtusd.spot.sim' }, { cancelCalled: true }));
    expect(s.working).toEqual({});
    s = applyStatus(s, dark);
    expect(s.working).toEqual({});
  });

  it('a new order refused with error never shows, and the reason is kept', () => {
    const s = applyStatus(EMPTY_ORDERS, status('error', order({ oid: 'bad' }), { reason: 'size 0 is below the venue minimum' }));
    expect(s.working).toEqual({});
    expect(s.lastError).toMatchObject({ oid: 'bad', reason: 'size 0 is below the venue minimum' });
  });

  it('a refused modify puts the line back at the previous price', () => {
    let s = fold([status('pending'), status('open')]);
    s = beginModify(s, order({ price: '49000' }));
    expect(s.working.o1!.order.price).toBe('49000');
    // emsd: pending_update reads pending, then the venue refuses and the order rolls back.
    s = applyStatus(s, status('pending', order({ price: '49000' }), { reqid: 'r1' }));
    expect(s.working.o1!.order.price).toBe('49000');
    s = applyStatus(s, status('error', order(), { reason: 'price too far' }));
    expect(s.working.o1).toMatchObject({ order: { price: '50000' }, prev: null, reason: 'price too far', acked: true });
    expect(s.lastError?.reason).toBe('price too far');
  });

  it('a modify refused at the boundary (the error echoes the bad order) also goes back', () => {
    let s = fold([status('dark_open', order({ execMode: 'dark' }))]);
    s = beginModify(s, order({ execMode: 'dark', price: '123.25' }));
    s = applyStatus(s, status('error', order({ execMode: 'dark', price: '123.25' }), { reason: 'off tick' }));
    expect(s.working.o1!.order.price).toBe('50000');
  });

  it('an accepted modify keeps the new price', () => {
    let s = fold([status('dark_open', order({ execMode: 'dark' }))]);
    s = beginModify(s, order({ execMode: 'dark', price: '51000' }));
    s = applyStatus(s, status('dark_open', order({ execMode: 'dark', price: '51000' })));
    expect(s.working.o1).toMatchObject({ order: { price: '51000' }, prev: null });
    // A modify lost with the connection goes back too.
    s = beginModify(s, order({ execMode: 'dark', price: '52000' }));
    s = abortModify(s, 'o1', 'connection closed');
    expect(s.working.o1!.order.price).toBe('51000');
  });

  it('an error about a working order (a refused cancel) keeps it', () => {
    let s = fold([status('pending'), status('open')]);
    s = applyStatus(s, status('error', order(), { reason: 'cancel refused' }));
    expect(s.working.o1).toMatchObject({ resp: 'open', reason: 'cancel refused' });
  });

  it('a triggered alert is gone; a triggered dark order works on until filled', () => {
    const alert = order({ oid: 'a1', action: 'alert', execMode: 'dark', size: '0' });
    let s = fold([status('dark_open', alert), status('triggered', alert)]);
    expect(s.working.a1).toBeUndefined();
    const dark = order({ oid: 'd1', execMode: 'dark' });
    s = fold([status('dark_open', dark), status('triggered', dark)], s);
    expect(s.working.d1).toMatchObject({ resp: 'triggered' });
  });

  it('orders.active on reconnect replaces whatever was there', () => {
    let s = fold([status('dark_open', order({ oid: 'x', execMode: 'dark' })), status('open', order({ oid: 'y' }))]);
    s = applyStatus(s, status('canceled', order({ oid: 'z' })));
    s = replaceActive(s, [status('open', order({ oid: 'y', price: '48000' })), status('dark_open', order({ oid: 'z', execMode: 'dark' }))]);
    expect(Object.keys(s.working).sort()).toEqual(['y', 'z']);
    expect(s.working.y!.order.price).toBe('48000');
    // z was ended here but the host still has it: the host wins.
    expect(s.ended.z).toBeUndefined();
  });

  it('lists a market by price, highest first', () => {
    const s = fold([
      status('open', order({ oid: 'a', price: '100' })),
      status('open', order({ oid: 'b', price: '300' })),
      status('open', order({ oid: 'c', price: '200', fqme: 'ethusd.spot.sim' })),
    ]);
    expect(ordersOn(s, 'xbtusd.spot.sim').map((w) => w.oid)).toEqual(['b', 'a']);
  });

  it('older statuses do not overwrite newer ones', () => {
    const open = status('open');
    const pending = { ...status('pending'), time: open.time - 5 };
    const s = fold([open, pending]);
    expect(s.working.o1!.resp).toBe('open');
  });
});
