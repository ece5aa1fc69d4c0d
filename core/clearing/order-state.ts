/**
 * The order state machine under piker's Status set (piker-semantics §5-6, charting-oms-electron "Order state
 * machines"). emsd keeps one OrderRecord per oid and feeds it events; `step` either applies an event and says
 * what to broadcast and what to do next, or refuses it with a reason for the log. A refused event never changes
 * the record: records are immutable values, so "refused" and "applied" cannot half-happen.
 *
 * The legal (state, event) pairs are the table TRANSITIONS below; `step` in order-machine.ts refuses every
 * other pair, and its handlers add the guards a table cannot express (amounts, trade ids, ack-once) and must land
 * in one of the listed targets.
 */
import type {
  BrokerdCancel,
  BrokerdMsg,
  BrokerdOrder,
  Cancel,
  Order,
  Side,
  Status,
  StatusResp,
} from '../protocol/orders.js';

export const ORDER_STATES = [
  'submitted', // sent to the venue, no ack yet (reqid unknown)
  'triggered', // a dark order released by emsd as a marketable limit, no ack yet
  'pending', // acked, not yet open
  'open',
  'partially_filled',
  'pending_update', // a modify (same oid, known reqid) is in flight
  'pending_cancel', // cancel called; sent, or deferred until the ack when the reqid is still unknown
  'dark_open', // held by emsd's trigger book (dark order or alert); the venue knows nothing of it
  'filled', // remaining reached 0 through fills; the venue's `closed` may still follow
  'canceled',
  'rejected', // the venue (or paperd) refused the order
  'closed', // the venue ended the dialog, or an alert fired
] as const;
export type OrderState = (typeof ORDER_STATES)[number];

export const ORDER_EVENTS = [
  'modify',
  'cancel',
  'ack',
  'status_pending',
  'status_open',
  'status_canceled',
  'status_closed',
  'fill',
  'error',
  'trigger',
] as const;
export type OrderEventKind = (typeof ORDER_EVENTS)[number];

/** Events carry the time to stamp on the Status they produce, so the machine stays pure (no clock). */
export type OrderEvent =
  | { kind: 'modify'; time: number; order: Order }
  | { kind: 'cancel'; time: number; cancel: Cancel }
  | { kind: 'ack'; time: number; reqid: string }
  | { kind: 'status_pending' | 'status_open' | 'status_canceled' | 'status_closed'; time: number; reason?: string }
  | { kind: 'fill'; time: number; tid: string; action: Side; size: string; price: string; fee: string }
  | { kind: 'error'; time: number; reason: string }
  /** `price`: the marketable limit a released dark buy/sell goes out at (ignored for alerts). */
  | { kind: 'trigger'; time: number; price: string };

/**
 * Legal transitions: state -> event -> the states that event may lead to. Anything absent is refused.
 * Terminal states accept almost nothing: a fill after `canceled` is still booked (the venue may have matched
 * it before the cancel landed, nautilus's "real world possibility"), and `filled` accepts the venue's `closed`.
 */
export const TRANSITIONS: { readonly [S in OrderState]: { readonly [E in OrderEventKind]?: readonly OrderState[] } } = {
  submitted: { ack: ['pending'], cancel: ['pending_cancel'], error: ['rejected'] },
  triggered: { ack: ['pending'], cancel: ['pending_cancel'], error: ['rejected'] },
  pending: {
    modify: ['pending_update'],
    cancel: ['pending_cancel'],
    status_pending: ['pending'],
    status_open: ['open'],
    status_canceled: ['canceled'],
    status_closed: ['closed'],
    fill: ['partially_filled', 'filled'],
    error: ['rejected'],
  },
  open: {
    modify: ['pending_update'],
    cancel: ['pending_cancel'],
    status_open: ['open'],
    status_canceled: ['canceled'],
    status_closed: ['closed'],
    fill: ['partially_filled', 'filled'],
    // An error about a working order (say, a rejected side request) does not end it: only the venue's
    // definitive canceled/closed does.
    error: ['open'],
  },
  partially_filled: {
    modify: ['pending_update'],
    cancel: ['pending_cancel'],
    status_open: ['partially_filled'],
    status_canceled: ['canceled'],
    status_closed: ['closed'],
    fill: ['partially_filled', 'filled'],
    error: ['partially_filled'],
  },
  pending_update: {
    // A second drag before the first modify is answered: resend, latest wins.
    modify: ['pending_update'],
    cancel: ['pending_cancel'],
    // Some venues re-key an order on modify: the ack carries the new reqid.
    ack: ['pending_update'],
    status_pending: ['pending_update'],
    status_open: ['open', 'partially_filled'],
    status_canceled: ['canceled'],
    status_closed: ['closed'],
    fill: ['pending_update', 'filled'],
    // The modify was refused: back to the order as it was (the UI puts the line back).
    error: ['pending', 'open', 'partially_filled'],
  },
  pending_cancel: {
    // Only while the reqid is unknown (cancel before ack): the deferred cancel goes out now.
    ack: ['pending_cancel'],
    status_pending: ['pending_cancel'],
    status_open: ['pending_cancel'],
    status_canceled: ['canceled'],
    status_closed: ['closed'],
    fill: ['pending_cancel', 'filled'],
    // Unacked: the order itself was refused. Acked: the cancel was refused, the order works on as before.
    error: ['rejected', 'pending', 'open', 'partially_filled', 'pending_update'],
  },
  dark_open: { modify: ['dark_open'], cancel: ['canceled'], trigger: ['triggered', 'closed'] },
  filled: { status_closed: ['closed'] },
  canceled: { fill: ['canceled'] },
  rejected: {},
  closed: {},
};

/**
 * What a state means to the UI (piker's Status.resp), e.g. for a client that reconnects and asks for every
 * active order. In-flight states (nautilus: SUBMITTED, PENDING_UPDATE, PENDING_CANCEL) all read `pending`.
 * `filled` reads `closed`: nothing remains, and the venue's own `closed` changes nothing the UI shows.
 */
export const STATE_RESP: { readonly [S in OrderState]: StatusResp } = {
  submitted: 'pending',
  triggered: 'triggered',
  pending: 'pending',
  open: 'open',
  partially_filled: 'open',
  pending_update: 'pending',
  pending_cancel: 'pending',
  dark_open: 'dark_open',
  filled: 'closed',
  canceled: 'canceled',
  rejected: 'error',
  closed: 'closed',
};

/** States in which the dialog is over: emsd drops the order from its active set (keeping it for late fills). */
export const TERMINAL_STATES: readonly OrderState[] = ['filled', 'canceled', 'rejected', 'closed'];
export const isTerminal = (s: OrderState): boolean => TERMINAL_STATES.includes(s);

export interface OrderRecord {
  readonly oid: string;
  readonly state: OrderState;
  /** The order as the client last asked for it (for a dark order: the trigger price). */
  readonly order: Order;
  /** Where it goes live: 'paperd' or the broker's name. */
  readonly venue: string;
  readonly reqid: string | null;
  readonly cancelCalled: boolean;
  readonly filled: string;
  readonly remaining: string;
  /** Trade ids already booked: a fill is booked once per tid. */
  readonly tids: readonly string[];
  /** The confirmed order and state a refused modify rolls back to. */
  readonly beforeUpdate: { readonly state: OrderState; readonly order: Order } | null;
  /** The state a refused cancel returns to. */
  readonly beforeCancel: OrderState | null;
  /** The marketable limit a released dark order went out at. */
  readonly releasedAt: string | null;
  /** The last reason given by the venue (error, cancel). */
  readonly reason: string | null;
}

/** A fill to write to the journal and the ledger before any client sees it. */
export interface BookedFill {
  oid: string;
  reqid: string | null;
  fqme: string;
  account: string;
  tid: string;
  action: Side;
  size: string;
  price: string;
  fee: string;
  time: number;
}

/** What the caller does after an applied transition, in order. */
export type OrderAction =
  | { kind: 'send_order'; venue: string; msg: BrokerdOrder }
  | { kind: 'send_cancel'; venue: string; msg: BrokerdCancel }
  | { kind: 'arm'; order: Order }
  | { kind: 'rearm'; order: Order }
  | { kind: 'disarm'; oid: string }
  | { kind: 'notify'; order: Order }
  | { kind: 'book_fill'; fill: BookedFill };

export interface Applied {
  ok: true;
  record: OrderRecord;
  /** Broadcast to every client watching the fqme. */
  status: Status;
  actions: OrderAction[];
}

export interface Refused {
  ok: false;
  reason: string;
  state: OrderState;
  event: OrderEventKind;
}

export type Transition = Applied | Refused;

/** The event a brokerd message becomes, for `step`; null for a position (not about one order). */
export function eventFromBrokerd(msg: BrokerdMsg, time: number): OrderEvent | null {
  switch (msg.type) {
    case 'ack':
      return { kind: 'ack', time, reqid: msg.reqid };
    case 'status':
      return { kind: `status_${msg.status}`, time, ...(msg.reason ? { reason: msg.reason } : {}) };
    case 'fill':
      return { kind: 'fill', time, tid: msg.tid, action: msg.action, size: msg.size, price: msg.price, fee: msg.fee };
    case 'error':
      return { kind: 'error', time, reason: msg.reason };
    case 'position':
      return null;
  }
}
