import { allocBarFrame, FrameKind } from '../protocol/frames.js';
import type { Timeframe } from '../protocol/types.js';
import { MUTABLE_TAIL, type OhlcBuffer } from '../data/ohlc-buffer.js';

/** Rows one range request may ask for: larger pages are clipped (the reply says how many came). */
export const MAX_RANGE_ROWS = 250_000;

/**
 * One client's subscription to one buffer. It remembers what was sent, so each flush sends only the rows
 * changed since: the rewritten tail and anything appended. Flushes are idempotent: a skipped one (slow
 * client) is simply covered by the next, so nothing queues up.
 */
export class BarStream {
  private sentLast: number;
  private sentSeq = -1;

  constructor(
    readonly streamId: number,
    readonly fqme: string,
    readonly timeframe: Timeframe,
    public buf: OhlcBuffer,
  ) {
    this.sentLast = buf.last;
  }

  snapshot(count: number): ArrayBuffer {
    const last = this.buf.last;
    const from = Math.max(this.buf.first, last - count);
    this.sentSeq = this.buf.seq;
    this.sentLast = last;
    return this.frame(FrameKind.snapshot, from, last);
  }

  /** The update frame since the last send, or null when nothing changed (or no snapshot went out yet). */
  update(): ArrayBuffer | null {
    const seq = this.buf.seq;
    if (seq === this.sentSeq || this.sentSeq === -1) return null;
    const last = this.buf.last;
    const from = Math.max(this.buf.first, Math.min(this.sentLast, last) - MUTABLE_TAIL);
    this.sentSeq = seq;
    this.sentLast = last;
    return from < last ? this.frame(FrameKind.update, from, last) : null;
  }

  range(from: number, to: number): ArrayBuffer {
    const lo = Math.max(from, this.buf.first);
    const hi = Math.min(to, this.buf.last, lo + MAX_RANGE_ROWS);
    return this.frame(FrameKind.range, lo, Math.max(lo, hi));
  }

  reset(buf: OhlcBuffer): void {
    this.buf = buf;
    this.sentSeq = -1;
    this.sentLast = buf.last;
  }

  private frame(kind: FrameKind, from: number, to: number): ArrayBuffer {
    const { buf, rows } = allocBarFrame(kind, this.streamId, from, this.buf.first, this.buf.last, to - from, this.buf.writtenAt);
    this.buf.readRows(from, to, rows, 0);
    return buf;
  }
}
