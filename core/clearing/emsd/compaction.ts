/**
 * emsd's side of journal compaction (journal/README.md, "Compaction"). Without it the journal and emsd's order map
 * grow with every order ever placed. emsd keeps a mirror of what replay would make of its journal (recovery.ts's
 * fold, applied to each record as it is appended); once the journal passes a size, it snapshots that mirror,
 * minus finished orders beyond a horizon, and the journal drops the segments the snapshot replaces.
 *
 * The horizon is idempotency's: a retried submit of a finished oid must be answered with its state, never placed
 * again, and that needs the oid's record. The newest `keepFinished` finished orders keep theirs (in the snapshot and
 * in emsd's map); older ones are forgotten by both, and by the journal's oid index. Working orders, dark orders and
 * alerts are always kept, so a restart re-arms or re-places them exactly as before.
 */
import type { AppendRecord } from '../journal/index.js';
import { foldRecord, type EmsSnapshot, type ReplayedOrder } from './recovery.js';

export interface CompactionOptions {
  /** Compact once the journal (from its latest snapshot on) passes this many bytes. Default 64 MiB. */
  bytes?: number;
  /** Finished orders kept, newest first, for idempotent retries. Default 10,000. */
  keepFinished?: number;
}

export const DEFAULT_COMPACT_BYTES = 64 * 1024 * 1024;
export const DEFAULT_KEEP_FINISHED = 10_000;

/** Compaction is due: past the threshold, and past twice the last snapshot (a big live state must not compact on every order). */
export function compactionDue(journalBytes: number, snapshotBytes: number, opts: CompactionOptions = {}): boolean {
  return journalBytes > Math.max(opts.bytes ?? DEFAULT_COMPACT_BYTES, 2 * snapshotBytes);
}

/** What replay would make of emsd's journal right now, kept current by `append`, and the order orders finished in. */
export class JournalMirror {
  /** Finished oids, oldest first (re-finishing moves one to the end). */
  private readonly finished = new Set<string>();

  constructor(readonly orders: Map<string, ReplayedOrder>) {}

  /** Records as the journal took them, in the order it took them (so in seq order). */
  append(records: readonly AppendRecord[]): void {
    for (const r of records) foldRecord(this.orders, r);
  }

  /** Marks an oid finished now: the newest, so the last to be forgotten. */
  finish(oid: string): void {
    this.finished.delete(oid);
    this.finished.add(oid);
  }

  get finishedCount(): number {
    return this.finished.size;
  }

  /** Forgets the oldest finished orders beyond `keep`; returns their oids (emsd drops its records of them too). */
  prune(keep: number): Set<string> {
    const dropped = new Set<string>();
    let excess = this.finished.size - keep;
    for (const oid of this.finished) {
      if (excess-- <= 0) break;
      dropped.add(oid);
    }
    for (const oid of dropped) {
      this.finished.delete(oid);
      this.orders.delete(oid);
    }
    return dropped;
  }

  /**
   * The snapshot to write: working orders first, then finished ones oldest first (so a restart restores that order).
   * Fills the ledger already holds are dropped from it (and from the mirror: the two must stay equal), keeping their
   * trade ids; those it does not hold yet stay, for recovery to book. A deep copy: the mirror changes on.
   */
  snapshot(booked: (r: ReplayedOrder, tid: string) => boolean): EmsSnapshot {
    for (const r of this.orders.values()) if (r.fills.length) r.fills = r.fills.filter((f) => !booked(r, f.tid));
    const working = [...this.orders.values()].filter((r) => !this.finished.has(r.order.oid));
    const done = [...this.finished].flatMap((oid) => this.orders.get(oid) ?? []);
    return structuredClone({ version: 1, orders: [...working, ...done] });
  }
}
