import { mkdir, open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Order } from '../../protocol/orders.js';
import { encodeFrame, frameOf } from './frame.js';
import { OidIndex, type SubmitKind } from './oid-index.js';
import { isJournalEntry, type AppendRecord, type IndexSnapshot, type JournalEntry, type OidState } from './records.js';
import { replay, type ReplayReport } from './replay.js';
import { DSYNC_WRITES, listSegments, openSegment, removeTmpFiles, segmentFlags, segmentName, syncDir, TMP_EXT, writeFully } from './segments.js';

export interface JournalOptions {
  /** Roll to a new segment once the active one would pass this many bytes (default 64 MiB). */
  segmentBytes?: number;
  /** Sees every replayed record in seq order before open() resolves (read-only): how emsd rebuilds its books. */
  onReplay?: (e: JournalEntry) => void;
  now?: () => number;
  /** How long a lazy append may wait for an eager one to share its write (default 10 ms): append(_, { lazy: true }). */
  lazyFlushMs?: number;
}

export interface AppendOptions {
  /**
   * Nobody waits for these records: they take their seqs now but start no write of their own; they go out with the
   * next eager append, when someone waits for them (whenDurable, close) or after `lazyFlushMs`. For records
   * recovery does not need (emsd's status and ack records), so they never hold a disk sync in front of a record
   * someone waits for (a fill about to be shown).
   */
  lazy?: boolean;
}

export interface JournalStats {
  appendCalls: number;
  records: number;
  /** Group commits: each is one write and one fdatasync for every append queued since the previous one. */
  batches: number;
  syncs: number;
  bytes: number;
  rolls: number;
  compactions: number;
  /** Wall time spent in batch writes and their fdatasync, ms (what the disk costs the records waiting on them). */
  ioMs: number;
}

type AppendOp = { kind: 'append'; frames: Buffer[]; lastSeq: number; resolve: (seq: number) => void; reject: (e: Error) => void };
type CompactOp = { kind: 'compact'; seq: number; index: IndexSnapshot; state: () => unknown; resolve: (seq: number) => void; reject: (e: Error) => void };

const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;
const DEFAULT_LAZY_FLUSH_MS = 10;

/**
 * The intent journal (DESIGN.md §3): emsd appends an order, alert or dark order and acknowledges it only when
 * append() resolves, which is after the bytes are fdatasync'ed. Appends that arrive while a write is in flight share
 * the next write and fsync (group commit), so concurrent clients do not queue behind one fsync each.
 *
 * Seqs and the oid index are assigned when append() is called, not when the write lands, so a retry arriving while
 * the first submit is still in flight is already a duplicate. Any I/O failure fails the journal for good: after a
 * failed fsync the kernel may have dropped the dirty pages, so the only safe recovery is to reopen and replay.
 */
export class Journal {
  readonly stats: JournalStats = { appendCalls: 0, records: 0, batches: 0, syncs: 0, bytes: 0, rolls: 0, compactions: 0, ioMs: 0 };
  private queue: (AppendOp | CompactOp)[] = [];
  private draining = false;
  private kicked = false;
  private failure: Error | null = null;
  private closed = false;
  private nextSeq: number;
  private durable: number;
  private waiters: { seq: number; resolve: () => void; reject: (e: Error) => void }[] = [];
  private live: number;
  private snapshotSize = 0;
  /** Queued records up to this seq must go out without waiting: what drain() writes; lazy ones beyond it wait. */
  private urgent = 0;
  private lazyTimer: NodeJS.Timeout | null = null;

  private constructor(
    readonly dir: string,
    private fh: FileHandle,
    private size: number,
    lastSeq: number,
    private readonly oids: OidIndex,
    /** What open() found: records replayed, a torn tail cut off, segments left by an interrupted compaction. */
    readonly replayReport: ReplayReport,
    private readonly segmentBytes: number,
    private readonly now: () => number,
    private readonly lazyFlushMs: number,
  ) {
    this.nextSeq = lastSeq + 1;
    this.durable = lastSeq;
    this.live = replayReport.bytes;
  }

  /** Replays `dir` (repairing a torn tail, finishing an interrupted compaction), then opens it for appends. */
  static async open(dir: string, opts: JournalOptions = {}): Promise<Journal> {
    await mkdir(dir, { recursive: true });
    await removeTmpFiles(dir);
    const oids = new OidIndex();
    const r = replay(dir, { repair: true });
    for await (const e of r) {
      oids.apply(e);
      opts.onReplay?.(e);
    }
    const report = r.report;
    if (report.obsoleteSegments.length) {
      for (const s of report.obsoleteSegments) await unlink(s.path);
      await syncDir(dir);
    }
    let fh: FileHandle;
    let size = report.lastSegmentBytes;
    if (report.lastSegment) {
      fh = await openSegment(report.lastSegment.path);
    } else {
      fh = await createSegment(dir, report.lastSeq + 1);
      await syncDir(dirname(dir));
      size = 0;
    }
    return new Journal(dir, fh, size, report.lastSeq, oids, report, opts.segmentBytes ?? DEFAULT_SEGMENT_BYTES, opts.now ?? Date.now, opts.lazyFlushMs ?? DEFAULT_LAZY_FLUSH_MS);
  }

  /** Seq of the last record appended (durable or not). */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /** Seq up to which every record is on disk. */
  get durableSeq(): number {
    return this.durable;
  }

  /** Bytes on disk from the latest snapshot on (every segment replay would read): what compact() shrinks. */
  get bytes(): number {
    return this.live;
  }

  /** Size of the snapshot record the last compact() of this instance wrote; 0 before one. */
  get snapshotBytes(): number {
    return this.snapshotSize;
  }

  get index(): OidIndex {
    return this.oids;
  }

  has(oid: string): boolean {
    return this.oids.has(oid);
  }

  get(oid: string): Readonly<OidState> | undefined {
    return this.oids.get(oid);
  }

  classify(order: Order): SubmitKind {
    return this.oids.classify(order);
  }

  /**
   * Resolves with the seq of the last of `records` once all of them (and everything before) are on disk. Seqs and
   * the index are taken at the call, so `lastSeq` right after it is this append's (or unchanged if it was refused).
   */
  append(records: readonly AppendRecord[], opts: AppendOptions = {}): Promise<number> {
    const refused = this.refusal();
    if (refused) return Promise.reject(refused);
    const time = this.now();
    let frames: Buffer[];
    let entries: JournalEntry[];
    try {
      // Serialize (and check) every record before taking seqs: a refused record must not leave a seq gap.
      entries = records.map((r, i) => {
        const entry = { ...r, seq: this.nextSeq + i, time };
        if ((r.type as string) === 'snapshot' || !isJournalEntry(entry)) throw new Error(`not an appendable journal record: ${JSON.stringify(r).slice(0, 200)}`);
        return entry;
      });
      frames = entries.map((e) => frameOf(JSON.stringify(e)));
    } catch (e) {
      return Promise.reject(e as Error);
    }
    this.nextSeq += records.length;
    this.stats.appendCalls++;
    // The index keeps the entries as given (no parsed copy: that was most of an append's cost). A record handed to
    // append() belongs to the journal from then on: callers must not change it (emsd's records are immutable values).
    for (const e of entries) this.oids.apply(e);
    const lastSeq = this.nextSeq - 1;
    if (!frames.length) return this.whenDurable(lastSeq).then(() => lastSeq);
    return new Promise((resolve, reject) => {
      this.queue.push({ kind: 'append', frames, lastSeq, resolve, reject });
      if (opts.lazy) this.kickLazy();
      else this.kick(lastSeq);
    });
  }

  /** Resolves once every record up to `seq` is on disk (a lazy record waited for goes out now). */
  whenDurable(seq: number): Promise<void> {
    if (seq <= this.durable) return Promise.resolve();
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiters.push({ seq, resolve, reject });
      this.kick(Math.min(seq, this.lastSeq));
    });
  }

  /**
   * Starts a new segment with a snapshot record of the live state and the oid index, then deletes every older
   * segment. `state()` is called once every append made before compact() has resolved (and its awaiting callers
   * have run), and before any later append resolves: it must return the state as of exactly those records, because
   * replay starts at the snapshot and applies the later ones on top. `forget` drops oids from the index for good
   * (orders finished long enough ago that no retry can come). Resolves with the snapshot's seq once the older
   * segments are gone. The snapshot's seq is taken at the call, so a throwing `state()` fails the journal like an
   * I/O error would (the seq can never be written).
   */
  compact(state: () => unknown, opts: { forget?: (s: Readonly<OidState>) => boolean } = {}): Promise<number> {
    const refused = this.refusal();
    if (refused) return Promise.reject(refused);
    if (opts.forget) this.oids.forget(opts.forget);
    const seq = this.nextSeq++;
    const index = this.oids.snapshot();
    return new Promise((resolve, reject) => {
      this.queue.push({ kind: 'compact', seq, index, state, resolve, reject });
      this.kick(seq);
    });
  }

  /** Waits for queued appends, then closes; later appends are refused. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.whenDurable(this.lastSeq).catch(() => {});
    if (this.lazyTimer) clearTimeout(this.lazyTimer);
    this.lazyTimer = null;
    await this.fh.close();
  }

  private refusal(): Error | null {
    return this.failure ?? (this.closed ? new Error('journal is closed') : null);
  }

  // One tick's worth of appends starts the first batch together (setImmediate runs after the current tick's
  // promise continuations); after that, whatever queued during a write goes out in the next one.
  private kick(upTo: number): void {
    this.urgent = Math.max(this.urgent, upTo);
    if (this.draining || this.kicked) return;
    this.kicked = true;
    setImmediate(() => {
      this.kicked = false;
      void this.drain();
    });
  }

  /** Lazy records alone: a write once the timer runs out, unless an eager append or a waiter takes them first. */
  private kickLazy(): void {
    if (this.lazyTimer) return;
    this.lazyTimer = setTimeout(() => {
      this.lazyTimer = null;
      if (this.lastSeq > this.durable) this.kick(this.lastSeq);
    }, this.lazyFlushMs);
  }

  private async drain(): Promise<void> {
    this.draining = true;
    // Lazy records queued behind the last urgent one wait (their timer is running): they go out with the next.
    while (this.queue.length && !this.failure && this.urgent > this.durable) {
      const head = this.queue[0]!;
      let n = 1;
      if (head.kind === 'append') while (n < this.queue.length && this.queue[n]!.kind === 'append') n++;
      const ops = this.queue.splice(0, n);
      try {
        if (head.kind === 'compact') await this.runCompact(head);
        else await this.writeBatch(ops as AppendOp[]);
      } catch (e) {
        this.fail(e as Error, ops);
      }
    }
    this.draining = false;
  }

  private async writeBatch(batch: AppendOp[]): Promise<void> {
    if (this.lazyTimer && batch.at(-1)!.lastSeq === this.lastSeq) {
      // Every lazy record goes out with this batch: nothing left for the timer.
      clearTimeout(this.lazyTimer);
      this.lazyTimer = null;
    }
    const frames = batch.flatMap((op) => op.frames);
    const buf = frames.length === 1 ? frames[0]! : Buffer.concat(frames);
    const firstSeq = batch[0]!.lastSeq - batch[0]!.frames.length + 1;
    // Roll before the write, so a batch never straddles segments and a segment's name is its first record's seq.
    if (this.size > 0 && this.size + buf.length > this.segmentBytes) await this.roll(firstSeq);
    const t0 = performance.now();
    await writeFully(this.fh, buf, this.size);
    // With O_DSYNC the write returned once durable (segments.ts, DSYNC_WRITES): one system call per group commit.
    if (!DSYNC_WRITES) await this.fh.datasync();
    this.stats.ioMs += performance.now() - t0;
    this.size += buf.length;
    this.live += buf.length;
    this.stats.batches++;
    this.stats.syncs++;
    this.stats.records += frames.length;
    this.stats.bytes += buf.length;
    this.markDurable(batch.at(-1)!.lastSeq);
    for (const op of batch) op.resolve(op.lastSeq);
  }

  private async roll(firstSeq: number): Promise<void> {
    const old = this.fh;
    this.fh = await createSegment(this.dir, firstSeq);
    this.size = 0;
    this.stats.rolls++;
    await old.close();
  }

  private async runCompact(op: CompactOp): Promise<void> {
    await new Promise((r) => setImmediate(r));
    const frame = encodeFrame({ type: 'snapshot', state: op.state(), index: op.index, seq: op.seq, time: this.now() });
    const path = join(this.dir, segmentName(op.seq));
    const tmp = await open(path + TMP_EXT, 'w');
    try {
      await writeFully(tmp, frame, 0);
      await tmp.sync();
    } finally {
      await tmp.close();
    }
    // The commit point: once the complete, synced snapshot segment has its real name, replay starts there.
    await rename(path + TMP_EXT, path);
    await syncDir(this.dir);
    const old = this.fh;
    this.fh = await openSegment(path);
    this.size = frame.length;
    this.live = this.snapshotSize = frame.length;
    await old.close();
    this.stats.compactions++;
    this.stats.syncs += 2;
    await this.deleteSegmentsBefore(op.seq);
    this.markDurable(op.seq);
    op.resolve(op.seq);
  }

  private async deleteSegmentsBefore(seq: number): Promise<void> {
    try {
      for (const s of await listSegments(this.dir)) if (s.firstSeq < seq) await unlink(s.path);
      await syncDir(this.dir);
    } catch {
      // Harmless: replay starts at the snapshot regardless, and the next open() deletes what is left.
    }
  }

  private markDurable(seq: number): void {
    this.durable = seq;
    if (!this.waiters.length) return;
    const still: typeof this.waiters = [];
    for (const w of this.waiters) (w.seq <= seq ? w.resolve() : still.push(w));
    this.waiters = still;
  }

  private fail(cause: Error, inFlight: (AppendOp | CompactOp)[]): void {
    if (this.lazyTimer) clearTimeout(this.lazyTimer);
    this.lazyTimer = null;
    this.failure = new Error(`journal write failed; records after seq ${this.durable} may not be durable; reopen to recover: ${cause.message}`, { cause });
    for (const op of [...inFlight, ...this.queue.splice(0)]) op.reject(this.failure);
    for (const w of this.waiters.splice(0)) w.reject(this.failure);
  }
}

async function createSegment(dir: string, firstSeq: number): Promise<FileHandle> {
  // 'wx': a segment is never reopened for truncation by accident; its name must be new.
  const fh = await open(join(dir, segmentName(firstSeq)), segmentFlags('wx'));
  await syncDir(dir);
  return fh;
}
