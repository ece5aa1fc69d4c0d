import type { ApiClient } from '../../core/protocol/client.js';
import { FrameKind, type BarFrame } from '../../core/protocol/frames.js';
import type { Timeframe } from '../../core/protocol/types.js';
import { BarStore, unionSpan, type Span } from '../lib/bar-store.js';

/** What a chart hears from its stream. All rows are already in `stream.store` when these fire. */
export interface BarStreamListener {
  /** Rows were written. `replaced` means the store's content was swapped (snapshot, reset): redraw from scratch. */
  onRows(): void;
}

/**
 * The first snapshot is capped so the chart paints at once; rows beyond it (a chart asked to hold a
 * million bars) are paged in behind it, newest first, in chunks that each cost the page one short task.
 */
export const INITIAL_SNAPSHOT_ROWS = 20_000;
export const PREFETCH_CHUNK_ROWS = 100_000;
/** A range reply whose frame never comes must not block paging forever. */
const RANGE_TIMEOUT_MS = 10_000;

/** Frames that arrive before the subscribe reply names their stream id are held this long at most. */
const MAX_EARLY_FRAMES = 256;
/** After a `reset` event the host sends a fresh snapshot; if it does not, subscribe again. */
const RESET_SNAPSHOT_WAIT_MS = 3000;

/**
 * One bar subscription (fqme, timeframe) on one connection, feeding one BarStore, read by one or more BarStreams
 * (charts, overlays). Charts of the same symbol and timeframe share it (BarStream.shared): one subscription, one
 * copy of the rows, however many charts draw them.
 */
class BarSource {
  readonly store = new BarStore();
  streamId: number | null = null;
  /** Oldest row the host holds (its buffer's `first`): older than store.lo means history can be paged in. */
  hostFirst = 0;
  readonly readers = new Set<BarStream>();
  private early: BarFrame[] = [];
  /** The span asked with bars.range whose frame has not arrived yet. */
  private rangeInFlight: Span | null = null;
  private rangeTimer: ReturnType<typeof setTimeout> | null = null;
  private awaitingSnapshot = false;
  private resetTimer: ReturnType<typeof setTimeout> | null = null;
  private started: Promise<void> | null = null;
  private closed = false;
  private offFrame: () => void;
  private offStream: () => void;

  constructor(
    private readonly client: ApiClient,
    readonly fqme: string,
    readonly timeframe: Timeframe,
    /** Rows to hold: the first snapshot brings up to INITIAL_SNAPSHOT_ROWS, prefetching the rest. */
    public count: number,
    private readonly onClosed: () => void = () => undefined,
  ) {
    this.offFrame = client.onFrame((f) => this.onFrame(f));
    this.offStream = client.on('stream', (e) => {
      if (e.streamId !== this.streamId) return;
      this.hostFirst = e.first;
      if (e.reason === 'reset') this.onReset();
      else {
        // More history on the host: keep prefetching, and let the charts page further back.
        this.prefetch();
        this.notify();
      }
    });
  }

  /** Subscribes once, whoever asks first; rejects with the host's ApiError (e.g. not_found for an unknown fqme). */
  start(): Promise<void> {
    this.started ??= this.subscribe();
    return this.started;
  }

  add(reader: BarStream, count: number): void {
    this.readers.add(reader);
    if (count > this.count) {
      this.count = count;
      this.prefetch();
    }
  }

  remove(reader: BarStream): void {
    this.readers.delete(reader);
    if (this.readers.size === 0) this.close();
  }

  /** Asks for older rows [from, to); one request at a time. The rows arrive as a range frame after the reply. */
  requestHistory(span: Span): void {
    if (this.rangeInFlight || this.streamId === null || this.closed || span.to <= span.from) return;
    this.rangeInFlight = span;
    this.rangeTimer = setTimeout(() => this.rangeDone(), RANGE_TIMEOUT_MS);
    this.client.call('bars.range', { streamId: this.streamId, from: span.from, to: span.to }).then(
      (r) => {
        if (r.rows === 0) this.rangeDone();
      },
      // A failed page is retried by the next scroll; the chart stays usable with what it has.
      () => this.rangeDone(),
    );
  }

  get prefetching(): boolean {
    return this.store.length > 0 && this.store.length < this.count && this.store.lo > this.hostFirst;
  }

  private async subscribe(): Promise<void> {
    const count = Math.min(this.count, INITIAL_SNAPSHOT_ROWS);
    const res = await this.client.call('bars.subscribe', { fqme: this.fqme, timeframe: this.timeframe, count });
    if (this.closed) {
      this.unsubscribe(res.streamId);
      return;
    }
    this.streamId = res.streamId;
    this.hostFirst = res.first;
    const early = this.early;
    this.early = [];
    for (const f of early) if (f.streamId === res.streamId) this.apply(f, performance.now());
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.offFrame();
    this.offStream();
    if (this.resetTimer) clearTimeout(this.resetTimer);
    if (this.rangeTimer) clearTimeout(this.rangeTimer);
    if (this.streamId !== null) this.unsubscribe(this.streamId);
    this.onClosed();
  }

  private prefetch(): void {
    const s = this.store;
    if (this.rangeInFlight || s.length === 0 || s.length >= this.count || s.lo <= this.hostFirst) return;
    const want = Math.min(PREFETCH_CHUNK_ROWS, this.count - s.length);
    // One allocation for everything still to come, instead of a reallocation per chunk.
    s.reserve(Math.max(this.hostFirst, s.hi - this.count), s.hi);
    this.requestHistory({ from: Math.max(this.hostFirst, s.lo - want), to: s.lo });
  }

  private rangeDone(): void {
    if (this.rangeTimer) clearTimeout(this.rangeTimer);
    this.rangeTimer = null;
    this.rangeInFlight = null;
    if (this.closed) return;
    this.prefetch();
    this.notify();
  }

  private notify(): void {
    for (const r of this.readers) r.listener.onRows();
  }

  private onFrame(f: BarFrame): void {
    const now = performance.now();
    if (this.closed) return;
    if (this.streamId === null) {
      if (this.early.length < MAX_EARLY_FRAMES) this.early.push(f);
      return;
    }
    if (f.streamId === this.streamId) this.apply(f, now);
  }

  private apply(f: BarFrame, recvAt: number): void {
    const s = this.store;
    switch (f.kind) {
      case FrameKind.snapshot:
        s.clear();
        s.set(f.startIndex, f.rows, f.count);
        for (const r of this.readers) r.noteReplaced();
        this.awaitingSnapshot = false;
        if (this.resetTimer) clearTimeout(this.resetTimer);
        break;
      case FrameKind.update: {
        // Updates between a reset and its new snapshot belong to a buffer we no longer hold.
        if (this.awaitingSnapshot) return;
        const gen = s.generation;
        const span = s.set(f.startIndex, f.rows, f.count);
        const replaced = s.generation !== gen;
        for (const r of this.readers) r.noteUpdate(span, replaced, recvAt, f.ingestedAt);
        break;
      }
      case FrameKind.range: {
        // Only rows that join the held ones: a stale page from before a reset must not replace the store.
        if (s.length === 0 || f.startIndex + f.count < s.lo || f.startIndex > s.hi) break;
        const span = s.set(f.startIndex, f.rows, f.count);
        for (const r of this.readers) r.noteUpdate(span, false, null, 0);
        break;
      }
    }
    // Every frame carries the host buffer's bounds at send time: history backfill lowers `first`.
    this.hostFirst = f.first;
    if (f.kind === FrameKind.range) this.rangeDone();
    else if (f.kind === FrameKind.snapshot) {
      this.prefetch();
      this.notify();
    } else this.notify();
  }

  private onReset(): void {
    this.store.clear();
    for (const r of this.readers) r.noteReplaced();
    this.awaitingSnapshot = true;
    this.notify();
    if (this.resetTimer) clearTimeout(this.resetTimer);
    this.resetTimer = setTimeout(() => void this.resubscribe(), RESET_SNAPSHOT_WAIT_MS);
  }

  private async resubscribe(): Promise<void> {
    if (this.closed || !this.awaitingSnapshot) return;
    const old = this.streamId;
    this.streamId = null;
    if (old !== null) this.unsubscribe(old);
    this.awaitingSnapshot = false;
    try {
      await this.subscribe();
    } catch {
      // The chart keeps showing its last error-free state; a reconnect starts over anyway.
    }
  }

  private unsubscribe(streamId: number): void {
    if (this.client.isClosed) return;
    this.client.call('bars.unsubscribe', { streamId }).catch(() => undefined);
  }
}

/** Shared sources by connection, then by `fqme/timeframe`. A new connection starts a new pool. */
const pools = new WeakMap<ApiClient, Map<string, BarSource>>();

/**
 * One reader of a bar subscription: what one chart (or overlay) has not drawn yet. Keeps what changed since the
 * chart last drew (`takeDirty`) and when each live update arrived (`takeReceiveTimes`), so the chart can apply
 * everything in one flush and record tick-to-chart latency. A paused reader (a chart in a hidden tab) still
 * collects what changed, so it catches up with one flush when shown, but records no receive times.
 */
export class BarStream {
  private readonly source: BarSource;
  private dirty: Span | null = null;
  private replaced = false;
  private recvTimes: number[] = [];
  private ingestTimes: number[] = [];
  private closed = false;
  /** Set while the chart is hidden: no latency samples (they would measure the time hidden, and pile up). */
  paused = false;

  constructor(
    client: ApiClient,
    readonly fqme: string,
    readonly timeframe: Timeframe,
    count: number,
    readonly listener: BarStreamListener,
    source?: BarSource,
  ) {
    this.source = source ?? new BarSource(client, fqme, timeframe, count);
    this.source.add(this, count);
    // Joining a source that already holds rows: draw them.
    if (this.source.store.length > 0) this.replaced = true;
  }

  /**
   * A reader of the connection's one subscription to (fqme, timeframe), made on first use and ended when its last
   * reader closes: two charts of one symbol cost the host one stream and the page one copy of the rows.
   */
  static shared(client: ApiClient, fqme: string, timeframe: Timeframe, count: number, listener: BarStreamListener): BarStream {
    let pool = pools.get(client);
    if (!pool) pools.set(client, (pool = new Map()));
    const key = `${fqme}/${timeframe}`;
    let source = pool.get(key);
    if (!source) {
      const made = new BarSource(client, fqme, timeframe, count, () => {
        if (pool.get(key) === made) pool.delete(key);
      });
      pool.set(key, made);
      source = made;
    }
    return new BarStream(client, fqme, timeframe, count, listener, source);
  }

  get store(): BarStore {
    return this.source.store;
  }

  get streamId(): number | null {
    return this.source.streamId;
  }

  /** Oldest row the host holds (its buffer's `first`): older than store.lo means history can be paged in. */
  get hostFirst(): number {
    return this.source.hostFirst;
  }

  /** True while rows beyond the first snapshot are still being paged in. */
  get prefetching(): boolean {
    return this.source.prefetching;
  }

  /** How many readers share this stream's subscription (1 when unshared). */
  get sharedBy(): number {
    return this.source.readers.size;
  }

  /** Subscribes (or joins the subscription); rejects with the host's ApiError (e.g. not_found for an unknown fqme). */
  start(): Promise<void> {
    return this.source.start();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.source.remove(this);
  }

  /** Whether the pending change is a small live update (a few tail rows, nothing replaced). */
  hasSmallUpdate(maxRows: number): boolean {
    return !this.replaced && this.dirty !== null && this.dirty.to - this.dirty.from <= maxRows;
  }

  /** Rows changed since the last call, and whether the whole store was replaced. */
  takeDirty(): { span: Span | null; replaced: boolean } {
    const out = { span: this.dirty, replaced: this.replaced };
    this.dirty = null;
    this.replaced = false;
    return out;
  }

  /**
   * For each live update frame since the last call: when it arrived (performance.now()) and when datad
   * wrote its newest row (epoch ms from the frame header, 0 when the host did not say).
   */
  takeReceiveTimes(): { received: number[]; ingested: number[] } {
    const out = { received: this.recvTimes, ingested: this.ingestTimes };
    this.recvTimes = [];
    this.ingestTimes = [];
    return out;
  }

  /** Asks for older rows [from, to); one request at a time per subscription. */
  requestHistory(span: Span): void {
    this.source.requestHistory(span);
  }

  /** @internal the source swapped the store's content (snapshot, reset). */
  noteReplaced(): void {
    this.replaced = true;
    this.dirty = null;
  }

  /** @internal rows `span` were written; `recvAt` is set for live updates (null for history pages). */
  noteUpdate(span: Span | null, replaced: boolean, recvAt: number | null, ingestedAt: number): void {
    if (replaced) this.replaced = true;
    this.dirty = unionSpan(this.dirty, span);
    if (recvAt !== null && !this.paused) {
      this.recvTimes.push(recvAt);
      this.ingestTimes.push(ingestedAt);
    }
  }
}
