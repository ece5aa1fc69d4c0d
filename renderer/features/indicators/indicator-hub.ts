import { isIndicatorKind, normalizeParams, type IndicatorKind, type IndicatorParams } from '../../../core/indicators/registry.js';
import { COLUMNS, type BarRows } from '../../../core/protocol/frames.js';
import type { BarStore, Span } from '../../lib/bar-store.js';
import { IndicatorValues } from './indicator-values.js';
import type { FromWorker, ToWorker, ValuesMsg } from './worker-protocol.js';

/** What the page needs of a worker (a DOM Worker, a node worker thread in the bench, a stand-in in tests). */
export interface WorkerLike {
  postMessage(msg: ToWorker, transfer: ArrayBuffer[]): void;
  onmessage: ((e: { data: FromWorker }) => void) | null;
  onerror: ((e: unknown) => void) | null;
  terminate(): void;
}

/** An indicator as the layout stores it (core/protocol/layout.ts IndicatorSpec). */
export interface IndicatorSpecLike {
  id: string;
  kind: string;
  params: Readonly<Record<string, number | string | boolean>>;
}

export interface IndicatorChange {
  id: string;
  /** Rows [from, to) have new values; `full`: every value was replaced. */
  from: number;
  to: number;
  full: boolean;
}

export interface IndicatorFeedListener {
  onValues(changes: IndicatorChange[]): void;
}

interface Shown {
  kind: IndicatorKind;
  params: IndicatorParams;
  rev: number;
  key: string;
}

/**
 * The page's side of the indicator worker: one worker for the window, started with the first indicator. Each chart
 * pane that shows indicators opens a feed; the hub routes the worker's answers to it.
 */
export class IndicatorHub {
  private worker: WorkerLike | null = null;
  /** The worker could not be started (e.g. refused by the page's policy): indicators stay empty, nothing throws. */
  private failed = false;
  private nextSeries = 1;
  private readonly feeds = new Map<number, IndicatorFeed>();
  readonly stats = { posted: 0, received: 0, rowsPosted: 0, lastComputeUs: 0, maxComputeUs: 0, errors: 0, lastError: '' };

  constructor(private readonly makeWorker: () => WorkerLike) {}

  open(listener: IndicatorFeedListener): IndicatorFeed {
    const feed = new IndicatorFeed(this, this.nextSeries++, listener);
    this.feeds.set(feed.series, feed);
    return feed;
  }

  /** @internal */
  post(msg: ToWorker, transfer: ArrayBuffer[] = []): void {
    this.stats.posted++;
    if (msg.type === 'rows') this.stats.rowsPosted += msg.rows.time.length;
    this.ensure()?.postMessage(msg, transfer);
  }

  /** @internal */
  closed(feed: IndicatorFeed): void {
    this.feeds.delete(feed.series);
    if (this.worker) this.worker.postMessage({ type: 'drop', series: feed.series }, []);
  }

  /** Stops the worker (the page is going away, or tests). */
  terminate(): void {
    this.worker?.terminate();
    this.worker = null;
  }

  private ensure(): WorkerLike | null {
    if (this.worker || this.failed) return this.worker;
    let w: WorkerLike;
    try {
      w = this.makeWorker();
    } catch (e) {
      this.failed = true;
      this.fail(e);
      return null;
    }
    w.onmessage = (e) => this.receive(e.data);
    w.onerror = (e) => this.fail(e);
    this.worker = w;
    return w;
  }

  private fail(e: unknown): void {
    this.stats.errors++;
    this.stats.lastError = String((e as { message?: unknown })?.message ?? e);
    console.error('indicator worker:', this.stats.lastError);
  }

  private receive(msg: FromWorker): void {
    if (msg.type === 'error') return this.fail(msg);
    this.stats.received++;
    this.stats.lastComputeUs = msg.computeUs;
    this.stats.maxComputeUs = Math.max(this.stats.maxComputeUs, msg.computeUs);
    this.feeds.get(msg.series)?.receive(msg);
  }
}

/**
 * One chart pane's indicators: the rows of its BarStore go to the worker (`push`, with what the chart's stream says
 * changed), the indicator set is kept in step with the layout (`setIndicators`), and the worker's values land in
 * one IndicatorValues per indicator, addressed like the store's rows.
 */
export class IndicatorFeed {
  readonly values = new Map<string, IndicatorValues>();
  private readonly shown = new Map<string, Shown>();
  private epoch = 0;
  private started = false;
  private closedFlag = false;
  private rev = 0;

  constructor(
    private readonly hub: IndicatorHub,
    readonly series: number,
    private readonly listener: IndicatorFeedListener,
  ) {}

  /** The indicators in this pane now; unknown kinds are ignored, parameters normalized. */
  setIndicators(list: readonly IndicatorSpecLike[]): void {
    if (this.closedFlag) return;
    const keep = new Set<string>();
    for (const spec of list) {
      if (!isIndicatorKind(spec.kind)) continue;
      keep.add(spec.id);
      const params = normalizeParams(spec.kind, spec.params);
      const key = `${spec.kind}:${JSON.stringify(params)}`;
      if (this.shown.get(spec.id)?.key === key) continue;
      const rev = ++this.rev;
      this.shown.set(spec.id, { kind: spec.kind, params, rev, key });
      this.values.set(spec.id, new IndicatorValues());
      this.hub.post({ type: 'set', series: this.series, id: spec.id, rev, kind: spec.kind, params });
    }
    for (const id of [...this.shown.keys()]) {
      if (keep.has(id)) continue;
      this.shown.delete(id);
      this.values.delete(id);
      this.hub.post({ type: 'remove', series: this.series, id });
    }
  }

  /** The kind and parameters an indicator is shown with. */
  spec(id: string): { kind: IndicatorKind; params: IndicatorParams } | null {
    const s = this.shown.get(id);
    return s ? { kind: s.kind, params: s.params } : null;
  }

  get ids(): string[] {
    return [...this.shown.keys()];
  }

  /**
   * Rows of `store` were written: `span` (what the chart's stream reported), or everything when `replaced` (or when
   * the worker has seen nothing yet). Copies those rows to the worker.
   */
  push(store: BarStore, span: Span | null, replaced: boolean): void {
    if (this.closedFlag) return;
    if (replaced || !this.started) {
      this.started = true;
      this.epoch++;
      for (const v of this.values.values()) v.clear();
      this.send(store, { from: store.lo, to: store.hi }, true);
      return;
    }
    if (span) {
      const from = Math.max(span.from, store.lo);
      const to = Math.min(span.to, store.hi);
      if (to > from) this.send(store, { from, to }, false);
    }
  }

  close(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    this.hub.closed(this);
  }

  /** @internal values from the worker; those of an older epoch or indicator revision are stale and dropped. */
  receive(msg: ValuesMsg): void {
    if (this.closedFlag || msg.epoch !== this.epoch) return;
    const changes: IndicatorChange[] = [];
    for (const o of msg.out) {
      const shown = this.shown.get(o.id);
      const vals = this.values.get(o.id);
      if (!shown || !vals || shown.rev !== o.rev) continue;
      if (o.full) vals.replace(o.from, o.values);
      else vals.write(o.from, o.values);
      changes.push({ id: o.id, from: o.from, to: o.from + o.values.length, full: o.full });
    }
    if (changes.length > 0) this.listener.onValues(changes);
  }

  private send(store: BarStore, span: Span, replace: boolean): void {
    const v = store.view(span);
    const rows = {} as BarRows;
    const transfer: ArrayBuffer[] = [];
    for (const c of COLUMNS) {
      rows[c] = v[c].slice();
      transfer.push(rows[c].buffer as ArrayBuffer);
    }
    this.hub.post({ type: 'rows', series: this.series, epoch: this.epoch, replace, start: v.from, rows }, transfer);
  }
}
