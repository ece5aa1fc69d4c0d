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
 * One bar subscription (fqme, timeframe) on one connection, feeding a BarStore. Keeps what changed since
 * the chart last drew (`takeDirty`) and when each live update arrived (`takeReceiveTimes`), so the chart
 * can apply everything in one flush and record tick-to-chart latency.
 */
export class BarStream {
  readonly store = new BarStore();
  streamId: number | null = null;
  /** Oldest row the host holds (its buffer's `first`): older than store.lo means history can be paged in. */
  hostFirst = 0;
  private dirty: Span | null = null;
  private replaced = false;
  private recvTimes: number[] = [];
  private ingestTimes: number[] = [];
  private early: BarFrame[] = [];
  /** The span asked with bars.range whose frame has not arrived yet. */
  private rangeInFlight: Span | null = null;
  private rangeTimer: ReturnType<typeof setTimeout> | null = null;
  private awaitingSnapshot = false;
  private resetTimer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  private offFrame: () => void;
  private offStream: () => void;

  constructor(
    private readonly client: ApiClient,
    readonly fqme: string,
    readonly timeframe: Timeframe,
    /** Rows to hold: the first snapshot brings up to INITIAL_SNAPSHOT_ROWS, prefetching the rest. */
    private readonly count: number,
    private readonly listener: BarStreamListener,
  ) {
    this.offFrame = client.onFrame((f) => this.onFrame(f));
    this.offStream = client.on('stream', (e) => {
      if (e.streamId !== this.streamId) return;
      this.hostFirst = e.first;
      if (e.reason === 'reset') this.onReset();
      else {
        // More history on the host: keep prefetching, and let the chart page further back.
        this.prefetch();
        this.listener.onRows();
      }
    });
  }

  /** Subscribes; rejects with the host's ApiError (e.g. not_found for an unknown fqme). */
  async start(): Promise<void> {
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

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.offFrame();
    this.offStream();
    if (this.resetTimer) clearTimeout(this.resetTimer);
    if (this.rangeTimer) clearTimeout(this.rangeTimer);
    if (this.streamId !== null) this.unsubscribe(this.streamId);
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

  /** True while rows beyond the first snapshot are still being paged in. */
  get prefetching(): boolean {
    return this.store.length > 0 && this.store.length < this.count && this.store.lo > this.hostFirst;
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
    this.listener.onRows();
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
        this.replaced = true;
        this.dirty = null;
        this.awaitingSnapshot = false;
        if (this.resetTimer) clearTimeout(this.resetTimer);
        break;
      case FrameKind.update: {
        // Updates between a reset and its new snapshot belong to a buffer we no longer hold.
        if (this.awaitingSnapshot) return;
        const gen = s.generation;
        const span = s.set(f.startIndex, f.rows, f.count);
        if (s.generation !== gen) this.replaced = true;
        this.dirty = unionSpan(this.dirty, span);
        this.recvTimes.push(recvAt);
        this.ingestTimes.push(f.ingestedAt);
        break;
      }
      case FrameKind.range: {
        // Only rows that join the held ones: a stale page from before a reset must not replace the store.
        if (s.length === 0 || f.startIndex + f.count < s.lo || f.startIndex > s.hi) break;
        this.dirty = unionSpan(this.dirty, s.set(f.startIndex, f.rows, f.count));
        break;
      }
    }
    // Every frame carries the host buffer's bounds at send time: history backfill lowers `first`.
    this.hostFirst = f.first;
    if (f.kind === FrameKind.range) this.rangeDone();
    else if (f.kind === FrameKind.snapshot) {
      this.prefetch();
      this.listener.onRows();
    } else this.listener.onRows();
  }

  private onReset(): void {
    this.store.clear();
    this.replaced = true;
    this.dirty = null;
    this.awaitingSnapshot = true;
    this.listener.onRows();
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
      await this.start();
    } catch {
      // The chart keeps showing its last error-free state; a reconnect starts over anyway.
    }
  }

  private unsubscribe(streamId: number): void {
    if (this.client.isClosed) return;
    this.client.call('bars.unsubscribe', { streamId }).catch(() => undefined);
  }
}
