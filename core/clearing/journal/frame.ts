import { crc32 } from './crc32.js';
import { isJournalEntry, type JournalEntry } from './records.js';

/**
 * One record on disk: `u32 length | u32 crc32(payload) | payload`, little-endian, payload = UTF-8 JSON of the
 * entry. The length lets a reader step from frame to frame; the CRC tells a torn or rotted frame from a good one.
 */
export const HEADER_BYTES = 8;
/** Far above any real record (a snapshot of every live order included); a larger length is a corrupt header. */
export const MAX_PAYLOAD_BYTES = 256 * 1024 * 1024;
/** `{}` is the shortest JSON object: a zero length is what a zero-filled tail looks like, never a record. */
const MIN_PAYLOAD_BYTES = 2;

export function encodeFrame(entry: JournalEntry): Buffer {
  return frameOf(JSON.stringify(entry));
}

/** The frame for an already serialized entry (the writer serializes once, for the frame and for its index). */
export function frameOf(json: string): Buffer {
  const len = Buffer.byteLength(json, 'utf8');
  if (len > MAX_PAYLOAD_BYTES) throw new Error(`journal record of ${len} bytes is over the frame limit`);
  // The payload is encoded straight into the frame (no intermediate copy).
  const frame = Buffer.allocUnsafe(HEADER_BYTES + len);
  frame.write(json, HEADER_BYTES, 'utf8');
  frame.writeUInt32LE(len, 0);
  frame.writeUInt32LE(crc32(frame, HEADER_BYTES), 4);
  return frame;
}

export type FrameRead = { ok: true; entry: JournalEntry; end: number } | { ok: false; reason: string };

/** Decodes the frame starting at `offset` of `buf`, or says why there is no intact frame there. */
export function readFrame(buf: Buffer, offset: number): FrameRead {
  if (offset + HEADER_BYTES > buf.length) return { ok: false, reason: 'partial frame header' };
  const len = buf.readUInt32LE(offset);
  if (len < MIN_PAYLOAD_BYTES || len > MAX_PAYLOAD_BYTES) return { ok: false, reason: `implausible frame length ${len}` };
  const start = offset + HEADER_BYTES;
  const end = start + len;
  if (end > buf.length) return { ok: false, reason: `frame of ${len} bytes runs past the end of the file` };
  if (crc32(buf, start, end) !== buf.readUInt32LE(offset + 4)) return { ok: false, reason: 'CRC mismatch' };
  let entry: unknown;
  try {
    entry = JSON.parse(buf.toString('utf8', start, end));
  } catch {
    return { ok: false, reason: 'payload is not JSON' };
  }
  if (!isJournalEntry(entry)) return { ok: false, reason: 'payload is not a journal record' };
  return { ok: true, entry, end };
}

/**
 * The offset of the first intact frame at or after `from` whose seq is above `afterSeq`, or -1. This is what tells
 * a torn tail (nothing good follows the bad bytes) from corruption in the middle (good records follow, and must not
 * be dropped). Only run on the error path, so a byte-by-byte search is affordable.
 */
export function findIntactFrame(buf: Buffer, from: number, afterSeq: number): number {
  for (let o = from; o + HEADER_BYTES + MIN_PAYLOAD_BYTES <= buf.length; o++) {
    const len = buf.readUInt32LE(o);
    // Cheap rejections first: most garbage offsets fail on the length before any CRC is computed.
    if (len < MIN_PAYLOAD_BYTES || o + HEADER_BYTES + len > buf.length || buf[o + HEADER_BYTES] !== 0x7b) continue;
    const r = readFrame(buf, o);
    if (r.ok && r.entry.seq > afterSeq) return o;
  }
  return -1;
}
