import type { DataBackend } from '../../brokers/backend.js';
import { COLUMNS } from '../../protocol/frames.js';
import type { Timeframe } from '../../protocol/types.js';
import { allocRows, type OhlcBuffer } from '../ohlc-buffer.js';
import { missingRuns, newestSpan, runBars, spanBelow, type Run, type Span } from './spans.js';
import { emptyRows, sliceRows, type HistoryStore, type Rows } from './store.js';

/**
 * Timeframes in which a backend prints every bucket, untraded ones flat with volume 0: Binance, Bybit and Kraken
 * 1 m klines (the fakes print them the same way), and every sim bar. Only there is a missing bucket a gap; 1 s
 * candles of a quiet market may simply not exist.
 */
const DENSE: Record<string, readonly Timeframe[]> = { binance: [60], bybit: [60], kraken: [60], sim: [60, 1] };

/** Missing runs refetched at once per venue page, and stored holes retried per feed open. */
const MAX_REFETCH_RUNS = 8;
/** A recorded gap is retried at this many opens at most; after that it stays marked. */
const MAX_GAP_ATTEMPTS = 3;
/** Bars asked for per stored hole and open (the newest part of a longer one first). */
const MAX_HOLE_ROWS = 20_000;

interface TfState {
  /** Backfill cursor: every bar at or after it is in the buffer (or known not to exist). */
  below: number;
  /** Nothing older than `below` exists at the venue (or in storage, marked so). */
  bottom: boolean;
  /** Bars before this are stored; closed bars from here on are written by persist(). */
  persistedTo: number;
  /** Bars from here on may be incomplete (link down, repair pending): not persisted until released. */
  hold: number;
  pending: number;
  /** Stored closed bars at or after the open's minute (a restart within it): the live area starts with them. */
  tail: Rows;
}

/**
 * One feed's history: where its bars come from and where its closed bars go. With a store, a chart opens from
 * storage (the newest frame), is topped up from the venue with only what is newer, backfills deeper from storage
 * and then from the venue; venue answers are checked for missing buckets, refetched once, and what stays missing is
 * recorded as a gap. Without a store (the sim by default) every call goes to the backend, as before storage existed.
 */
export class FeedHistory {
  private readonly st: Record<Timeframe, TfState>;
  private readonly dense: readonly Timeframe[];
  /** Runs already asked for again in this session (`tf:start`): not asked a third time at the open's hole check. */
  private readonly asked = new Set<string>();
  linkOk = true;

  constructor(
    readonly fqme: string,
    private readonly backend: DataBackend,
    readonly store: HistoryStore | null,
    private readonly log: (line: string) => void = () => {},
  ) {
    const fresh = (): TfState => ({ below: Infinity, bottom: false, persistedTo: Infinity, hold: Infinity, pending: 0, tail: emptyRows() });
    this.st = { 60: fresh(), 1: fresh() };
    this.dense = DENSE[backend.name] ?? [];
  }

  /**
   * The newest `count` bars before `endSec`: from storage when the stored series reaches within `count` bars of
   * now, topped up from the venue with the bars after the newest stored one; else (a longer absence) the newest
   * `count` from the venue, and the backfill fills the stretch down to what is stored (then reads storage).
   */
  async firstFrame(tf: Timeframe, endSec: number, count: number): Promise<Rows> {
    const s = this.st[tf];
    s.persistedTo = endSec;
    const store = this.store;
    const top = store ? newestSpan(store.spans(this.fqme, tf)) : undefined;
    if (store && top && top.hi > top.lo && endSec - Math.min(top.hi, endSec) <= count * tf) {
      const hi = Math.min(top.hi, endSec);
      const stored = await store.read(this.fqme, tf, hi, count, top.lo);
      // A venue streams from now, so bars stored since the open's minute (a quick restart) need not be fetched
      // again; a replaying backend (the sim) replays the minute itself.
      if (top.hi > endSec && !this.backend.replays) {
        s.tail = await store.read(this.fqme, tf, top.hi, Math.ceil((top.hi - endSec) / tf), endSec);
        if (s.tail.length) s.persistedTo = s.tail.time[s.tail.length - 1]! + tf;
      }
      const topup = hi < endSec ? await this.fetchChecked(tf, endSec, Math.ceil((endSec - hi) / tf), hi) : emptyRows();
      // A venue without candles of this timeframe (1 s on Kraken, Bybit, USD-M) cannot join the stored bars to
      // now: showing them would put the time the host was down between them and the live bars. Start fresh.
      if (stored.length > 0 && (topup.length > 0 || endSec - hi <= tf)) {
        const rows = concatNewest(stored, topup, count);
        const fromStore = Math.max(0, rows.length - topup.length);
        s.below = fromStore < stored.length || stored.length === count ? rows.time[0]! : top.lo;
        s.bottom = s.below === top.lo && top.bottom;
        return rows;
      }
    }
    const rows = await this.fetchChecked(tf, endSec, count, null);
    s.below = rows.length ? rows.time[0]! : endSec;
    s.bottom = rows.length === 0;
    return rows;
  }

  /**
   * The next page (at most `count` bars) below the backfill cursor: from storage while the stored span reaches
   * down, then from the venue (stored as it arrives). An empty page means there is nothing older.
   */
  async older(tf: Timeframe, count: number): Promise<Rows> {
    const s = this.st[tf];
    if (s.bottom || count <= 0 || !Number.isFinite(s.below)) return emptyRows();
    const store = this.store;
    const spans = store?.spans(this.fqme, tf) ?? [];
    const span = spans.find((x) => x.lo < s.below && s.below <= x.hi);
    if (store && span) {
      const rows = await store.read(this.fqme, tf, s.below, count, span.lo);
      if (rows.length === count) {
        s.below = rows.time[0]!;
        return rows;
      }
      s.below = span.lo;
      if (span.bottom) s.bottom = true;
      if (rows.length > 0 || s.bottom) return rows;
    } else if (spans.some((x) => x.lo === s.below && x.bottom)) {
      s.bottom = true;
      return emptyRows();
    }
    // Below what is stored: ask the venue, no further than the next stored span (where storage takes over again).
    const lower = spanBelow(spans, s.below);
    const want = lower && this.dense.includes(tf) ? Math.max(1, Math.min(count, Math.ceil((s.below - lower.hi) / tf))) : count;
    const rows = await this.fetchChecked(tf, s.below, want, null);
    if (rows.length === 0 && lower && store) {
      // The venue keeps less than is stored (Kraken: its newest 720 candles): the stretch between is a gap, and
      // the stored bars below it are still ours to show.
      // Covered once recorded, so later opens read straight through it from storage.
      if (this.dense.includes(tf) && lower.hi < s.below) {
        const run = { start: lower.hi, end: s.below };
        void store.recordGap(this.fqme, tf, run, 'the venue no longer has these bars and they were not stored').catch((e) => this.storeFailed(e));
        void store.write(this.fqme, tf, emptyRows(), { lo: run.start, hi: run.end, bottom: false }).catch((e) => this.storeFailed(e));
      }
      s.below = lower.hi;
      return this.older(tf, count);
    }
    if (rows.length === 0) {
      s.bottom = true;
      // Remembered: the next open does not ask again for what the venue does not have.
      void store?.write(this.fqme, tf, emptyRows(), { lo: s.below, hi: s.below, bottom: true }).catch((e) => this.storeFailed(e));
      return rows;
    }
    s.below = rows.time[0]!;
    return rows;
  }

  /** Stored bars from the open's minute on, once (see TfState.tail); empty for most opens. */
  takeTail(tf: Timeframe): Rows {
    const t = this.st[tf].tail;
    this.st[tf].tail = emptyRows();
    return t;
  }

  /** The buffer was rebuilt with other rows below (a compaction): the cursor follows its oldest row. */
  resetBelow(tf: Timeframe, oldest: number): void {
    this.st[tf].below = oldest;
  }

  /**
   * Venue bars before `endSec`, `count` of them, checked for missing buckets where the venue prints every bucket:
   * each missing run is asked for once more, and what is still missing is recorded as a gap (never filled with
   * made-up bars). Stored with the covered span [from ?? first bar, endSec). `from` also says the bars before the
   * first one are a hole (inside stored history), not the start of the venue's history.
   */
  private async fetchChecked(tf: Timeframe, endSec: number, count: number, from: number | null): Promise<Rows> {
    let rows = await this.backend.history(this.fqme, tf, endSec, count);
    if (from !== null) rows = sliceFrom(rows, from);
    const dense = this.dense.includes(tf);
    // Nothing to store; and no bars where buckets may be absent (1 s) proves nothing about the span.
    if (rows.length === 0 && (from === null || !dense)) return rows;
    const lo = from ?? rows.time[0]!;
    if (dense) {
      const runs = missingRuns(rows.time, rows.length, lo, endSec, tf);
      const { rows: filled, missing } = await this.refetchRuns(tf, rows, runs);
      rows = filled;
      for (const r of missing) void this.store?.recordGap(this.fqme, tf, r.run, r.reason).catch((e) => this.storeFailed(e));
    }
    void this.store?.write(this.fqme, tf, rows, { lo, hi: endSec, bottom: false }).catch((e) => this.storeFailed(e));
    return rows;
  }

  /** Asks the venue once more for each run; returns the rows with what came back merged in, and what did not. */
  private async refetchRuns(tf: Timeframe, rows: Rows, runs: Run[]): Promise<{ rows: Rows; missing: { run: Run; reason: string }[] }> {
    const missing: { run: Run; reason: string }[] = [];
    let out = rows;
    for (const [i, run] of runs.entries()) {
      if (i >= MAX_REFETCH_RUNS) {
        missing.push({ run, reason: 'missing from the venue answer; not refetched yet (too many holes in one page)' });
        continue;
      }
      let got: Rows;
      this.asked.add(`${tf}:${run.start}`);
      try {
        got = sliceRange(await this.backend.history(this.fqme, tf, run.end, runBars(run, tf)), run.start, run.end);
      } catch (e) {
        missing.push({ run, reason: `refetch failed: ${(e as Error).message}` });
        continue;
      }
      this.log(`history ${this.fqme} ${tf} s: ${runBars(run, tf)} missing bars from ${iso(run.start)}; refetch gave ${got.length}`);
      out = mergeRows(out, got);
      for (const still of missingRuns(got.time, got.length, run.start, run.end, tf)) {
        missing.push({ run: still, reason: 'the venue has no bars here (asked twice)' });
      }
    }
    return { rows: out, missing };
  }

  /**
   * Holes in what is stored (a venue answer that skipped bars, a write lost in a crash, gaps recorded before):
   * each is refetched (a recorded gap at most MAX_GAP_ATTEMPTS times); bars that come back are stored and handed to
   * `apply` (the feed merges them into its buffer), what does not stays recorded.
   */
  async repairHoles(tf: Timeframe, apply: (rows: Rows) => void): Promise<void> {
    const store = this.store;
    if (!store || !this.dense.includes(tf)) return;
    const [holes, recorded] = await Promise.all([store.holes(this.fqme, tf), store.gaps(this.fqme, tf)]);
    const known = new Map(recorded.map((g) => [g.start, g]));
    // Holes, and recorded gaps that are not holes (bars there, but a repair of them failed).
    const runs = [...holes, ...recorded.filter((g) => !holes.some((h) => h.start === g.start)).map((g) => ({ start: g.start, end: g.end }))];
    const todo = runs.filter((h) => (known.get(h.start)?.attempts ?? 0) < MAX_GAP_ATTEMPTS && !this.asked.has(`${tf}:${h.start}`)).slice(0, MAX_REFETCH_RUNS);
    for (const run of todo) {
      let got: Rows;
      try {
        got = sliceRange(await this.backend.history(this.fqme, tf, run.end, Math.min(runBars(run, tf), MAX_HOLE_ROWS)), run.start, run.end);
      } catch (e) {
        await store.recordGap(this.fqme, tf, run, `refetch failed: ${(e as Error).message}`);
        continue;
      }
      if (got.length) {
        await store.write(this.fqme, tf, got);
        apply(got);
      }
      const still = missingRuns(got.time, got.length, run.start, run.end, tf);
      const prev = known.get(run.start);
      if (got.length) await store.clearGaps(this.fqme, tf, run);
      const carry = { attempts: (prev?.attempts ?? 0) + 1, ...(prev ? { firstSeen: prev.firstSeen } : {}) };
      for (const r of still) await store.recordGap(this.fqme, tf, r, prev?.reason ?? 'the venue has no bars here (asked again at open)', carry);
      this.log(`history ${this.fqme} ${tf} s: stored hole of ${runBars(run, tf)} bars from ${iso(run.start)} refetched, ${got.length} came back`);
    }
  }

  /** Bars a repair fetched from the venue (after a disconnect): stored as they replace the buffer's. */
  repaired(tf: Timeframe, rows: Rows): void {
    if (rows.length) void this.store?.write(this.fqme, tf, rows).catch((e) => this.storeFailed(e));
  }

  /** A repair could not be fetched: the bars it was for are recorded as a gap (retried at the next open). */
  repairFailed(tf: Timeframe, run: Run, why: string): void {
    if (this.dense.includes(tf)) void this.store?.recordGap(this.fqme, tf, run, `repair failed: ${why}`).catch((e) => this.storeFailed(e));
  }

  /** Bars from `fromSec` may be incomplete until released (a repair is on its way, or the link is down). */
  hold(tf: Timeframe, fromSec: number): void {
    const s = this.st[tf];
    s.hold = Math.min(s.hold, fromSec);
  }
  repairStarted(tf: Timeframe, fromSec: number): void {
    this.hold(tf, fromSec);
    this.st[tf].pending++;
  }
  repairDone(tf: Timeframe): void {
    const s = this.st[tf];
    s.pending = Math.max(0, s.pending - 1);
    this.maybeRelease(tf);
  }
  setLink(ok: boolean, lastTickSec: number): void {
    this.linkOk = ok;
    for (const tf of [60, 1] as const) {
      if (!ok) this.hold(tf, Math.floor(lastTickSec / tf) * tf);
      else this.maybeRelease(tf);
    }
  }
  private maybeRelease(tf: Timeframe): void {
    const s = this.st[tf];
    if (s.pending === 0 && this.linkOk) s.hold = Infinity;
  }

  /**
   * Writes the buffer's closed bars not stored yet (before the current bucket and any hold) as one batch: called
   * on a timer and at close, never per tick.
   */
  persist(tf: Timeframe, buf: OhlcBuffer, nowSec: number): number {
    const store = this.store;
    const s = this.st[tf];
    if (!store || !Number.isFinite(s.persistedTo) || buf.length === 0) return 0;
    // Closed bars only (before the current bucket), none past a hold, and never a span beyond the newest bar.
    const upper = Math.min(Math.floor(nowSec / tf) * tf, s.hold, buf.lastTime() + tf);
    if (upper <= s.persistedTo) return 0;
    const from = lowerBound(buf, s.persistedTo);
    const to = lowerBound(buf, upper);
    const rows = allocRows(to - from) as Rows;
    rows.length = to - from;
    buf.readRows(from, to, rows);
    const cover: Span = { lo: s.persistedTo, hi: upper, bottom: false };
    s.persistedTo = upper;
    void store.write(this.fqme, tf, rows, cover).catch((e) => this.storeFailed(e));
    return rows.length;
  }

  private storeFailed(e: unknown): void {
    this.log(`history ${this.fqme}: store write failed: ${(e as Error).message}`);
  }
}

/** First index in [first, last) whose time is >= t. */
function lowerBound(buf: OhlcBuffer, t: number): number {
  let lo = buf.first;
  let hi = buf.last;
  const time = buf.cols.time;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (time[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function sliceFrom(rows: Rows, t: number): Rows {
  let i = 0;
  while (i < rows.length && rows.time[i]! < t) i++;
  return i === 0 ? rows : sliceRows(rows, i, rows.length);
}

function sliceRange(rows: Rows, from: number, to: number): Rows {
  let i = 0;
  while (i < rows.length && rows.time[i]! < from) i++;
  let j = i;
  while (j < rows.length && rows.time[j]! < to) j++;
  return i === 0 && j === rows.length ? rows : sliceRows(rows, i, j);
}

/** Stored rows then venue rows (all newer), keeping the newest `count`. */
function concatNewest(a: Rows, b: Rows, count: number): Rows {
  const n = Math.min(count, a.length + b.length);
  const fromA = Math.max(0, n - b.length);
  const out = allocRows(n) as Rows;
  out.length = n;
  for (const c of COLUMNS) {
    out[c].set(a[c].subarray(a.length - fromA, a.length), 0);
    out[c].set(b[c].subarray(b.length - (n - fromA), b.length), fromA);
  }
  return out;
}

/** Two ascending row sets merged by time (`b` wins on equal times). */
function mergeRows(a: Rows, b: Rows): Rows {
  if (b.length === 0) return a;
  const times = new Map<number, [Rows, number]>();
  for (let i = 0; i < a.length; i++) times.set(a.time[i]!, [a, i]);
  for (let i = 0; i < b.length; i++) times.set(b.time[i]!, [b, i]);
  const keys = [...times.keys()].sort((x, y) => x - y);
  const out = allocRows(keys.length) as Rows;
  out.length = keys.length;
  keys.forEach((t, k) => {
    const [src, i] = times.get(t)!;
    for (const c of COLUMNS) out[c][k] = src[c][i]!;
  });
  return out;
}

const iso = (sec: number) => new Date(sec * 1000).toISOString();
