import type { BrokerdFill, Cancel, Order, Status } from '../../protocol/orders.js';

/**
 * What the journal holds. An intent record is written before emsd acknowledges it (DESIGN.md §3): `order` for an
 * order sent on to paperd/brokerd, `dark` for a dark order and `alert` for an alert held in emsd's trigger book, so
 * replay can re-arm the book by record type alone. A re-sent oid is a new intent record (a modify).
 */
export type IntentRecord = { type: 'order' | 'dark' | 'alert'; order: Order };
export type CancelRecord = { type: 'cancel'; cancel: Cancel };
/** `state`: the order machine's state after the transition (emsd's recovery reads it; older journals lack it). */
/** `releasedAt`: the marketable limit a triggered dark order went out at (so a restart can place it again). */
export type StatusRecord = { type: 'status'; status: Status; state?: string; releasedAt?: string };
/** Journaled before the fill is shown; `tid` (the venue's trade id) is what makes a re-delivered fill a duplicate. */
export type FillRecord = { type: 'fill'; oid: string; fill: BrokerdFill };
/** The venue's id for an order, so a reconnecting broker's statuses (by reqid) find their oid again. */
export type AckRecord = { type: 'ack'; oid: string; reqid: string; account: string };

export type AppendRecord = IntentRecord | CancelRecord | StatusRecord | FillRecord | AckRecord;
export type RecordType = AppendRecord['type'] | 'snapshot';

/** Written only by compaction: the caller's live state plus the oid index, so older segments can go. */
export interface SnapshotRecord<S = unknown> {
  type: 'snapshot';
  state: S;
  index: IndexSnapshot;
}

export type JournalRecord = AppendRecord | SnapshotRecord;

/** A record as stored: `seq` strictly increases across the whole journal; `time` is when it was appended (ms). */
export type JournalEntry = JournalRecord & { seq: number; time: number };

export interface OidState {
  oid: string;
  /** The latest accepted intent (the first submit, or the last modify); null while only other records name the oid. */
  intent: Order | null;
  intentType: IntentRecord['type'] | null;
  /** 0 while there is no intent. */
  intentSeq: number;
  /** The latest record about this oid: its "where is it now". */
  last: JournalEntry;
  reqid: string | null;
  /** Trade ids booked for this oid, so a re-delivered fill books once. */
  tids: string[];
}

export interface IndexSnapshot {
  oids: OidState[];
}

/** The record type an accepted order journals as. */
export function intentType(order: Order): IntentRecord['type'] {
  if (order.action === 'alert') return 'alert';
  return order.execMode === 'dark' ? 'dark' : 'order';
}

/** The record for an accepted order, typed so the record type can never disagree with the order. */
export function intentRecord(order: Order): IntentRecord {
  return { type: intentType(order), order };
}

const TYPES: ReadonlySet<string> = new Set<RecordType>(['order', 'dark', 'alert', 'cancel', 'status', 'fill', 'ack', 'snapshot']);

/** The oid a record is about, or null (snapshots). */
export function oidOf(r: JournalRecord): string | null {
  switch (r.type) {
    case 'order':
    case 'dark':
    case 'alert':
      return r.order.oid;
    case 'cancel':
      return r.cancel.oid;
    case 'status':
      return r.status.oid;
    case 'fill':
    case 'ack':
      return r.oid;
    case 'snapshot':
      return null;
  }
}

/**
 * The shape check a decoded payload must pass to count as a record. A frame whose CRC matches but whose payload
 * is not a record is corruption (or a bug), and replay treats it as a bad frame, never as data.
 */
export function isJournalEntry(v: unknown): v is JournalEntry {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  if (!Number.isSafeInteger(e.seq) || (e.seq as number) < 1) return false;
  if (typeof e.time !== 'number' || typeof e.type !== 'string' || !TYPES.has(e.type)) return false;
  const obj = (k: string) => typeof e[k] === 'object' && e[k] !== null;
  switch (e.type) {
    case 'order':
    case 'dark':
    case 'alert':
      return obj('order') && typeof (e.order as Order).oid === 'string';
    case 'cancel':
      return obj('cancel') && typeof (e.cancel as Cancel).oid === 'string';
    case 'status':
      return obj('status') && typeof (e.status as Status).oid === 'string';
    case 'fill':
      return typeof e.oid === 'string' && obj('fill') && typeof (e.fill as BrokerdFill).tid === 'string';
    case 'ack':
      return typeof e.oid === 'string' && typeof e.reqid === 'string';
    case 'snapshot':
      return obj('index') && Array.isArray((e.index as IndexSnapshot).oids);
  }
  return false;
}
