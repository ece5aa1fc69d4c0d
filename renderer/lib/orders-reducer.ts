import type { FillInfo } from '../../core/protocol/messages.js';
import type { Order, Status, StatusResp } from '../../core/protocol/orders.js';

/**
 * The client's view of working orders, folded from `orders.active` and `status` events (piker-semantics §9,
 * "Reactions to Status"). Pure: the zustand store in stores/orders.ts wraps these functions.
 */
export interface WorkingOrder {
  oid: string;
  /** The order as drawn: the last one the host reported, or this client's unanswered modify. */
  order: Order;
  resp: StatusResp;
  /** The host has confirmed the order works (open, dark_open, triggered or a fill): an error no longer ends it. */
  acked: boolean;
  /** The order before a modify this client sent, until the host answers it: a refused modify goes back to it. */
  prev: Order | null;
  cancelCalled: boolean;
  filled: string;
  reason: string | null;
  /** Host time (epoch ms) of the newest Status applied. */
  time: number;
  src: string;
}

export interface OrderError {
  oid: string;
  reason: string;
  time: number;
}

export interface OrdersState {
  working: Readonly<Record<string, WorkingOrder>>;
  /** Orders whose dialog ended here (oid -> time): a late or repeated Status must not bring their line back. */
  ended: Readonly<Record<string, number>>;
  /** Fills, newest first, one per trade id (from `fill` events, fill Statuses and `fills.recent`). */
  fills: readonly FillInfo[];
  /** The newest refusal (an error Status), for the UI to show. */
  lastError: OrderError | null;
}

export const EMPTY_ORDERS: OrdersState = { working: {}, ended: {}, fills: [], lastError: null };

const MAX_FILLS = 500;
const MAX_ENDED = 2000;

const isOrder = (req: Status['req']): req is Order => req.action !== 'cancel';
const CONFIRMING: readonly StatusResp[] = ['open', 'dark_open', 'triggered', 'fill'];

/** One Status, in any order relative to the call's own reply (both carry the same Status: applying twice is a no-op). */
export function applyStatus(s: OrdersState, st: Status): OrdersState {
  const fill = fillOf(s, st);
  const next = fill ? { ...s, fills: addFills(s.fills, [fill]) } : s;
  if (next.ended[st.oid] !== undefined) return next;
  const cur = next.working[st.oid];
  if (cur && st.time < cur.time) return next;

  switch (st.resp) {
    case 'canceled':
    case 'closed':
      return end(next, st.oid, st.time);
    case 'error':
      return onError(next, cur, st);
    case 'triggered':
      // An alert fires once and is gone; a released dark order works on as a live order.
      if (isOrder(st.req) && st.req.action === 'alert') return end(next, st.oid, st.time);
      break;
    case 'fill':
      if (st.remaining !== undefined && Number(st.remaining) === 0) return end(next, st.oid, st.time);
      break;
  }
  if (!cur && !isOrder(st.req)) return next; // a cancel for an order this client never saw
  const order = isOrder(st.req) ? st.req : cur!.order;
  let prev = cur?.prev ?? null;
  // The host answered this client's modify with the modified order: nothing to go back to any more.
  if (prev && isOrder(st.req) && st.req.price === cur!.order.price && st.req.size === cur!.order.size) prev = null;
  const shown = prev ? cur!.order : order;
  const w: WorkingOrder = {
    oid: st.oid,
    order: shown,
    resp: st.resp,
    acked: (cur?.acked ?? false) || CONFIRMING.includes(st.resp),
    prev,
    cancelCalled: st.cancelCalled,
    filled: st.filled ?? cur?.filled ?? '0',
    reason: cur?.reason ?? null,
    time: st.time,
    src: st.src,
  };
  return { ...next, working: { ...next.working, [st.oid]: w } };
}

/**
 * An error Status: a new order refused ends it; for a working order (a refused modify or cancel) the order
 * works on, so its line stays, back at the price it had before this client's modify.
 */
function onError(s: OrdersState, cur: WorkingOrder | undefined, st: Status): OrdersState {
  const lastError = { oid: st.oid, reason: st.reason ?? 'refused', time: st.time };
  if (!cur || (!cur.acked && !cur.prev)) return { ...end(s, st.oid, st.time), lastError };
  let order = cur.order;
  if (cur.prev) order = cur.prev;
  else if (isOrder(st.req)) order = st.req; // the host's rollback of another client's modify
  const w: WorkingOrder = { ...cur, order, prev: null, cancelCalled: false, reason: lastError.reason, time: st.time };
  return { ...s, working: { ...s.working, [st.oid]: w }, lastError };
}

function end(s: OrdersState, oid: string, time: number): OrdersState {
  const { [oid]: _gone, ...working } = s.working;
  let ended: Record<string, number> = { ...s.ended, [oid]: time };
  const keys = Object.keys(ended);
  if (keys.length > MAX_ENDED) ended = Object.fromEntries(keys.slice(keys.length - MAX_ENDED).map((k) => [k, ended[k]!]));
  return { ...s, working, ended };
}

/** This client moves an order (drag, ticket): drawn at the new price at once, with the old one kept for a refusal. */
export function beginModify(s: OrdersState, order: Order): OrdersState {
  const cur = s.working[order.oid];
  if (!cur) return s;
  const w: WorkingOrder = { ...cur, order, prev: cur.prev ?? cur.order, reason: null };
  return { ...s, working: { ...s.working, [order.oid]: w } };
}

/** The modify never reached the host (connection lost): back to the order as it was. */
export function abortModify(s: OrdersState, oid: string, reason: string): OrdersState {
  const cur = s.working[oid];
  if (!cur?.prev) return s;
  const w: WorkingOrder = { ...cur, order: cur.prev, prev: null, reason };
  return { ...s, working: { ...s.working, [oid]: w }, lastError: { oid, reason, time: cur.time } };
}

/** `orders.active` on (re)connect: the host's list is the truth, whatever this client had. */
export function replaceActive(s: OrdersState, list: readonly Status[]): OrdersState {
  const working: Record<string, WorkingOrder> = {};
  const ended = { ...s.ended };
  for (const st of list) {
    if (!isOrder(st.req)) continue;
    delete ended[st.oid];
    working[st.oid] = {
      oid: st.oid,
      order: st.req,
      resp: st.resp,
      acked: st.resp !== 'pending' || st.reqid !== null,
      prev: null,
      cancelCalled: st.cancelCalled,
      filled: st.filled ?? '0',
      reason: null,
      time: st.time,
      src: st.src,
    };
  }
  return { ...s, working, ended };
}

export function addFills(list: readonly FillInfo[], more: readonly FillInfo[]): FillInfo[] {
  const seen = new Set(list.map((f) => f.tid));
  const fresh = more.filter((f) => !seen.has(f.tid) && (seen.add(f.tid), true));
  if (fresh.length === 0) return list as FillInfo[];
  return [...fresh, ...list].sort((a, b) => b.time - a.time).slice(0, MAX_FILLS);
}

function fillOf(s: OrdersState, st: Status): FillInfo | null {
  if (st.resp !== 'fill' || !st.fill) return null;
  const order = isOrder(st.req) ? st.req : s.working[st.oid]?.order;
  if (!order || order.action === 'alert') return null;
  const { price, size, tid, fee } = st.fill;
  return { oid: st.oid, fqme: order.fqme, account: order.account, action: order.action, price, size, tid, fee, time: st.time };
}

/** Working orders on one market, sorted by price (highest first). */
export function ordersOn(s: Pick<OrdersState, 'working'>, fqme: string): WorkingOrder[] {
  return Object.values(s.working)
    .filter((w) => w.order.fqme === fqme)
    .sort((a, b) => Number(b.order.price) - Number(a.order.price));
}
