import { describe, expect, it } from 'vitest';
import type { JournalEntry, AppendRecord } from '../journal/index.js';
import type { Order, Status } from '../../protocol/orders.js';
import { finishedRecord, recoveryPlan, replayOrders } from './recovery.js';

let seq = 0;
const entries = (...records: AppendRecord[]): JournalEntry[] => records.map((r) => ({ ...r, seq: ++seq, time: 1 }) as JournalEntry);

const order = (over: Partial<Order> = {}): Order => ({
  action: 'buy',
  execMode: 'paper',
  oid: 'o1',
  fqme: 'xbtusd.spot.sim',
  account: 'paper',
  price: '100',
  size: '2',
  ...over,
});
const status = (o: Order, resp: Status['resp'], over: Partial<Status> = {}): Status => ({
  time: 1,
  oid: o.oid,
  resp,
  reqid: null,
  req: o,
  src: 'paperd',
  cancelCalled: false,
  ...over,
});
const fill = (tid: string, size: string) => ({ time: 1, brokerTime: 1, reqid: 'r1', tid, action: 'buy' as const, size, price: '100', fee: '0' });
const plan = (...records: AppendRecord[]) => recoveryPlan(replayOrders(entries(...records)).get('o1')!);

describe('emsd recovery plan', () => {
  it('places a working order again for what remained', () => {
    const o = order();
    expect(plan({ type: 'order', order: o }, { type: 'status', status: status(o, 'open', { reqid: 'r1' }), state: 'open' }, { type: 'fill', oid: 'o1', fill: fill('t1', '0.5') })).toEqual({
      kind: 'replace',
      size: '1.5',
    });
    // Intent durable, its status not yet: still placed.
    expect(plan({ type: 'order', order: o })).toEqual({ kind: 'replace', size: '2' });
  });

  it('keeps an order finished once its fills reach its size, even without the closing status', () => {
    const o = order();
    const p = plan({ type: 'order', order: o }, { type: 'fill', oid: 'o1', fill: fill('t1', '1.5') }, { type: 'fill', oid: 'o1', fill: fill('t2', '0.5') }, { type: 'fill', oid: 'o1', fill: fill('t2', '0.5') });
    expect(p).toEqual({ kind: 'finished', state: 'filled' });
  });

  it('keeps an acknowledged cancel canceled when the status after it was lost', () => {
    const o = order();
    expect(plan({ type: 'order', order: o }, { type: 'status', status: status(o, 'open', { reqid: 'r1' }), state: 'open' }, { type: 'cancel', cancel: { action: 'cancel', oid: 'o1', fqme: o.fqme } })).toMatchObject({
      kind: 'finished',
      state: 'canceled',
    });
    const d = order({ execMode: 'dark' });
    expect(plan({ type: 'dark', order: d }, { type: 'status', status: status(d, 'dark_open'), state: 'dark_open' }, { type: 'cancel', cancel: { action: 'cancel', oid: 'o1', fqme: d.fqme } })).toMatchObject({
      kind: 'finished',
      state: 'canceled',
    });
  });

  it('works on after a refused cancel', () => {
    const o = order();
    const p = plan(
      { type: 'order', order: o },
      { type: 'cancel', cancel: { action: 'cancel', oid: 'o1', fqme: o.fqme } },
      { type: 'status', status: status(o, 'pending', { reqid: 'r1', cancelCalled: true }), state: 'pending_cancel' },
      { type: 'status', status: status(o, 'error', { reqid: 'r1', cancelCalled: false, reason: 'no' }), state: 'open' },
    );
    expect(p).toEqual({ kind: 'replace', size: '2' });
  });

  it('tells a refused modify (order works on) from a rejected order by the journaled state', () => {
    const o = order();
    const refusedModify = plan({ type: 'order', order: o }, { type: 'status', status: status(o, 'error', { reqid: 'r1' }), state: 'open' });
    expect(refusedModify).toEqual({ kind: 'replace', size: '2' });
    const rejected = plan({ type: 'order', order: o }, { type: 'status', status: status(o, 'error'), state: 'rejected' });
    expect(rejected).toEqual({ kind: 'finished', state: 'rejected' });
    // A journal without states reads 'error' as rejected, as before.
    expect(plan({ type: 'order', order: o }, { type: 'status', status: status(o, 'error') })).toEqual({ kind: 'finished', state: 'rejected' });
  });

  it('re-arms dark orders and alerts at their latest intent; a released dark order or a fired alert is not armed again', () => {
    const d = order({ execMode: 'dark' });
    const moved = { ...d, price: '90' };
    const replayed = replayOrders(entries({ type: 'dark', order: d }, { type: 'status', status: status(d, 'dark_open'), state: 'dark_open' }, { type: 'dark', order: moved }));
    expect(recoveryPlan(replayed.get('o1')!)).toEqual({ kind: 'rearm' });
    expect(replayed.get('o1')!.order.price).toBe('90');
    // Released: placed again at the limit it went out at; a journal from before release prices were kept cannot.
    expect(plan({ type: 'dark', order: d }, { type: 'status', status: status(d, 'triggered'), state: 'triggered', releasedAt: '101' })).toEqual({ kind: 'replace', size: d.size, price: '101' });
    expect(plan({ type: 'dark', order: d }, { type: 'status', status: status(d, 'triggered'), state: 'triggered' })).toMatchObject({ kind: 'finished', state: 'canceled' });
    const a = order({ action: 'alert', execMode: 'dark', size: '0' });
    expect(plan({ type: 'alert', order: a })).toEqual({ kind: 'rearm' });
    expect(plan({ type: 'alert', order: a }, { type: 'status', status: status(a, 'triggered') })).toEqual({ kind: 'finished', state: 'closed' });
  });

  it('gives a finished order a record with its fills, so a retry of its oid is known', () => {
    const o = order();
    const r = replayOrders(entries({ type: 'order', order: o }, { type: 'ack', oid: 'o1', reqid: 'r9', account: 'paper' }, { type: 'fill', oid: 'o1', fill: fill('t1', '2') })).get('o1')!;
    const rec = finishedRecord(r, 'paperd', 'filled');
    expect(rec).toMatchObject({ oid: 'o1', state: 'filled', reqid: 'r9', filled: '2', remaining: '0', tids: ['t1'], order: o });
  });
});
