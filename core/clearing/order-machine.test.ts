import { describe, expect, it } from 'vitest';
import type { BrokerdMsg } from '../protocol/orders.js';
import { adoptExternal, step, submitOrder } from './order-machine.js';
import { eventFromBrokerd, type OrderRecord } from './order-state.js';
import { alert, darkBuy, ev, ok, open, order, partiallyFilled, pending, run, submitted } from './order-fixtures.test-util.js';

const refusal = (rec: OrderRecord, e: Parameters<typeof step>[1]): string => {
  const t = step(rec, e);
  if (t.ok) throw new Error(`expected a refusal, got ${t.record.state}`);
  return t.reason;
};

describe('submit', () => {
  it('sends a live order with no reqid and answers pending', () => {
    const t = submitOrder(order(), 'sim', 5);
    expect(t.record.state).toBe('submitted');
    expect(t.status).toMatchObject({ resp: 'pending', src: 'sim', reqid: null, filled: '0', remaining: '4', time: 5 });
    expect(t.actions).toEqual([
      {
        kind: 'send_order',
        venue: 'sim',
        msg: { oid: 'o1', account: 'sim.main', time: 5, fqme: 'xbtusd.spot.sim', price: '100', size: '4', action: 'buy', reqid: null },
      },
    ]);
  });

  it('arms dark orders and alerts in emsd instead', () => {
    for (const o of [order({ execMode: 'dark' }), order({ action: 'alert', size: '0' })]) {
      const t = submitOrder(o, 'paperd', 1);
      expect(t.record.state).toBe('dark_open');
      expect(t.status).toMatchObject({ resp: 'dark_open', src: 'dark' });
      expect(t.actions).toEqual([{ kind: 'arm', order: o }]);
    }
  });
});

describe('cancel before ack', () => {
  it('remembers the cancel and sends it the moment the ack arrives, then confirms canceled', () => {
    const sub = submitted();
    const c = ok(step(sub, ev.cancel(sub)));
    expect(c.record).toMatchObject({ state: 'pending_cancel', cancelCalled: true, reqid: null });
    expect(c.actions).toEqual([]);
    expect(c.status).toMatchObject({ resp: 'pending', cancelCalled: true, req: { action: 'cancel' } });

    const a = ok(step(c.record, ev.ack('r9')));
    expect(a.record).toMatchObject({ state: 'pending_cancel', reqid: 'r9' });
    const msg = { oid: 'o1', time: expect.any(Number), account: 'sim.main', reqid: 'r9' };
    expect(a.actions).toEqual([{ kind: 'send_cancel', venue: 'sim', msg }]);

    expect(refusal(a.record, ev.ack('r9'))).toMatch(/duplicate ack/);
    const done = ok(step(a.record, ev.status('canceled', 'user')));
    expect(done.record.state).toBe('canceled');
    expect(done.status).toMatchObject({ resp: 'canceled', reason: 'user', cancelCalled: true });
  });

  it('refuses statuses and fills that arrive before the ack', () => {
    const c = run(submitted(), ev.cancel(submitted()));
    expect(refusal(c, ev.status('open'))).toMatch(/before the ack/);
    expect(refusal(c, ev.fill(c, '1'))).toMatch(/before the ack/);
    expect(refusal(submitted(), ev.status('open'))).toMatch(/before the ack/);
  });

  it('an unacked order refused by the venue ends rejected even with a cancel pending', () => {
    const c = run(submitted(), ev.cancel(submitted()));
    const t = ok(step(c, ev.error('insufficient funds')));
    expect(t.record.state).toBe('rejected');
    expect(t.status).toMatchObject({ resp: 'error', reason: 'insufficient funds' });
  });

  it('sends the cancel at once when the reqid is known, and a second cancel is refused', () => {
    const o = open();
    const t = ok(step(o, ev.cancel(o)));
    expect(t.actions).toMatchObject([{ kind: 'send_cancel', msg: { reqid: 'r1' } }]);
    expect(refusal(t.record, ev.cancel(t.record))).toMatch(/cancel already requested/);
  });

  it('a refused cancel leaves the order working as before', () => {
    const p = partiallyFilled();
    const c = run(p, ev.cancel(p));
    const t = ok(step(c, ev.error('too late to cancel')));
    expect(t.record).toMatchObject({ state: 'partially_filled', cancelCalled: false, filled: '1', remaining: '3' });
    expect(t.status.resp).toBe('error');
  });
});

describe('fills', () => {
  it('partial fills then cancel: the remaining is canceled, the filled stays booked', () => {
    let r = open();
    const f1 = ok(step(r, ev.fill(r, '1.5', 'a')));
    expect(f1.record).toMatchObject({ state: 'partially_filled', filled: '1.5', remaining: '2.5' });
    expect(f1.status).toMatchObject({ resp: 'fill', fill: { tid: 'a', size: '1.5', price: '100', fee: '0.01' } });
    expect(f1.actions).toMatchObject([{ kind: 'book_fill', fill: { oid: 'o1', reqid: 'r1', tid: 'a', size: '1.5', action: 'buy' } }]);
    r = run(f1.record, ev.fill(f1.record, '0.5', 'b'), ev.cancel(f1.record));
    expect(r).toMatchObject({ state: 'pending_cancel', filled: '2', remaining: '2' });
    r = run(r, ev.fill(r, '1', 'c'));
    expect(r.state).toBe('pending_cancel');
    r = run(r, ev.status('canceled'));
    expect(r).toMatchObject({ state: 'canceled', filled: '3', remaining: '1', tids: ['a', 'b', 'c'] });
  });

  it('a fill after cancel is still booked, once per trade id, up to the remaining', () => {
    const r = run(open(), ev.status('canceled'));
    const t = ok(step(r, ev.fill(r, '1', 'late')));
    expect(t.record).toMatchObject({ state: 'canceled', filled: '1', remaining: '3' });
    expect(t.actions[0]!.kind).toBe('book_fill');
    expect(refusal(t.record, ev.fill(t.record, '1', 'late'))).toMatch(/late is already booked/);
    expect(refusal(t.record, ev.fill(t.record, '3.5'))).toMatch(/exceeds the remaining 3/);
  });

  it('filling the whole size ends filled; the venue closed then ends the dialog; later fills are dropped', () => {
    const o = open();
    const f = ok(step(o, ev.fill(o, '4', 'all')));
    expect(f.record).toMatchObject({ state: 'filled', remaining: '0', filled: '4' });
    expect(refusal(f.record, ev.fill(f.record, '1', 'x'))).toMatch(/fill x after the order was filled: dropped/);
    const c = run(f.record, ev.status('closed'));
    expect(c.state).toBe('closed');
    expect(refusal(c, ev.fill(c, '1', 'y'))).toMatch(/fill y after the order was closed: dropped/);
    expect(refusal(c, ev.fill(c, '1', 'all'))).toMatch(/fill all is already booked/);
  });

  it('refuses a fill larger than the remaining, of the wrong side, or malformed', () => {
    const p = partiallyFilled();
    expect(refusal(p, ev.fill(p, '3.0001'))).toMatch(/exceeds the remaining 3/);
    expect(refusal(p, { ...ev.fill(p, '1'), action: 'sell' } as never)).toMatch(/is a sell, the order a buy/);
    expect(refusal(p, ev.fill(p, '0'))).toMatch(/must be a decimal above 0/);
    expect(refusal(p, ev.fill(p, '1', 'z', '-1'))).toMatch(/price "-1"/);
    expect(refusal(p, { ...ev.fill(p, '1'), fee: 'free' } as never)).toMatch(/fee "free"/);
  });

  it('adds exactly (no float drift)', () => {
    let r = open();
    for (let i = 0; i < 3; i++) r = run(r, ev.fill(r, '0.1'));
    expect(r).toMatchObject({ filled: '0.3', remaining: '3.7' });
  });
});

describe('modify (resend the same oid)', () => {
  it('while open: resends with the known reqid, then the venue confirms', () => {
    const o = open();
    const m = ok(step(o, ev.modify(o, { price: '99', size: '5' })));
    expect(m.record).toMatchObject({ state: 'pending_update', remaining: '5', order: { price: '99' } });
    expect(m.actions).toMatchObject([{ kind: 'send_order', msg: { reqid: 'r1', price: '99', size: '5' } }]);
    expect(m.status.resp).toBe('pending');
    const back = run(m.record, ev.status('open'));
    expect(back).toMatchObject({ state: 'open', beforeUpdate: null, order: { price: '99' } });
  });

  it('a refused modify puts the order back as the venue last confirmed it, even after two drags', () => {
    const o = open();
    const m1 = run(o, ev.modify(o, { price: '99' }));
    const m2 = run(m1, ev.modify(m1, { price: '98' }));
    const t = ok(step(m2, ev.error('price out of band')));
    expect(t.record).toMatchObject({ state: 'open', order: { price: '100' }, remaining: '4', beforeUpdate: null });
    expect(t.status).toMatchObject({ resp: 'error', reason: 'price out of band', req: { price: '100' } });
  });

  it('a venue that re-keys on modify gives a new reqid in its ack', () => {
    const o = open();
    const r = run(o, ev.modify(o), ev.ack('r7'), ev.status('open'));
    expect(r).toMatchObject({ state: 'open', reqid: 'r7' });
  });

  it('refuses modifies before the ack, during a cancel, below the filled, or changing more than price/size', () => {
    expect(refusal(submitted(), ev.modify(submitted()))).toMatch(/before the venue acks/);
    const o = open();
    const c = run(o, ev.cancel(o));
    expect(refusal(c, ev.modify(c))).toMatch(/a cancel is in flight/);
    const p = partiallyFilled();
    expect(refusal(p, ev.modify(p, { size: '1' }))).toMatch(/new size 1 does not exceed the 1 already filled/);
    expect(refusal(o, ev.modify(o, { action: 'sell' }))).toMatch(/not action \(buy -> sell\)/);
    expect(refusal(o, ev.modify(o, { execMode: 'paper' }))).toMatch(/not execMode/);
    expect(refusal(o, ev.modify(o, { oid: 'other' }))).toMatch(/modify carries oid other/);
  });
});

describe('dark orders and alerts', () => {
  it('a dark buy triggers, goes out as a marketable limit, and then follows the live flow', () => {
    const d = darkBuy();
    const moved = ok(step(d, ev.modify(d, { price: '101' })));
    expect(moved.actions).toEqual([{ kind: 'rearm', order: moved.record.order }]);
    const t = ok(step(moved.record, ev.trigger('101.5')));
    expect(t.record).toMatchObject({ state: 'triggered', releasedAt: '101.5', reqid: null });
    expect(t.status).toMatchObject({ resp: 'triggered', src: 'dark' });
    expect(t.actions).toMatchObject([{ kind: 'send_order', venue: 'sim', msg: { price: '101.5', size: '4', reqid: null, action: 'buy' } }]);
    const a = ok(step(t.record, ev.ack('r3')));
    expect(a.status).toMatchObject({ resp: 'pending', src: 'sim', reqid: 'r3' });
    const f = run(a.record, ev.status('open'), ev.fill(a.record, '4'), ev.status('closed'));
    expect(f).toMatchObject({ state: 'closed', filled: '4' });
  });

  it('a canceled dark order is disarmed at once, with no venue involved', () => {
    const d = darkBuy();
    const t = ok(step(d, ev.cancel(d)));
    expect(t.record.state).toBe('canceled');
    expect(t.actions).toEqual([{ kind: 'disarm', oid: 'o1' }]);
    expect(t.status).toMatchObject({ resp: 'canceled', src: 'dark', req: { action: 'cancel' } });
  });

  it('an alert fires once: triggered to the clients, a notification, then closed', () => {
    const a = alert();
    const t = ok(step(a, ev.trigger()));
    expect(t.record.state).toBe('closed');
    expect(t.status).toMatchObject({ resp: 'triggered', src: 'dark' });
    expect(t.actions).toEqual([{ kind: 'notify', order: a.order }]);
    expect(refusal(t.record, ev.trigger())).toMatch(/trigger is not a legal event in state closed/);
  });

  it('refuses a release at a price that is no decimal above 0', () => {
    expect(refusal(darkBuy(), ev.trigger('0'))).toMatch(/release price "0"/);
  });
});

describe('venue statuses', () => {
  it('an open status after a partial fill reads partially_filled; pending statuses change nothing', () => {
    const p = pending();
    const f = run(p, ev.fill(p, '1'));
    expect(f.state).toBe('partially_filled');
    expect(run(p, ev.status('pending')).state).toBe('pending');
  });

  it('errors about a working order are reported without ending it', () => {
    const t = ok(step(open(), ev.error('rate limited')));
    expect(t.record.state).toBe('open');
    expect(t.status).toMatchObject({ resp: 'error', reason: 'rate limited' });
  });

  it('turns brokerd messages into events', () => {
    const msgs: BrokerdMsg[] = [
      { type: 'ack', reqid: 'r', oid: 'o1', account: 'a' },
      {
        type: 'status',
        time: 1,
        reqid: 'r',
        status: 'canceled',
        oid: 'o1',
        account: 'a',
        filled: '0',
        remaining: '4',
        reason: 'expired',
      },
      { type: 'fill', time: 1, brokerTime: 1, reqid: 'r', tid: 't', action: 'buy', size: '1', price: '100', fee: '0' },
      { type: 'error', reason: 'no', fqme: 'x', oid: 'o1', reqid: 'r' },
      { type: 'position', broker: 'sim', account: 'a', fqme: 'x', size: '1', avgPrice: '1', currency: 'usd' },
    ];
    expect(msgs.map((m) => eventFromBrokerd(m, 9)?.kind ?? null)).toEqual(['ack', 'status_canceled', 'fill', 'error', null]);
    expect(eventFromBrokerd(msgs[1]!, 9)).toEqual({ kind: 'status_canceled', time: 9, reason: 'expired' });
  });
});

describe('adopting an external order', () => {
  it('takes it as it stands at the venue', () => {
    const t = adoptExternal(order({ oid: 'ext-1', size: '2' }), 'sim', 'v-9', '0.5', 3);
    expect(t.ok && t.record).toMatchObject({ state: 'partially_filled', reqid: 'v-9', filled: '0.5', remaining: '1.5' });
    expect(t.ok && t.status).toMatchObject({ resp: 'open', src: 'sim' });
    expect(adoptExternal(order(), 'sim', 'v', '4', 3).ok).toBe(false);
  });
});
