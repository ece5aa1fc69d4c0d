/**
 * What emsd's journal says about each order, and what a restart does with it. Pure: emsd.recover() feeds it the
 * replayed entries and performs the plan (re-arm, re-place, or keep as finished).
 *
 * The journal holds an order's intents (first submit and accepted modifies), the client's cancels (journaled
 * before they are acknowledged), fills (before they are shown), venue acks, and the Status of every applied
 * transition with the machine state it led to. Status records are not waited for, so the newest of them may be
 * missing after a crash: a cancel record newer than the last status still means the cancel was acknowledged,
 * and the fill records, not the statuses, say how much was filled.
 */
import { addDec, compareDec, subDec } from '../../protocol/decimal.js';
import type { BrokerdFill, Order, StatusResp } from '../../protocol/orders.js';
import type { JournalEntry, JournalRecord } from '../journal/index.js';
import { ORDER_STATES, isTerminal, type OrderRecord, type OrderState } from '../order-state.js';

export interface ReplayedOrder {
  /** The latest accepted intent. */
  order: Order;
  /** The machine state after the last journaled transition (inferred from its resp in journals without states). */
  state: OrderState;
  reqid: string | null;
  /** A cancel was acknowledged and not refused since. */
  cancelCalled: boolean;
  /** A dark order or alert that emsd released (triggered) at some point. */
  released: boolean;
  /** The limit it was released at (journals before this field: undefined). */
  releasedAt?: string;
  filled: string;
  /** Every trade id booked for it, so a fill journaled twice counts once. */
  tids: string[];
  /** Its journaled fills; after a compaction, only those the ledger did not have yet (for recovery to book). */
  fills: BrokerdFill[];
  reason: string | null;
}

/**
 * What emsd writes into a journal snapshot (compaction.ts): every order replay would still need, as replayOrders
 * had folded it from the records the snapshot replaces.
 */
export interface EmsSnapshot {
  version: 1;
  orders: ReplayedOrder[];
}

export type RecoveryPlan =
  | { kind: 'finished'; state: OrderState; reason?: string }
  | { kind: 'rearm' }
  /**
   * Place again for `size` (what remained): the venue that held it did not survive the restart. `price`: a
   * released dark order goes out again at the limit it was released at.
   */
  | { kind: 'replace'; size: string; price?: string };

const held = (o: Order): boolean => o.action === 'alert' || o.execMode === 'dark';
const STATES: ReadonlySet<string> = new Set(ORDER_STATES);

/** Each journaled oid with an intent, in first-seen order (a snapshot's orders first, in its order). */
export function replayOrders(entries: Iterable<JournalEntry>): Map<string, ReplayedOrder> {
  const out = new Map<string, ReplayedOrder>();
  for (const e of entries) foldRecord(out, e);
  return out;
}

/**
 * Folds one record into `out`, as replay does in seq order. emsd folds each record it appends too, so what it
 * snapshots is exactly what replaying the records it replaces would give.
 */
export function foldRecord(out: Map<string, ReplayedOrder>, e: JournalRecord): void {
  switch (e.type) {
    case 'order':
    case 'dark':
    case 'alert': {
      const r = out.get(e.order.oid);
      if (r) r.order = e.order;
      else {
        const state = held(e.order) ? 'dark_open' : 'submitted';
        out.set(e.order.oid, { order: e.order, state, reqid: null, cancelCalled: false, released: false, filled: '0', tids: [], fills: [], reason: null });
      }
      break;
    }
    case 'cancel': {
      const r = out.get(e.cancel.oid);
      if (r) r.cancelCalled = true;
      break;
    }
    case 'status': {
      const r = out.get(e.status.oid);
      if (!r) break;
      const s = e.status;
      r.cancelCalled = s.cancelCalled;
      r.reqid = s.reqid ?? r.reqid;
      r.reason = s.reason ?? r.reason;
      if (s.resp === 'triggered') {
        r.released = true;
        if (e.releasedAt) r.releasedAt = e.releasedAt;
      }
      r.state = e.state !== undefined && STATES.has(e.state) ? (e.state as OrderState) : stateOfResp(s.resp, r);
      break;
    }
    case 'fill': {
      const r = out.get(e.oid);
      if (!r || r.tids.includes(e.fill.tid)) break;
      r.tids.push(e.fill.tid);
      r.fills.push(e.fill);
      r.filled = addDec(r.filled, e.fill.size);
      break;
    }
    case 'ack': {
      const r = out.get(e.oid);
      if (r) r.reqid = e.reqid;
      break;
    }
    case 'snapshot':
      restoreSnapshot(out, e.state);
      break;
  }
}

function restoreSnapshot(out: Map<string, ReplayedOrder>, state: unknown): void {
  const snap = state as Partial<EmsSnapshot> | null;
  // Replay starts at the snapshot: one emsd cannot read would lose every order it holds, so refuse it loudly.
  if (snap?.version !== 1 || !Array.isArray(snap.orders)) throw new Error(`journal snapshot is not an emsd snapshot (version ${JSON.stringify(snap?.version)})`);
  out.clear();
  for (const r of structuredClone(snap.orders)) out.set(r.order.oid, r);
}

/** Journals written before statuses carried the state: the closest state the resp allows. */
function stateOfResp(resp: StatusResp, r: ReplayedOrder): OrderState {
  switch (resp) {
    case 'dark_open':
      return 'dark_open';
    case 'triggered':
      return r.order.action === 'alert' ? 'closed' : 'triggered';
    case 'pending':
      return r.cancelCalled ? 'pending_cancel' : 'pending';
    case 'open':
      return 'open';
    case 'fill':
      return 'partially_filled';
    case 'closed':
      return 'closed';
    case 'canceled':
      return 'canceled';
    case 'error':
      // Without the state, a refused modify cannot be told from a rejected order.
      return 'rejected';
  }
}

/**
 * What a restart does with a replayed order. Venues are in-process (paperd, the sim exchange) and start empty, so
 * an order that was working at one is placed again for what remained; an order whose cancel was acknowledged
 * stays canceled; a dark order released before the restart is a venue order: placed again at its release limit, never armed again.
 */
export function recoveryPlan(r: ReplayedOrder): RecoveryPlan {
  if (isTerminal(r.state)) return { kind: 'finished', state: r.state };
  const remaining = subDec(r.order.size, r.filled);
  if (r.order.action !== 'alert' && compareDec(remaining, '0') <= 0) return { kind: 'finished', state: 'filled' };
  if (r.cancelCalled) return { kind: 'finished', state: 'canceled', reason: 'canceled before the restart' };
  if (held(r.order)) {
    if (r.state === 'dark_open' && !r.released) return { kind: 'rearm' };
    if (r.releasedAt) return { kind: 'replace', size: remaining, price: r.releasedAt };
    return { kind: 'finished', state: 'canceled', reason: 'released before the restart at an unrecorded price; its venue order did not survive it' };
  }
  return { kind: 'replace', size: remaining };
}

/** The record a finished order keeps after a restart, so a retried submit of its oid is known (and never doubles it). */
export function finishedRecord(r: ReplayedOrder, venue: string, state: OrderState, reason?: string): OrderRecord {
  const remaining = r.order.action === 'alert' ? '0' : subDec(r.order.size, r.filled);
  return {
    oid: r.order.oid,
    state,
    order: r.order,
    venue,
    reqid: r.reqid,
    cancelCalled: r.cancelCalled,
    filled: r.filled,
    remaining: compareDec(remaining, '0') < 0 ? '0' : remaining,
    tids: [...r.tids],
    beforeUpdate: null,
    beforeCancel: null,
    releasedAt: null,
    reason: reason ?? r.reason,
  };
}
