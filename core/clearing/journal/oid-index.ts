import { compareDec } from '../../protocol/decimal.js';
import type { Order } from '../../protocol/orders.js';
import type { IndexSnapshot, JournalEntry, OidState } from './records.js';

/** How emsd should treat a submit, judged against what the journal already holds for its oid. */
export type SubmitKind = 'new' | 'duplicate' | 'modify';

/**
 * Every client order id the journal has seen, with its latest intent and latest record: what makes a client order
 * id idempotent end to end (a retried submit is a duplicate, never a second order) and lets a reconnecting venue's
 * reqids and re-delivered fills find their order. Built by applying records in seq order, live or on replay, and
 * carried through compaction inside the snapshot record.
 */
export class OidIndex {
  private readonly byOid = new Map<string, OidState>();
  private readonly byReqid = new Map<string, string>();

  get size(): number {
    return this.byOid.size;
  }

  has(oid: string): boolean {
    return this.byOid.has(oid);
  }

  get(oid: string): Readonly<OidState> | undefined {
    return this.byOid.get(oid);
  }

  values(): IterableIterator<Readonly<OidState>> {
    return this.byOid.values();
  }

  oidForReqid(reqid: string): string | undefined {
    return this.byReqid.get(reqid);
  }

  hasFill(oid: string, tid: string): boolean {
    return this.byOid.get(oid)?.tids.includes(tid) ?? false;
  }

  /** A known oid with the same content is a retry (answer with its state, send nothing); different content modifies. */
  classify(order: Order): SubmitKind {
    const known = this.byOid.get(order.oid)?.intent;
    if (!known) return 'new';
    return sameIntent(known, order) ? 'duplicate' : 'modify';
  }

  apply(e: JournalEntry): void {
    switch (e.type) {
      case 'snapshot':
        this.restore(e.index);
        return;
      case 'order':
      case 'dark':
      case 'alert': {
        const s = this.entry(e.order.oid, e);
        s.intent = e.order;
        s.intentType = e.type;
        s.intentSeq = e.seq;
        return;
      }
      case 'cancel':
        this.entry(e.cancel.oid, e);
        return;
      case 'status':
        if (e.status.reqid) this.setReqid(this.entry(e.status.oid, e), e.status.reqid);
        else this.entry(e.status.oid, e);
        return;
      case 'ack':
        this.setReqid(this.entry(e.oid, e), e.reqid);
        return;
      case 'fill': {
        const s = this.entry(e.oid, e);
        if (!s.tids.includes(e.fill.tid)) s.tids.push(e.fill.tid);
        return;
      }
    }
  }

  /** The index as a snapshot record carries it: a deep copy, because the index keeps changing and the snapshot must not. */
  snapshot(): IndexSnapshot {
    return structuredClone({ oids: [...this.byOid.values()] });
  }

  /** Drops oids no retry or late fill can still arrive for, so the index does not grow forever. Returns how many. */
  forget(drop: (s: Readonly<OidState>) => boolean): number {
    let n = 0;
    for (const s of [...this.byOid.values()]) {
      if (!drop(s)) continue;
      this.byOid.delete(s.oid);
      if (s.reqid && this.byReqid.get(s.reqid) === s.oid) this.byReqid.delete(s.reqid);
      n++;
    }
    return n;
  }

  private restore(snap: IndexSnapshot): void {
    this.byOid.clear();
    this.byReqid.clear();
    for (const s of structuredClone(snap.oids)) {
      this.byOid.set(s.oid, s);
      if (s.reqid) this.byReqid.set(s.reqid, s.oid);
    }
  }

  /** The oid's state with `e` as its latest record; a record before any intent (e.g. an adopted order's status) opens one. */
  private entry(oid: string, e: JournalEntry): OidState {
    let s = this.byOid.get(oid);
    if (!s) {
      s = { oid, intent: null, intentType: null, intentSeq: 0, last: e, reqid: null, tids: [] };
      this.byOid.set(oid, s);
    }
    s.last = e;
    return s;
  }

  private setReqid(s: OidState, reqid: string): void {
    if (s.reqid && s.reqid !== reqid) this.byReqid.delete(s.reqid);
    s.reqid = reqid;
    this.byReqid.set(reqid, s.oid);
  }
}

function sameIntent(a: Order, b: Order): boolean {
  return (
    a.action === b.action &&
    a.execMode === b.execMode &&
    a.fqme === b.fqme &&
    a.account === b.account &&
    sameDecimal(a.price, b.price) &&
    sameDecimal(a.size, b.size)
  );
}

/** "100" and "100.0" are the same price; a value that is not a decimal at all compares as text. */
function sameDecimal(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return compareDec(a, b) === 0;
  } catch {
    return false;
  }
}
