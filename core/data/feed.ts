import type { DataBackend, LinkEvent, LinkState } from '../brokers/backend.js';
import { mergeRepair } from './bar-repair.js';
import type { MktPair, Tick, Timeframe } from '../protocol/types.js';
import type { BarRows } from '../protocol/frames.js';
import { OhlcBuffer } from './ohlc-buffer.js';
import { applyTrade, newWriteStats, stepTo, type WriteStats } from './ohlc-writer.js';
import type { FeedStats, HistoryDepth } from './datad-messages.js';
import { FeedHistory } from './history/feed-history.js';
import type { HistoryStore } from './history/store.js';

/** Live rows each buffer holds before it is compacted: a week of minutes, a day of seconds. */
const LIVE_ROWS: Record<Timeframe, number> = { 60: 7 * 1440, 1: 86_400 };
const FIRST_FRAME: Record<Timeframe, number> = { 60: 2_880, 1: 3_600 };
const BACKFILL_CHUNK = 20_000;
/** Closed bars go to the history store in one batch this often (never per tick). */
const PERSIST_MS = 2_000;

export interface FeedEvents {
  onBuffer(fqme: string, timeframe: Timeframe, buf: OhlcBuffer): void;
  onHistory(fqme: string, timeframe: Timeframe, first: number, done: boolean): void;
  /** Called after a batch was written to the buffers, so a listener reading them sees the batch. */
  onTicks(fqme: string, ticks: readonly Tick[]): void;
  /** The venue connection behind this feed changed state. */
  onLink?(fqme: string, state: LinkState, detail: string, source: string): void;
  /** The venue's matching engine status changed (LinkEvent 'engine'). */
  onEngine?(fqme: string, status: string): void;
}

/** How long after a bar closes its repair is fetched: the venue's candle must include the bar's last trades. */
const CLOSE_GRACE_MS = 1_500;

/** One market inside a datad worker: its two buffers, the writer state and the history backfill. */
export class Feed {
  readonly buffers = new Map<Timeframe, OhlcBuffer>();
  readonly stats: Record<Timeframe, WriteStats> = { 1: newWriteStats(), 60: newWriteStats() };
  lastTickAt: number | null = null;
  last: number | null = null;
  link: LinkState | null = null;
  linkDetail = '';
  /** What the venue's matching engine last said it takes (Kraken: online, maintenance, ...); null: not said. */
  engine: string | null = null;
  /** Bars repaired from history after a reconnect (or at open, for venues that cannot replay). */
  repairs = 0;
  /** The fqme feeding the buffers: the backup's while the primary is down or stale. */
  source: string;
  private stopBackup: (() => void) | null = null;
  private failedOverAt = 0;
  private stopStream: (() => void) | null = null;
  private closed = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private persistTimer: NodeJS.Timeout | null = null;
  /** Where history comes from (storage, then the venue) and where closed bars go. */
  readonly history: FeedHistory;

  constructor(
    readonly mkt: MktPair,
    private readonly backend: DataBackend,
    private readonly depth: HistoryDepth,
    private readonly events: FeedEvents,
    /** Another venue's feed of the same instrument, streamed into these buffers while this one is down. */
    private readonly backup: { fqme: string; backend: DataBackend } | null = null,
    /** The backend's history store; null: history comes from the backend every time (the sim, by default). */
    store: HistoryStore | null = null,
    log: (line: string) => void = () => {},
  ) {
    this.source = mkt.fqme;
    this.history = new FeedHistory(mkt.fqme, backend, store, log);
  }

  /**
   * Loads the newest history frame (from storage when it is there, topped up from the venue), then replays the
   * current minute's ticks so the live bars are complete from the first update, then streams. Older history is
   * backfilled afterwards, newest first.
   */
  async open(nowMs: number): Promise<void> {
    const minuteStart = Math.floor(nowMs / 60_000) * 60;
    // Where the venue's bars are needed from: the open's minute, or later where storage already has the bars.
    let resumeSec = minuteStart;
    for (const tf of [60, 1] as const) {
      const histRows = tf === 60 ? this.depth.rows60 : this.depth.rows1;
      const buf = OhlcBuffer.create({ capacity: histRows + LIVE_ROWS[tf], origin: histRows, timeframe: tf });
      const rows = await this.history.firstFrame(tf, minuteStart, Math.min(histRows, FIRST_FRAME[tf]));
      buf.prepend(rows, 0, rows.length);
      const tail = this.history.takeTail(tf);
      if (tail.length) {
        buf.beginWrite();
        for (let i = 0; i < tail.length; i++) buf.appendRow(tail.time[i]!, tail.open[i]!, tail.high[i]!, tail.low[i]!, tail.close[i]!, tail.volume[i]!);
        buf.endWrite();
        resumeSec = Math.max(resumeSec, tail.time[tail.length - 1]! + tf);
      }
      this.buffers.set(tf, buf);
    }
    this.stopStream = this.backend.streamQuotes(
      this.mkt.fqme,
      minuteStart * 1000,
      (_f, ticks) => this.ingest(ticks),
      (e) => this.onLinkEvent(e),
    );
    // A venue streams from now: the minute so far comes from its history, like bars missed in a disconnect.
    if (!this.backend.replays) this.repairFrom(resumeSec * 1000);
    if (this.history.store) {
      this.persistTimer = setInterval(() => this.persist(), PERSIST_MS);
      this.persistTimer.unref?.();
    }
  }

  /** Writes closed bars not stored yet to the history store (one batch per timeframe). */
  persist(nowMs = Date.now()): void {
    for (const tf of [60, 1] as const) {
      const buf = this.buffers.get(tf);
      if (buf) this.history.persist(tf, buf, nowMs / 1000);
    }
  }

  private onLinkEvent(e: LinkEvent): void {
    if (e.type === 'resumed') {
      this.repairFrom(e.lastMs);
      return;
    }
    if (e.type === 'engine') {
      if (e.status === this.engine) return;
      this.engine = e.status;
      this.events.onEngine?.(this.mkt.fqme, e.status);
      return;
    }
    this.link = e.state;
    this.linkDetail = e.detail ?? '';
    // Bars after the last tick before a drop are not trusted (not stored) until the link is back and repaired.
    this.history.setLink(e.state === 'live', (this.lastTickAt ?? Date.now()) / 1000);
    if (this.backup && !this.closed) {
      if ((e.state === 'down' || e.state === 'stale') && !this.stopBackup) this.failOver(this.backup);
      else if (e.state === 'live' && this.stopBackup) this.failBack();
    }
    this.events.onLink?.(this.mkt.fqme, e.state, this.linkDetail, this.source);
  }

  private failOver(backup: { fqme: string; backend: DataBackend }): void {
    this.failedOverAt = this.lastTickAt ?? Date.now();
    this.source = backup.fqme;
    console.error(`feed ${this.mkt.fqme}: primary ${this.link} (${this.linkDetail}); feeding from ${backup.fqme}`);
    this.stopBackup = backup.backend.streamQuotes(backup.fqme, Date.now(), (_f, ticks) => this.ingest(ticks));
  }

  /** The primary is back: its history replaces the bars the backup fed, so the series is one venue's again. */
  private failBack(): void {
    this.stopBackup?.();
    this.stopBackup = null;
    this.source = this.mkt.fqme;
    console.error(`feed ${this.mkt.fqme}: primary live again; backup released`);
    this.repairFrom(this.failedOverAt);
  }

  /**
   * Ticks after `lastMs` may be missing. Bars that closed since are refetched from the venue now; the bar in
   * progress also lacks the trades before the stream resumed, so it is refetched once it has closed.
   */
  repairFrom(lastMs: number, nowMs = Date.now()): void {
    for (const tf of [60, 1] as const) {
      const from = Math.floor(lastMs / 1000 / tf) * tf;
      const current = Math.floor(nowMs / 1000 / tf) * tf;
      if (current > from) {
        this.history.repairStarted(tf, from);
        void this.repairRange(tf, from, current).finally(() => this.history.repairDone(tf));
      }
      const wait = (current + tf) * 1000 + CLOSE_GRACE_MS - nowMs;
      this.history.repairStarted(tf, current);
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        void this.repairRange(tf, current, current + tf).finally(() => this.history.repairDone(tf));
      }, wait);
      this.timers.add(timer);
    }
  }

  /** Replaces the bars with start in [fromSec, toSec) by the venue's candles. */
  private async repairRange(tf: Timeframe, fromSec: number, toSec: number): Promise<void> {
    if (this.closed) return;
    let rows;
    try {
      rows = await this.backend.history(this.mkt.fqme, tf, toSec, Math.round((toSec - fromSec) / tf));
    } catch (e) {
      console.error(`feed ${this.mkt.fqme}: repair of ${tf} s bars from ${fromSec} failed: ${(e as Error).message}`);
      this.history.repairFailed(tf, { start: fromSec, end: toSec }, (e as Error).message);
      return;
    }
    this.history.repaired(tf, rows);
    if (this.applyRows(tf, rows)) this.repairs++;
  }

  /**
   * Merges refetched bars into the buffer (a new buffer: readers re-snapshot). False when nothing changed.
   * `withinOnly`: bars older than the buffer's oldest are left to the backfill (it prepends them from storage).
   */
  private applyRows(tf: Timeframe, rows: BarRows & { length: number }, withinOnly = false): boolean {
    const buf = this.buffers.get(tf);
    if (this.closed || !buf || rows.length === 0) return false;
    if (withinOnly && (buf.length === 0 || rows.time[rows.length - 1]! < buf.cols.time[buf.first]!)) return false;
    const next = mergeRepair(buf, rows);
    if (!next) return false;
    this.buffers.set(tf, next);
    this.events.onBuffer(this.mkt.fqme, tf, next);
    return true;
  }

  /** Folds a batch of ticks into both buffers under one write section each. */
  ingest(ticks: readonly Tick[]): void {
    for (const tf of [60, 1] as const) {
      if (this.buffers.get(tf)!.roomAbove < 2) this.compact(this.buffers.get(tf)!);
      const b = this.buffers.get(tf)!;
      const stats = this.stats[tf];
      b.beginWrite();
      for (let i = 0; i < ticks.length; i++) {
        const t = ticks[i]!;
        if (t.type === 'trade') applyTrade(b, t.time / 1000, t.price, t.size, stats);
      }
      b.endWrite();
    }
    const n = ticks.length;
    if (n > 0) {
      const lastTick = ticks[n - 1]!;
      this.lastTickAt = lastTick.time;
      for (let i = n - 1; i >= 0; i--) {
        if (ticks[i]!.type === 'trade') {
          this.last = ticks[i]!.price;
          break;
        }
      }
      this.events.onTicks(this.mkt.fqme, ticks);
    }
  }

  step(period: Timeframe, timeSec: number): void {
    const buf = this.buffers.get(period);
    if (!buf) return;
    if (buf.roomAbove < 2) this.compact(buf);
    const b = this.buffers.get(period)!;
    b.beginWrite();
    stepTo(b, timeSec);
    b.endWrite();
  }

  /**
   * Backfills older history chunk by chunk (storage first, then the venue), yielding between chunks so live ticks
   * keep flowing. Stored holes are refetched first.
   */
  async backfill(yieldFn: () => Promise<void>): Promise<void> {
    for (const tf of [60, 1] as const) {
      try {
        await this.history.repairHoles(tf, (rows) => void this.applyRows(tf, rows, true));
      } catch (e) {
        console.error(`feed ${this.mkt.fqme}: stored ${tf} s holes not repaired: ${(e as Error).message}`);
      }
      for (;;) {
        const buf = this.buffers.get(tf)!;
        if (this.closed) return;
        if (buf.roomBelow === 0) {
          this.events.onHistory(this.mkt.fqme, tf, buf.first, true);
          break;
        }
        const oldest = buf.length ? buf.cols.time[buf.first]! : NaN;
        const rows = await this.history.older(tf, Math.min(BACKFILL_CHUNK, buf.roomBelow));
        if (this.closed) return;
        // A repair or compaction may have replaced the buffer meanwhile; its oldest row is still ours to extend.
        const cur = this.buffers.get(tf)!;
        if (cur !== buf && cur.length > 0 && cur.cols.time[cur.first] !== oldest) {
          // Its oldest row moved: the history cursor follows it, and the page is asked for again from there.
          this.history.resetBelow(tf, cur.cols.time[cur.first]!);
          continue;
        }
        if (rows.length === 0) {
          this.events.onHistory(this.mkt.fqme, tf, buf.first, true);
          break;
        }
        cur.prepend(rows, 0, rows.length);
        this.events.onHistory(this.mkt.fqme, tf, cur.first, false);
        await yieldFn();
      }
    }
  }

  /**
   * The live area is full: move to a fresh buffer keeping the newest rows (and history room below them).
   * Readers get the new buffer as a reset; nothing in the kept range changes.
   */
  private compact(buf: OhlcBuffer): void {
    const tf = buf.timeframe as Timeframe;
    const keep = Math.min(buf.length, buf.capacity - LIVE_ROWS[tf]);
    const next = OhlcBuffer.create({ capacity: buf.capacity, origin: buf.capacity - LIVE_ROWS[tf], timeframe: tf });
    const rows = { time: buf.cols.time, open: buf.cols.open, high: buf.cols.high, low: buf.cols.low, close: buf.cols.close, volume: buf.cols.volume };
    next.prepend(rows, buf.last - keep, keep);
    this.buffers.set(tf, next);
    this.events.onBuffer(this.mkt.fqme, tf, next);
  }

  feedStats(): FeedStats {
    return {
      fqme: this.mkt.fqme,
      trades: this.stats[60].trades,
      late: this.stats[60].late + this.stats[1].late,
      overflow: this.stats[60].overflow + this.stats[1].overflow,
      lastTickAt: this.lastTickAt,
      last: this.last,
      link: this.link,
      repairs: this.repairs,
    };
  }

  close(): void {
    if (!this.closed) this.persist();
    if (this.persistTimer) clearInterval(this.persistTimer);
    this.persistTimer = null;
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.stopStream?.();
    this.stopStream = null;
    this.stopBackup?.();
    this.stopBackup = null;
  }
}
