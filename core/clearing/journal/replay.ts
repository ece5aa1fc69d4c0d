import { open, readFile } from 'node:fs/promises';
import { findIntactFrame, HEADER_BYTES, readFrame } from './frame.js';
import type { JournalEntry } from './records.js';
import { listSegments, type Segment } from './segments.js';

/** Damage replay must not paper over: losing it would lose acknowledged orders or fills. */
export class JournalCorruptError extends Error {
  constructor(
    readonly segment: string,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(`journal corrupt in ${segment} at offset ${offset}: ${reason}`);
    this.name = 'JournalCorruptError';
  }
}

export interface TornTail {
  segment: string;
  offset: number;
  /** Bytes after the last intact record: the unacknowledged write a crash interrupted. */
  bytes: number;
  reason: string;
}

export interface ReplayReport {
  /** Segments read (from the latest snapshot segment on). */
  segments: number;
  records: number;
  /** The last intact record's seq; 0 for an empty journal. */
  lastSeq: number;
  /** Segment the replay started at because its first record is a snapshot; null when there is none. */
  snapshotSegment: string | null;
  /** Segments before that snapshot: a compaction that crashed between its rename and its deletes left them. */
  obsoleteSegments: Segment[];
  /** The segment written last (where appends continue), or null for an empty directory. */
  lastSegment: Segment | null;
  /** Byte length of lastSegment after replay (after any truncation). */
  lastSegmentBytes: number;
  /** Bytes of every segment read (after any truncation): what a compaction would shrink. */
  bytes: number;
  /** Torn tails found (0 or 1: only the last segment can have one). */
  tornTails: number;
  tornTail: TornTail | null;
  /** True when the torn tail was cut off the file. */
  truncated: boolean;
}

export interface ReplayOptions {
  /** Truncate a torn tail off the last segment (default true), so appends continue after the last intact record. */
  repair?: boolean;
}

/**
 * Every intact record in seq order, from the latest snapshot on. A bad frame at the end of the last segment is a
 * torn tail (a write that a crash interrupted, so never acknowledged): it is cut off and reported. A bad frame
 * anywhere else, or a seq gap, is a JournalCorruptError naming the segment and offset: never skipped.
 */
export function replay(dir: string, opts: ReplayOptions = {}): Replay {
  return new Replay(dir, opts.repair ?? true);
}

export class Replay implements AsyncIterable<JournalEntry> {
  readonly report: ReplayReport = emptyReport();

  constructor(
    private readonly dir: string,
    private readonly repair: boolean,
  ) {}

  async *[Symbol.asyncIterator](): AsyncIterator<JournalEntry> {
    const report = Object.assign(this.report, emptyReport());
    const all = await listSegments(this.dir);
    const start = await latestSnapshotIndex(all);
    const segments = all.slice(Math.max(start, 0));
    report.snapshotSegment = start >= 0 ? all[start]!.name : null;
    report.obsoleteSegments = all.slice(0, Math.max(start, 0));
    report.lastSegment = segments.at(-1) ?? null;

    let prev = 0;
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i]!;
      const isLast = i === segments.length - 1;
      // Without a snapshot the journal must begin at seq 1: a lost first segment would otherwise go unnoticed.
      const expectedFirst = i === 0 ? (start >= 0 ? seg.firstSeq : 1) : prev + 1;
      if (seg.firstSeq !== expectedFirst) {
        throw new JournalCorruptError(seg.name, 0, `segment starts at seq ${seg.firstSeq} where ${expectedFirst} was expected: records are missing`);
      }
      const buf = await readFile(seg.path);
      let off = 0;
      while (off < buf.length) {
        const r = readFrame(buf, off);
        if (!r.ok) {
          const next = findIntactFrame(buf, off + 1, prev);
          if (!isLast) throw new JournalCorruptError(seg.name, off, `${r.reason} in a sealed segment (${buf.length - off} bytes to its end)`);
          if (next >= 0) throw new JournalCorruptError(seg.name, off, `${r.reason}, with an intact record after it at offset ${next}`);
          report.tornTails = 1;
          report.tornTail = { segment: seg.name, offset: off, bytes: buf.length - off, reason: r.reason };
          if (this.repair) {
            await truncateDurably(seg.path, off);
            report.truncated = true;
          }
          break;
        }
        const { entry } = r;
        const expected = prev > 0 ? prev + 1 : seg.firstSeq;
        if (entry.seq !== expected) {
          throw new JournalCorruptError(seg.name, off, `record seq ${entry.seq} where ${expected} was expected`);
        }
        prev = entry.seq;
        report.records++;
        report.lastSeq = prev;
        off = r.end;
        yield entry;
      }
      report.segments++;
      report.bytes += off;
      if (isLast) report.lastSegmentBytes = off;
    }
  }
}

/** Reads every intact record into an array (tests, tools); the journal itself streams. */
export async function replayAll(dir: string, opts: ReplayOptions = {}): Promise<{ entries: JournalEntry[]; report: ReplayReport }> {
  const r = replay(dir, opts);
  const entries: JournalEntry[] = [];
  for await (const e of r) entries.push(e);
  return { entries, report: r.report };
}

function emptyReport(): ReplayReport {
  return {
    segments: 0,
    records: 0,
    lastSeq: 0,
    snapshotSegment: null,
    obsoleteSegments: [],
    lastSegment: null,
    lastSegmentBytes: 0,
    bytes: 0,
    tornTails: 0,
    tornTail: null,
    truncated: false,
  };
}

/** Index of the newest segment that begins with a snapshot (compaction's commit point), else -1. */
async function latestSnapshotIndex(segments: Segment[]): Promise<number> {
  for (let i = segments.length - 1; i >= 0; i--) if (await startsWithSnapshot(segments[i]!)) return i;
  return -1;
}

/** Reads just the first frame: a snapshot segment is only ever renamed into place complete and synced. */
async function startsWithSnapshot(seg: Segment): Promise<boolean> {
  const fh = await open(seg.path, 'r');
  try {
    const head = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await fh.read(head, 0, HEADER_BYTES, 0);
    if (bytesRead < HEADER_BYTES) return false;
    const len = head.readUInt32LE(0);
    const { size } = await fh.stat();
    if (HEADER_BYTES + len > size) return false;
    const frame = Buffer.alloc(HEADER_BYTES + len);
    await fh.read(frame, 0, frame.length, 0);
    const r = readFrame(frame, 0);
    return r.ok && r.entry.type === 'snapshot' && r.entry.seq === seg.firstSeq;
  } finally {
    await fh.close();
  }
}

async function truncateDurably(path: string, length: number): Promise<void> {
  const fh = await open(path, 'r+');
  try {
    await fh.truncate(length);
    await fh.sync();
  } finally {
    await fh.close();
  }
}
