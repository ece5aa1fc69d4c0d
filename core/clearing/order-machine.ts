/**
 * Applying events to OrderRecords (the table and types are in order-state.ts). emsd calls `submitOrder` for an
 * oid it has never seen, `step(record, {kind: 'modify'})` when a client re-sends a known oid, and `step` for
 * every cancel, brokerd message and trigger. Pure: no clock, no I/O; the caller performs the returned actions.
 */
import { addDec, compareDec, isDecimal } from '../protocol/decimal.js';
import type { Order, Side, Status, StatusResp } from '../protocol/orders.js';
import {
  STATE_RESP,
  TRANSITIONS,
  type Applied,
  type OrderAction,
  type OrderEvent,
  type OrderRecord,
  type OrderState,
  type Refused,
  type Transition,
} from './order-state.js';

type EventOf<K extends OrderEvent['kind']> = Extract<OrderEvent, { kind: K }>;

// decimal.ts is being extended elsewhere; this file keeps its own one-line subtraction.
const subDec = (a: string, b: string): string => addDec(a, b.startsWith('-') ? b.slice(1) : `-${b}`);
const isPositive = (s: string): boolean => isDecimal(s) && compareDec(s, '0') > 0;
const isHeld = (o: Order): boolean => o.action === 'alert' || o.execMode === 'dark';

function srcOf(rec: OrderRecord): string {
  return rec.reqid === null && isHeld(rec.order) ? 'dark' : rec.venue;
}

function statusOf(rec: OrderRecord, resp: StatusResp, time: number, extra: Partial<Status> = {}): Status {
  return {
    time,
    oid: rec.oid,
    resp,
    reqid: rec.reqid,
    req: rec.order,
    src: srcOf(rec),
    cancelCalled: rec.cancelCalled,
    filled: rec.filled,
    remaining: rec.remaining,
    ...(rec.reason !== null && (resp === 'error' || resp === 'canceled') ? { reason: rec.reason } : {}),
    ...extra,
  };
}

function applied(
  record: OrderRecord,
  time: number,
  actions: OrderAction[] = [],
  resp: StatusResp = STATE_RESP[record.state],
  extra?: Partial<Status>,
): Applied {
  return { ok: true, record, status: statusOf(record, resp, time, extra), actions };
}

function refused(rec: OrderRecord, ev: OrderEvent, reason: string): Refused {
  return { ok: false, reason: `order ${rec.oid} (${rec.state}): ${reason}`, state: rec.state, event: ev.kind };
}

function sendOrder(rec: OrderRecord, time: number, price = rec.order.price): OrderAction {
  const o = rec.order;
  return {
    kind: 'send_order',
    venue: rec.venue,
    msg: {
      oid: o.oid,
      account: o.account,
      time,
      fqme: o.fqme,
      price,
      size: o.size,
      action: o.action as Side,
      reqid: rec.reqid,
    },
  };
}

function blank(order: Order, venue: string, state: OrderState): OrderRecord {
  return {
    oid: order.oid,
    state,
    order,
    venue,
    reqid: null,
    cancelCalled: false,
    filled: '0',
    remaining: order.action === 'alert' ? '0' : order.size,
    tids: [],
    beforeUpdate: null,
    beforeCancel: null,
    releasedAt: null,
    reason: null,
  };
}

/**
 * A validated order with a new oid: dark orders and alerts go to the trigger book, the rest to the venue
 * (`venue`: 'paperd' or the broker name; for a dark order, where it will go when triggered).
 */
export function submitOrder(order: Order, venue: string, time: number): Applied {
  if (isHeld(order)) return applied(blank(order, venue, 'dark_open'), time, [{ kind: 'arm', order }]);
  const rec = blank(order, venue, 'submitted');
  return applied(rec, time, [sendOrder(rec, time)]);
}

/** An order found open at the venue that Candlewick did not place (or forgot): adopt it as it stands. */
export function adoptExternal(order: Order, venue: string, reqid: string, filled: string, time: number): Transition {
  const rec = { ...blank(order, venue, 'open'), reqid };
  if (!isDecimal(filled) || compareDec(filled, '0') < 0 || compareDec(filled, order.size) >= 0) {
    return refused(rec, { kind: 'status_open', time }, `cannot adopt with filled ${filled} of size ${order.size}`);
  }
  const state = compareDec(filled, '0') > 0 ? 'partially_filled' : 'open';
  return applied({ ...rec, state, filled, remaining: subDec(order.size, filled) }, time);
}

/** Apply `ev` to `rec`, or refuse it (the caller logs the reason). `rec` itself is never modified. */
export function step(rec: OrderRecord, ev: OrderEvent): Transition {
  const targets = TRANSITIONS[rec.state][ev.kind];
  if (!targets) return refused(rec, ev, notAllowed(rec, ev));
  const t = handle(rec, ev);
  if (t.ok && !targets.includes(t.record.state)) {
    // A handler bug, not a venue's: refusing keeps the table the single truth about what can happen.
    return refused(rec, ev, `${ev.kind} would lead to ${t.record.state}, which the transition table does not allow`);
  }
  return t;
}

function notAllowed(rec: OrderRecord, ev: OrderEvent): string {
  const unacked = rec.state === 'submitted' || rec.state === 'triggered';
  if (unacked && (ev.kind.startsWith('status_') || ev.kind === 'fill')) {
    return `${ev.kind} before the ack (reqid unknown): ignored`;
  }
  if (ev.kind === 'fill' && rec.tids.includes(ev.tid)) return `fill ${ev.tid} is already booked`;
  if (ev.kind === 'fill' && (rec.state === 'closed' || rec.state === 'filled' || rec.state === 'rejected')) {
    return `fill ${ev.tid} after the order was ${rec.state}: dropped`;
  }
  if (ev.kind === 'modify' && unacked) return 'cannot modify before the venue acks the order';
  if (ev.kind === 'modify' && rec.state === 'pending_cancel') return 'cannot modify: a cancel is in flight';
  if (ev.kind === 'cancel' && rec.state === 'pending_cancel') return 'cancel already requested';
  return `${ev.kind} is not a legal event in state ${rec.state}`;
}

function handle(rec: OrderRecord, ev: OrderEvent): Transition {
  switch (ev.kind) {
    case 'modify':
      return onModify(rec, ev);
    case 'cancel':
      return onCancel(rec, ev);
    case 'ack':
      return onAck(rec, ev);
    case 'status_pending':
    case 'status_open':
    case 'status_canceled':
    case 'status_closed':
      return onStatus(rec, ev);
    case 'fill':
      return onFill(rec, ev);
    case 'error':
      return onError(rec, ev);
    case 'trigger':
      return onTrigger(rec, ev);
  }
}

function onModify(rec: OrderRecord, ev: EventOf<'modify'>): Transition {
  const o = ev.order;
  const was = rec.order;
  if (o.oid !== rec.oid) return refused(rec, ev, `modify carries oid ${o.oid}`);
  for (const k of ['action', 'fqme', 'account', 'execMode'] as const) {
    if (o[k] !== was[k]) {
      return refused(rec, ev, `a modify may change only price and size, not ${k} (${was[k]} -> ${o[k]})`);
    }
  }
  if (rec.state === 'dark_open') {
    const next = { ...rec, order: o, remaining: o.action === 'alert' ? '0' : o.size };
    return applied(next, ev.time, [{ kind: 'rearm', order: o }]);
  }
  if (compareDec(o.size, rec.filled) <= 0) {
    return refused(rec, ev, `new size ${o.size} does not exceed the ${rec.filled} already filled`);
  }
  const next: OrderRecord = {
    ...rec,
    state: 'pending_update',
    order: o,
    remaining: subDec(o.size, rec.filled),
    // Repeated modifies roll back to the last order the venue confirmed, not to an unanswered one.
    beforeUpdate: rec.beforeUpdate ?? { state: rec.state, order: was },
  };
  return applied(next, ev.time, [sendOrder(next, ev.time)]);
}

function onCancel(rec: OrderRecord, ev: EventOf<'cancel'>): Transition {
  if (ev.cancel.oid !== rec.oid) return refused(rec, ev, `cancel carries oid ${ev.cancel.oid}`);
  if (rec.state === 'dark_open') {
    const next: OrderRecord = { ...rec, state: 'canceled', cancelCalled: true };
    return applied(next, ev.time, [{ kind: 'disarm', oid: rec.oid }], undefined, { req: ev.cancel });
  }
  const next: OrderRecord = { ...rec, state: 'pending_cancel', cancelCalled: true, beforeCancel: rec.state };
  // Before the ack there is no reqid to cancel: the ack handler sends it (the cancel-before-ack race).
  const actions: OrderAction[] = rec.reqid === null ? [] : [cancelAction(next, rec.reqid, ev.time)];
  return applied(next, ev.time, actions, undefined, { req: ev.cancel });
}

function cancelAction(rec: OrderRecord, reqid: string, time: number): OrderAction {
  return { kind: 'send_cancel', venue: rec.venue, msg: { oid: rec.oid, time, account: rec.order.account, reqid } };
}

function onAck(rec: OrderRecord, ev: EventOf<'ack'>): Transition {
  if (rec.state === 'pending_cancel') {
    if (rec.reqid !== null) return refused(rec, ev, `duplicate ack (reqid ${ev.reqid}; known ${rec.reqid})`);
    const next = { ...rec, reqid: ev.reqid };
    return applied(next, ev.time, [cancelAction(next, ev.reqid, ev.time)]);
  }
  if (rec.state === 'pending_update') return applied({ ...rec, reqid: ev.reqid }, ev.time);
  return applied({ ...rec, state: 'pending', reqid: ev.reqid }, ev.time);
}

type StatusEvent = EventOf<'status_pending' | 'status_open' | 'status_canceled' | 'status_closed'>;

function onStatus(rec: OrderRecord, ev: StatusEvent): Transition {
  if (rec.reqid === null) return refused(rec, ev, `${ev.kind} before the ack (reqid unknown): ignored`);
  const reason = ev.reason ?? rec.reason;
  switch (ev.kind) {
    case 'status_pending':
      return applied(rec, ev.time);
    case 'status_open': {
      if (rec.state === 'pending_cancel') return applied(rec, ev.time);
      const state = compareDec(rec.filled, '0') > 0 ? 'partially_filled' : 'open';
      return applied({ ...rec, state, beforeUpdate: null }, ev.time);
    }
    case 'status_canceled':
      return applied({ ...rec, state: 'canceled', beforeUpdate: null, beforeCancel: null, reason }, ev.time);
    case 'status_closed':
      return applied({ ...rec, state: 'closed', beforeUpdate: null, beforeCancel: null, reason }, ev.time);
  }
}

function onFill(rec: OrderRecord, ev: EventOf<'fill'>): Transition {
  if (rec.reqid === null) return refused(rec, ev, `fill ${ev.tid} before the ack (reqid unknown): ignored`);
  if (rec.tids.includes(ev.tid)) return refused(rec, ev, `fill ${ev.tid} is already booked`);
  const bad = (why: string): Refused => refused(rec, ev, `fill ${ev.tid} ${why}`);
  if (ev.action !== rec.order.action) return bad(`is a ${ev.action}, the order a ${rec.order.action}`);
  if (!isPositive(ev.size)) return bad(`has size ${JSON.stringify(ev.size)}; must be a decimal above 0`);
  if (!isPositive(ev.price)) return bad(`has price ${JSON.stringify(ev.price)}; must be a decimal above 0`);
  if (!isDecimal(ev.fee)) return bad(`has fee ${JSON.stringify(ev.fee)}; must be a decimal`);
  if (compareDec(ev.size, rec.remaining) > 0) return bad(`of ${ev.size} exceeds the remaining ${rec.remaining}`);
  const remaining = subDec(rec.remaining, ev.size);
  const done = compareDec(remaining, '0') === 0;
  let state: OrderState;
  if (rec.state === 'canceled') state = 'canceled';
  else if (done) state = 'filled';
  else if (rec.state === 'pending_update' || rec.state === 'pending_cancel') state = rec.state; // still in flight
  else state = 'partially_filled';
  const filled = addDec(rec.filled, ev.size);
  const next: OrderRecord = { ...rec, state, filled, remaining, tids: [...rec.tids, ev.tid] };
  const { fqme, account } = rec.order;
  const fill = { price: ev.price, size: ev.size, tid: ev.tid, fee: ev.fee };
  const book = { oid: rec.oid, reqid: rec.reqid, fqme, account, action: ev.action, time: ev.time, ...fill };
  return applied(next, ev.time, [{ kind: 'book_fill', fill: book }], 'fill', { fill });
}

function onError(rec: OrderRecord, ev: EventOf<'error'>): Transition {
  const reason = ev.reason;
  const filledAny = compareDec(rec.filled, '0') > 0;
  switch (rec.state) {
    case 'open':
    case 'partially_filled':
      return applied({ ...rec, reason }, ev.time, [], 'error');
    case 'pending_update': {
      const back = rec.beforeUpdate!;
      // Fills beyond the old size mean the venue did apply the modify whatever the error says: keep it.
      const keepNew = compareDec(rec.filled, back.order.size) >= 0;
      const order = keepNew ? rec.order : back.order;
      const state = filledAny ? 'partially_filled' : back.state;
      const next = { ...rec, state, order, remaining: subDec(order.size, rec.filled), beforeUpdate: null, reason };
      return applied(next, ev.time, [], 'error');
    }
    case 'pending_cancel': {
      if (rec.reqid === null) return applied({ ...rec, state: 'rejected', reason }, ev.time);
      let state = rec.beforeCancel!;
      if (state === 'submitted' || state === 'triggered') state = 'pending'; // acked since the cancel was called
      if (filledAny && (state === 'pending' || state === 'open')) state = 'partially_filled';
      return applied({ ...rec, state, cancelCalled: false, beforeCancel: null, reason }, ev.time, [], 'error');
    }
    default:
      return applied({ ...rec, state: 'rejected', reason }, ev.time);
  }
}

function onTrigger(rec: OrderRecord, ev: EventOf<'trigger'>): Transition {
  const o = rec.order;
  if (o.action === 'alert') {
    // An alert fires once: `triggered` to every client, then it is gone.
    return applied({ ...rec, state: 'closed' }, ev.time, [{ kind: 'notify', order: o }], 'triggered');
  }
  if (!isPositive(ev.price)) {
    return refused(rec, ev, `release price ${JSON.stringify(ev.price)} must be a decimal above 0`);
  }
  const next: OrderRecord = { ...rec, state: 'triggered', releasedAt: ev.price };
  return applied(next, ev.time, [sendOrder(next, ev.time, ev.price)]);
}
