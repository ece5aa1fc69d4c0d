import { IncrementalIndicator } from '../../../core/indicators/incremental.js';
import { isIndicatorKind, kernelOf } from '../../../core/indicators/registry.js';
import type { BarRows } from '../../../core/protocol/frames.js';
import { BarStore } from '../../lib/bar-store.js';
import type { RowsMsg, ToWorker, ValuesMsg, ValuesOut } from './worker-protocol.js';

/** The columns indicators read: a row whose values here are unchanged changes no indicator. */
const READ = ['time', 'high', 'low', 'close', 'volume'] as const;

interface Held {
  ind: IncrementalIndicator;
  rev: number;
  /** Needs a batch: new, or its parameters changed. */
  fresh: boolean;
}

class Series {
  readonly store = new BarStore();
  epoch = 0;
  readonly indicators = new Map<string, Held>();
  /** Every indicator starts over (new content, or rows prepended: local indices moved). */
  full = false;
  /** Absolute index of the first row that changed since the last flush. */
  dirtyFrom = Infinity;
  pending = false;
}

/**
 * What the indicator worker does, without the worker: takes the page's rows and indicator sets (handle), and
 * computes what changed (flush). Rows that arrive again unchanged (the host resends its tail) change nothing; a
 * tick rewrites the forming bar, so each indicator recomputes one value; rows prepended, or a store replaced,
 * recompute everything. Pure apart from the clock, so it runs in tests and benchmarks as it runs in the worker.
 */
export class IndicatorEngine {
  private readonly series = new Map<number, Series>();

  get pending(): boolean {
    for (const s of this.series.values()) if (s.pending) return true;
    return false;
  }

  handle(msg: ToWorker): void {
    switch (msg.type) {
      case 'rows':
        return this.rows(msg);
      case 'set': {
        if (!isIndicatorKind(msg.kind)) return;
        const s = this.get(msg.series);
        s.indicators.set(msg.id, { ind: new IncrementalIndicator(kernelOf(msg.kind, msg.params)), rev: msg.rev, fresh: true });
        s.pending = true;
        return;
      }
      case 'remove':
        this.series.get(msg.series)?.indicators.delete(msg.id);
        return;
      case 'drop':
        this.series.delete(msg.series);
        return;
    }
  }

  /** Computes every series with changes: one message each, with only the values that changed. */
  flush(): ValuesMsg[] {
    const out: ValuesMsg[] = [];
    for (const [id, s] of this.series) {
      if (!s.pending) continue;
      const msg = this.compute(id, s);
      if (msg.out.length > 0) out.push(msg);
    }
    return out;
  }

  /** Rows held for a series (tests, benchmarks). */
  rowsOf(series: number): { lo: number; hi: number } | null {
    const s = this.series.get(series);
    return s ? { lo: s.store.lo, hi: s.store.hi } : null;
  }

  private get(id: number): Series {
    let s = this.series.get(id);
    if (!s) this.series.set(id, (s = new Series()));
    return s;
  }

  private rows(msg: RowsMsg): void {
    const s = this.get(msg.series);
    const store = s.store;
    const count = msg.rows.time.length;
    if (msg.epoch < s.epoch) return;
    if (msg.replace || msg.epoch !== s.epoch || store.length === 0) {
      s.epoch = msg.epoch;
      store.clear();
      store.set(msg.start, msg.rows, count);
      s.full = true;
      s.pending = true;
      return;
    }
    if (count === 0) return;
    const lo = store.lo;
    const first = msg.start < lo ? msg.start : firstChange(store, msg.start, msg.rows, count);
    const gen = store.generation;
    store.set(msg.start, msg.rows, count);
    // Rows before the held ones shift every local index; a write that left a hole replaced the store.
    if (msg.start < lo || store.generation !== gen) s.full = true;
    else if (first < msg.start + count) s.dirtyFrom = Math.min(s.dirtyFrom, first);
    else return;
    s.pending = true;
  }

  private compute(id: number, s: Series): ValuesMsg {
    const t0 = performance.now();
    const store = s.store;
    const { lo, hi } = store;
    const len = hi - lo;
    const v = store.view({ from: lo, to: hi });
    const out: ValuesOut[] = [];
    // No rows yet (an indicator set before the snapshot came): nothing to say; the rows will recompute it.
    if (len === 0) {
      s.pending = false;
      return { type: 'values', series: id, epoch: s.epoch, lo, hi, out, computeUs: 0 };
    }
    for (const [key, h] of s.indicators) {
      const from = s.dirtyFrom - lo;
      if (!s.full && !h.fresh && from < Infinity && h.ind.update(v, len, from)) {
        out.push({ id: key, rev: h.rev, full: false, from: lo + h.ind.changedFrom, values: h.ind.changed.slice() });
      } else if (s.full || h.fresh || from < Infinity) {
        const values = new Float64Array(len);
        h.ind.batch(v, len, values);
        out.push({ id: key, rev: h.rev, full: true, from: lo, values });
      }
      h.fresh = false;
    }
    s.full = false;
    s.dirtyFrom = Infinity;
    s.pending = false;
    return { type: 'values', series: id, epoch: s.epoch, lo, hi, out, computeUs: (performance.now() - t0) * 1000 };
  }
}

/** Absolute index of the first row of `rows` (at `start`) that differs from the store, past the held rows if none. */
function firstChange(store: BarStore, start: number, rows: BarRows, count: number): number {
  const end = Math.min(start + count, store.hi);
  for (let i = start; i < end; i++) {
    for (const c of READ) if (store.get(c, i) !== rows[c][i - start]) return i;
  }
  return end;
}

/** The buffers of a values message, to transfer rather than copy. */
export function transferables(msg: ValuesMsg): ArrayBuffer[] {
  return msg.out.map((o) => o.values.buffer as ArrayBuffer);
}
