/**
 * Records in every state of the order machine, reached the way emsd reaches them (by events from submit), for
 * the transition-table test and the scenario tests.
 */
import type { Order } from '../protocol/orders.js';
import { step, submitOrder } from './order-machine.js';
import type { Applied, OrderEvent, OrderRecord, OrderState, Transition } from './order-state.js';

let clock = 1_000;
const now = (): number => ++clock;

export function order(over: Partial<Order> = {}): Order {
  const base: Order = { action: 'buy', execMode: 'live', oid: 'o1', fqme: 'xbtusd.spot.sim', account: 'sim.main', price: '100', size: '4' };
  return { ...base, ...over };
}

export function ok(t: Transition): Applied {
  if (!t.ok) throw new Error(`expected the transition to apply, got: ${t.reason}`);
  return t;
}

/** Apply events in turn, failing loudly if any is refused. */
export function run(rec: OrderRecord, ...events: OrderEvent[]): OrderRecord {
  for (const ev of events) rec = ok(step(rec, ev)).record;
  return rec;
}

let tidSeq = 0;
export const ev = {
  modify: (rec: OrderRecord, over: Partial<Order> = {}): OrderEvent => ({
    kind: 'modify',
    time: now(),
    order: { ...rec.order, price: String(Number(rec.order.price) + 1), ...over },
  }),
  cancel: (rec: OrderRecord): OrderEvent => ({
    kind: 'cancel',
    time: now(),
    cancel: { action: 'cancel', oid: rec.oid, fqme: rec.order.fqme },
  }),
  ack: (reqid = 'r1'): OrderEvent => ({ kind: 'ack', time: now(), reqid }),
  status: (s: 'pending' | 'open' | 'canceled' | 'closed', reason?: string): OrderEvent => ({
    kind: `status_${s}`,
    time: now(),
    ...(reason ? { reason } : {}),
  }),
  fill: (rec: OrderRecord, size: string, tid = `t${++tidSeq}`, price = rec.order.price): OrderEvent => ({
    kind: 'fill',
    time: now(),
    tid,
    action: rec.order.action === 'sell' ? 'sell' : 'buy',
    size,
    price,
    fee: '0.01',
  }),
  error: (reason = 'venue says no'): OrderEvent => ({ kind: 'error', time: now(), reason }),
  trigger: (price = '105'): OrderEvent => ({ kind: 'trigger', time: now(), price }),
};

export const submitted = (o = order()): OrderRecord => submitOrder(o, 'sim', now()).record;
export const darkBuy = (): OrderRecord => submitted(order({ execMode: 'dark' }));
export const alert = (): OrderRecord => submitted(order({ action: 'alert', size: '0' }));
export const triggered = (): OrderRecord => run(darkBuy(), ev.trigger());
export const pending = (): OrderRecord => run(submitted(), ev.ack());
export const open = (): OrderRecord => run(pending(), ev.status('open'));
export const partiallyFilled = (): OrderRecord => {
  const r = open();
  return run(r, ev.fill(r, '1'));
};

/** Every state, by one or more paths: the machine's guards depend on how a state was reached (acked or not). */
export function fixtures(): Record<OrderState, OrderRecord[]> {
  const upd = (r: OrderRecord): OrderRecord => run(r, ev.modify(r));
  const cxl = (r: OrderRecord): OrderRecord => run(r, ev.cancel(r));
  const o = open();
  return {
    submitted: [submitted()],
    triggered: [triggered()],
    pending: [pending()],
    open: [o],
    partially_filled: [partiallyFilled()],
    pending_update: [upd(open()), upd(pending()), upd(partiallyFilled())],
    pending_cancel: [
      cxl(submitted()),
      cxl(triggered()),
      cxl(pending()),
      cxl(open()),
      cxl(partiallyFilled()),
      cxl(upd(open())),
    ],
    dark_open: [darkBuy(), alert()],
    filled: [run(o, ev.fill(o, '4'))],
    canceled: [run(open(), ev.status('canceled')), run(darkBuy(), ev.cancel(darkBuy()))],
    rejected: [run(submitted(), ev.error())],
    closed: [run(open(), ev.status('closed')), run(alert(), ev.trigger())],
  };
}

/** Well-formed events of every kind for `rec` (fills: one partial, one for all that remains). */
export function eventsFor(rec: OrderRecord): OrderEvent[] {
  const fills = rec.remaining === '0' ? [ev.fill(rec, '1')] : [ev.fill(rec, '1'), ev.fill(rec, rec.remaining)];
  return [
    ev.modify(rec),
    ev.cancel(rec),
    ev.ack('r2'),
    ev.status('pending'),
    ev.status('open'),
    ev.status('canceled'),
    ev.status('closed'),
    ...fills,
    ev.error(),
    ev.trigger(),
  ];
}
