import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DuckDBConnection, DuckDBDataChunk, DuckDBInstance, DuckDBMaterializedResult } from '@duckdb/node-api';
import { COLUMNS, type BarRows } from '../../protocol/frames.js';
import type { Timeframe } from '../../protocol/types.js';
import type { HistoryGap } from '../../protocol/messages.js';
import { allocRows } from '../ohlc-buffer.js';
import { addSpan, type Run, type Span } from './spans.js';

/**
 * Persistent OHLCV history in an embedded DuckDB file: `<data-dir>/history/<broker>.duckdb`, one file per backend,
 * written only by that backend's datad worker (DuckDB allows one writing process; one file per worker means no two
 * workers ever share a lock, and a worker restart reopens only its own file). Readers in other processes (the CLI
 * with no host running) open it read-only.
 *
 * Tables: `series` (id per fqme + timeframe), `bars` (PRIMARY KEY (series, time): a second write of a bar replaces
 * it, never duplicates it), `spans` (what is covered, see spans.ts), `gaps` (bucket runs the venue could not give,
 * recorded rather than invented). The view `history` joins them back to (fqme, timeframe, time, ...).
 *
 * Every statement runs on one connection, queued in order: a read issued after a write sees it. DuckDB runs each on
 * its own threads, so the worker's event loop (and the live feed) never waits on disk.
 */
export type Rows = BarRows & { length: number };
export type ExportFormat = 'parquet' | 'csv';

export type GapInfo = HistoryGap;

export interface StoreOptions {
  readOnly?: boolean;
  log?: (line: string) => void;
  /** While another process holds the file: keep trying this long before giving up (a CLI export is short). */
  lockWaitMs?: number;
  /** DuckDB's memory limit for this file (default 256MB: history is scanned, not cached). */
  memoryLimit?: string;
  threads?: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS series (id INTEGER PRIMARY KEY, fqme VARCHAR NOT NULL, timeframe INTEGER NOT NULL, UNIQUE (fqme, timeframe));
CREATE TABLE IF NOT EXISTS bars (series INTEGER NOT NULL, time BIGINT NOT NULL, open DOUBLE NOT NULL, high DOUBLE NOT NULL,
  low DOUBLE NOT NULL, close DOUBLE NOT NULL, volume DOUBLE NOT NULL, PRIMARY KEY (series, time));
CREATE TABLE IF NOT EXISTS spans (series INTEGER NOT NULL, lo BIGINT NOT NULL, hi BIGINT NOT NULL, bottom BOOLEAN NOT NULL, PRIMARY KEY (series, lo));
CREATE TABLE IF NOT EXISTS gaps (series INTEGER NOT NULL, start BIGINT NOT NULL, "end" BIGINT NOT NULL, reason VARCHAR NOT NULL,
  attempts INTEGER NOT NULL, first_seen BIGINT NOT NULL, last_tried BIGINT NOT NULL, PRIMARY KEY (series, start));
CREATE OR REPLACE VIEW history AS SELECT s.fqme, s.timeframe, b.time, b.open, b.high, b.low, b.close, b.volume
  FROM bars b JOIN series s ON s.id = b.series;
`;

const STAGE = 'CREATE TEMP TABLE IF NOT EXISTS stage (time DOUBLE, open DOUBLE, high DOUBLE, low DOUBLE, close DOUBLE, volume DOUBLE)';
const CHUNK_ROWS = 2048;
/** Spans are kept as BIGINT; an open bound (a bottom's -infinity is not needed: lo is a real time) never is. */
const big = (n: number) => BigInt(Math.round(n));

export class StoreLockedError extends Error {}

type DuckModule = typeof import('@duckdb/node-api');

export class HistoryStore {
  private seriesIds = new Map<string, number>();
  private spanCache = new Map<number, Span[]>();
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private closing: Promise<void> | null = null;
  /** Rows written since open, for the services panel. */
  written = 0;
  /** Told after a gap of a series was recorded or forgotten (committed): datad tells the clients to ask again. */
  onGapsChanged: ((fqme: string, tf: Timeframe) => void) | null = null;

  private constructor(
    readonly path: string,
    private readonly duck: DuckModule,
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    readonly readOnly: boolean,
    private readonly log: (line: string) => void,
  ) {}

  /**
   * Opens (creating when writable) the store. DuckDB is loaded here, not at import, so commands that never touch
   * history do not load the native library. A file locked by another process is retried for `lockWaitMs`, then a
   * StoreLockedError.
   */
  static async open(path: string, opts: StoreOptions = {}): Promise<HistoryStore> {
    const duck = await import('@duckdb/node-api');
    const readOnly = opts.readOnly ?? false;
    if (!readOnly) mkdirSync(dirname(path), { recursive: true });
    const config: Record<string, string> = {
      memory_limit: opts.memoryLimit ?? '256MB',
      threads: String(opts.threads ?? 2),
      ...(readOnly ? { access_mode: 'READ_ONLY' } : {}),
    };
    const deadline = Date.now() + (opts.lockWaitMs ?? 0);
    let instance: DuckDBInstance;
    for (;;) {
      try {
        instance = await duck.DuckDBInstance.create(path, config);
        break;
      } catch (e) {
        const msg = (e as Error).message;
        if (!/Could not set lock/i.test(msg)) throw e;
        if (Date.now() >= deadline) throw new StoreLockedError(`${path} is in use by another process (${msg.split(':').slice(1, 3).join(':').trim()})`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const conn = await instance.connect();
    const store = new HistoryStore(path, duck, instance, conn, readOnly, opts.log ?? (() => {}));
    if (!readOnly) {
      await conn.run(SCHEMA);
      await conn.run(STAGE);
    }
    await store.loadCatalog();
    return store;
  }

  private async loadCatalog(): Promise<void> {
    const has = await this.conn.runAndReadAll(`SELECT count(*) FROM information_schema.tables WHERE table_name = 'series'`);
    if (Number(has.getRows()[0]![0]) === 0) return; // a read-only open of a file that never had history
    for (const [id, fqme, tf] of (await this.conn.runAndReadAll('SELECT id, fqme, timeframe FROM series')).getRows()) {
      this.seriesIds.set(`${fqme}|${tf}`, Number(id));
    }
    for (const [series, lo, hi, bottom] of (await this.conn.runAndReadAll('SELECT series, lo, hi, bottom FROM spans ORDER BY series, lo')).getRows()) {
      const list = this.spanCache.get(Number(series)) ?? [];
      list.push({ lo: Number(lo), hi: Number(hi), bottom: bottom === true });
      this.spanCache.set(Number(series), list);
    }
  }

  /** Runs `job` after everything queued before it; one statement at a time on the one connection. */
  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error(`history store ${this.path} is closed`));
    const p = this.queue.then(job);
    this.queue = p.catch(() => undefined);
    return p;
  }

  private seriesOf(fqme: string, tf: Timeframe): number | undefined {
    return this.seriesIds.get(`${fqme}|${tf}`);
  }

  private async ensureSeries(fqme: string, tf: Timeframe): Promise<number> {
    const known = this.seriesOf(fqme, tf);
    if (known !== undefined) return known;
    const id = this.seriesIds.size === 0 ? 1 : Math.max(...this.seriesIds.values()) + 1;
    await this.conn.run('INSERT INTO series VALUES ($1, $2, $3)', [id, fqme, tf]);
    this.seriesIds.set(`${fqme}|${tf}`, id);
    return id;
  }

  /** Series stored, as (fqme, timeframe). */
  series(): { fqme: string; timeframe: Timeframe }[] {
    return [...this.seriesIds.keys()].map((k) => {
      const [fqme, tf] = k.split('|');
      return { fqme: fqme!, timeframe: Number(tf) as Timeframe };
    });
  }

  /** The covered spans of a series, ascending (the store's view: includes writes still queued). */
  spans(fqme: string, tf: Timeframe): readonly Span[] {
    const id = this.seriesOf(fqme, tf);
    return id === undefined ? [] : (this.spanCache.get(id) ?? []);
  }

  /**
   * The newest `count` bars with lo <= time < endTime, ascending. Bars sit on their timeframe's buckets, so the
   * last `count` buckets hold at most `count` of them: that range is read with one sort and no top-N; only a series
   * with empty buckets (quiet 1 s) needs a second, limited read below it.
   */
  read(fqme: string, tf: Timeframe, endTime: number, count: number, lo = -Infinity): Promise<Rows> {
    return this.enqueue(async () => {
      const id = this.seriesOf(fqme, tf);
      if (id === undefined || count <= 0) return emptyRows();
      const n = Math.floor(count);
      const cols = 'time::DOUBLE, open, high, low, close, volume';
      // With no end there are no "last buckets": straight to the top-N read.
      const mid = Number.isFinite(endTime) ? Math.max(lo, Math.ceil(endTime / tf) * tf - n * tf) : endTime;
      const near = Number.isFinite(endTime) ? readRows(await this.conn.run(`SELECT ${cols} FROM bars WHERE ${whereRange(id, mid, endTime)} ORDER BY time`)) : emptyRows();
      if (near.length >= n || !(mid > lo)) return near;
      const below = `SELECT * FROM bars WHERE ${whereRange(id, lo, mid)} ORDER BY time DESC LIMIT ${n - near.length}`;
      const far = readRows(await this.conn.run(`SELECT ${cols} FROM (${below}) ORDER BY time`));
      return far.length === 0 ? near : concatRows(far, near);
    });
  }

  /** Every bar with from <= time < to, ascending. */
  readRange(fqme: string, tf: Timeframe, from: number, to: number): Promise<Rows> {
    return this.enqueue(async () => {
      const id = this.seriesOf(fqme, tf);
      if (id === undefined) return emptyRows();
      return readRows(await this.conn.run(`SELECT time::DOUBLE, open, high, low, close, volume FROM bars WHERE ${whereRange(id, from, to)} ORDER BY time`));
    });
  }

  /** Bars stored for a series (all time). */
  count(fqme: string, tf: Timeframe): Promise<number> {
    return this.enqueue(async () => {
      const id = this.seriesOf(fqme, tf);
      if (id === undefined) return 0;
      return Number((await this.conn.runAndReadAll(`SELECT count(*) FROM bars WHERE series = ${id}`)).getRows()[0]![0]);
    });
  }

  /**
   * Writes bars (ascending; a row with the time of a stored bar replaces it) and marks `cover` as covered, in one
   * transaction. Rows need not fill the cover: what the venue did not print inside it is a gap, recorded apart.
   */
  write(fqme: string, tf: Timeframe, rows: BarRows & { length: number }, cover: Span | null = null): Promise<void> {
    if (this.readOnly) return Promise.reject(new Error('history store opened read-only'));
    const n = rows.length;
    // Copied now: the caller's arrays may be a live buffer's, which keep changing.
    const copy = sliceRows(rows, 0, n);
    return this.enqueue(async () => {
      const id = await this.ensureSeries(fqme, tf);
      await this.conn.run('BEGIN TRANSACTION');
      try {
        if (n > 0) {
          await this.stage(copy);
          const overlap = await this.conn.runAndReadAll(
            `SELECT count(*) FROM bars WHERE series = ${id} AND time BETWEEN ${big(copy.time[0]!)} AND ${big(copy.time[n - 1]!)}`,
          );
          // A plain insert maintains the key about twice as fast as an upsert: use it when nothing can collide.
          const verb = Number(overlap.getRows()[0]![0]) === 0 ? 'INSERT' : 'INSERT OR REPLACE';
          await this.conn.run(`${verb} INTO bars SELECT ${id}, time::BIGINT, open, high, low, close, volume FROM stage; DELETE FROM stage`);
        }
        if (cover) await this.putSpans(id, addSpan(this.spanCache.get(id) ?? [], cover));
        await this.conn.run('COMMIT');
        this.written += n;
      } catch (e) {
        await this.conn.run('ROLLBACK').catch(() => undefined);
        throw e;
      }
    });
  }

  private async putSpans(id: number, spans: Span[]): Promise<void> {
    await this.conn.run(`DELETE FROM spans WHERE series = ${id}`);
    if (spans.length) {
      await this.conn.run(`INSERT INTO spans VALUES ${spans.map((s) => `(${id}, ${big(s.lo)}, ${big(s.hi)}, ${s.bottom})`).join(', ')}`);
    }
    this.spanCache.set(id, spans);
  }

  /** Appends rows to the temp stage table, a vector (2048 rows) at a time. */
  private async stage(rows: Rows): Promise<void> {
    const { DuckDBDataChunk, DOUBLE } = this.duck;
    const appender = await this.conn.createAppender('stage', 'main', 'temp');
    try {
      for (let off = 0; off < rows.length; off += CHUNK_ROWS) {
        const n = Math.min(CHUNK_ROWS, rows.length - off);
        const chunk = DuckDBDataChunk.create([DOUBLE, DOUBLE, DOUBLE, DOUBLE, DOUBLE, DOUBLE], n);
        COLUMNS.forEach((c, j) => {
          const v = chunk.getColumnVector(j);
          const col = rows[c];
          for (let i = 0; i < n; i++) v.setItem(i, col[off + i]!);
          v.flush();
        });
        appender.appendDataChunk(chunk);
      }
    } finally {
      appender.closeSync();
    }
  }

  /**
   * Records a run the venue could not give, kept until a refetch fills it; recording it again counts an attempt.
   * `attempts` / `firstSeen` carry a gap's history over when a partly filled one is recorded again in pieces.
   */
  recordGap(fqme: string, tf: Timeframe, run: Run, reason: string, opts: { now?: number; attempts?: number; firstSeen?: number } = {}): Promise<void> {
    const now = opts.now ?? Date.now();
    return this.enqueue(async () => {
      const id = await this.ensureSeries(fqme, tf);
      await this.conn.run(
        `INSERT INTO gaps VALUES (${id}, ${big(run.start)}, ${big(run.end)}, $1, ${opts.attempts ?? 1}, ${opts.firstSeen ?? now}, ${now})
         ON CONFLICT (series, start) DO UPDATE SET "end" = excluded."end", reason = excluded.reason,
           attempts = greatest(gaps.attempts + 1, excluded.attempts), last_tried = excluded.last_tried`,
        [reason.slice(0, 500)],
      );
      this.onGapsChanged?.(fqme, tf);
    });
  }

  /** Forgets recorded gaps inside [run.start, run.end): they were refetched. */
  clearGaps(fqme: string, tf: Timeframe, run: Run): Promise<void> {
    return this.enqueue(async () => {
      const id = this.seriesOf(fqme, tf);
      if (id === undefined) return;
      const r = await this.conn.run(`DELETE FROM gaps WHERE series = ${id} AND start >= ${big(run.start)} AND "end" <= ${big(run.end)}`);
      if (r.rowsChanged > 0) this.onGapsChanged?.(fqme, tf);
    });
  }

  /** Recorded gaps, oldest first; of one fqme (and timeframe) or all. */
  gaps(fqme?: string, tf?: Timeframe): Promise<GapInfo[]> {
    return this.enqueue(async () => {
      if (this.seriesIds.size === 0) return [];
      const filter = [fqme !== undefined ? `s.fqme = $1` : null, tf !== undefined ? `s.timeframe = ${tf}` : null].filter(Boolean);
      const sql =
        `SELECT s.fqme, s.timeframe, g.start, g."end", g.reason, g.attempts, g.first_seen, g.last_tried FROM gaps g JOIN series s ON s.id = g.series` +
        (filter.length ? ` WHERE ${filter.join(' AND ')}` : '') +
        ` ORDER BY s.fqme, s.timeframe, g.start`;
      const rows = (await this.conn.runAndReadAll(sql, fqme !== undefined ? [fqme] : [])).getRows();
      return rows.map(([f, t, start, end, reason, attempts, first, last]) => {
        const timeframe = Number(t) as Timeframe;
        return {
          fqme: String(f),
          timeframe,
          start: Number(start),
          end: Number(end),
          bars: Math.round((Number(end) - Number(start)) / timeframe),
          reason: String(reason),
          attempts: Number(attempts),
          firstSeen: Number(first),
          lastTried: Number(last),
        };
      });
    });
  }

  /**
   * Missing bucket runs inside the covered spans of a series (for timeframes where the venue prints every bucket):
   * a hole left by a venue answer that skipped bars, or a write that never landed. Recorded gaps are included:
   * the caller decides whether to try them again.
   */
  holes(fqme: string, tf: Timeframe): Promise<Run[]> {
    return this.enqueue(async () => {
      const id = this.seriesOf(fqme, tf);
      if (id === undefined) return [];
      const out: Run[] = [];
      for (const s of this.spanCache.get(id) ?? []) {
        const sql = `SELECT prev, time FROM (SELECT time, lag(time, 1, ${big(s.lo - tf)}) OVER (ORDER BY time) AS prev FROM bars WHERE ${whereRange(id, s.lo, s.hi)})
          WHERE time - prev > ${tf} UNION ALL SELECT coalesce(max(time), ${big(s.lo - tf)}), ${big(s.hi)} FROM bars WHERE ${whereRange(id, s.lo, s.hi)} HAVING coalesce(max(time), ${big(s.lo - tf)}) + ${tf} < ${big(s.hi)}`;
        for (const [prev, time] of (await this.conn.runAndReadAll(sql)).getRows()) {
          out.push({ start: Number(prev) + tf, end: Number(time) });
        }
      }
      return out.sort((a, b) => a.start - b.start);
    });
  }

  /** Writes a series to a parquet or CSV file: time (epoch s), open, high, low, close, volume, ascending. */
  exportTo(fqme: string, tf: Timeframe, format: ExportFormat, outPath: string): Promise<{ rows: number }> {
    return this.enqueue(async () => {
      const id = this.seriesOf(fqme, tf);
      if (id === undefined) return { rows: 0 };
      const opts = format === 'parquet' ? '(FORMAT parquet)' : '(FORMAT csv, HEADER true)';
      const r = await this.conn.run(`COPY (SELECT time, open, high, low, close, volume FROM bars WHERE series = ${id} ORDER BY time) TO '${outPath.replaceAll("'", "''")}' ${opts}`);
      return { rows: Number(r.rowsChanged) };
    });
  }

  /** Waits for every queued statement. */
  async flush(): Promise<void> {
    await this.queue;
  }

  /** Finishes queued writes, checkpoints the WAL into the file and closes it. */
  /** Every caller waits for the one close: returning early to a second caller would let it tear the thread down mid-checkpoint. */
  close(): Promise<void> {
    this.closing ??= this.closeOnce();
    return this.closing;
  }

  private async closeOnce(): Promise<void> {
    // Closed first, then drained: a statement queued while the queue drained would run on the connection while it
    // checkpoints and closes, and DuckDB finishing a query on a closed connection aborts the whole process.
    this.closed = true;
    await this.flush();
    try {
      if (!this.readOnly) await this.conn.run('CHECKPOINT');
    } catch (e) {
      this.log(`history store ${this.path}: checkpoint on close failed: ${(e as Error).message}`);
    }
    this.conn.closeSync();
    this.instance.closeSync();
  }
}

function whereRange(id: number, lo: number, hi: number): string {
  const parts = [`series = ${id}`];
  if (Number.isFinite(lo)) parts.push(`time >= ${big(Math.ceil(lo))}`);
  if (Number.isFinite(hi)) parts.push(`time < ${big(Math.ceil(hi))}`);
  return parts.join(' AND ');
}

export function emptyRows(): Rows {
  const r = allocRows(0) as Rows;
  r.length = 0;
  return r;
}

/** `a` then `b`, one set of columns. */
export function concatRows(a: Rows, b: Rows): Rows {
  const out = allocRows(a.length + b.length) as Rows;
  out.length = a.length + b.length;
  for (const c of COLUMNS) {
    out[c].set(a[c].subarray(0, a.length), 0);
    out[c].set(b[c].subarray(0, b.length), a.length);
  }
  return out;
}

/** A copy of rows [from, to). */
export function sliceRows(rows: BarRows, from: number, to: number): Rows {
  const out = allocRows(to - from) as Rows;
  out.length = to - from;
  for (const c of COLUMNS) out[c].set(rows[c].subarray(from, to));
  return out;
}

/** Reads a six-DOUBLE-column result into columnar rows, a vector at a time. */
function readRows(result: DuckDBMaterializedResult): Rows {
  const n = result.rowCount;
  const rows = allocRows(n) as Rows;
  rows.length = n;
  let at = 0;
  for (let k = 0; k < result.chunkCount; k++) {
    const chunk = result.getChunk(k);
    copyChunk(chunk, rows, at);
    at += chunk.rowCount;
  }
  return rows;
}

function copyChunk(chunk: DuckDBDataChunk, rows: Rows, at: number): void {
  const m = chunk.rowCount;
  COLUMNS.forEach((c, j) => {
    const v = chunk.getColumnVector(j);
    // DOUBLE vectors hold a Float64Array view of DuckDB's data: one copy per vector instead of a call per value.
    const items = (v as unknown as { items?: unknown }).items;
    if (items instanceof Float64Array && items.length === m) rows[c].set(items, at);
    else for (let i = 0; i < m; i++) rows[c][at + i] = v.getItem(i) as number;
  });
}
