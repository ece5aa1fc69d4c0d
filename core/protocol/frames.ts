/**
 * Binary bar frames: one message carries many rows, columnar, so a renderer copies typed arrays
 * instead of parsing objects. Layout (little endian, 8-byte aligned):
 *   u8 kind | u8 version | u16 reserved | u32 streamId | u32 count | i32 startIndex | i32 first | i32 last
 *   | f64 ingestedAt, then f64[count] for each column in COLUMNS order.
 * `startIndex` is the absolute buffer index of the first row; `first`/`last` are the buffer's bounds at send time;
 * `ingestedAt` (epoch ms, sub-ms precision) is when datad wrote the newest data in the frame: the start of
 * the tick-to-chart latency a renderer can measure.
 */
export const FRAME_VERSION = 1;
export const FrameKind = { snapshot: 1, update: 2, range: 3 } as const;
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];

export const COLUMNS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;
export type Column = (typeof COLUMNS)[number];
export const HEADER_BYTES = 32;

export interface BarRows {
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

export interface BarFrame {
  kind: FrameKind;
  streamId: number;
  startIndex: number;
  first: number;
  last: number;
  ingestedAt: number;
  count: number;
  rows: BarRows;
}

export function frameBytes(count: number): number {
  return HEADER_BYTES + count * 8 * COLUMNS.length;
}

/** A frame with its header written and its row columns as views to fill in place (no second copy). */
export function allocBarFrame(
  kind: FrameKind,
  streamId: number,
  startIndex: number,
  first: number,
  last: number,
  count: number,
  ingestedAt = 0,
): { buf: ArrayBuffer; rows: BarRows } {
  const buf = new ArrayBuffer(frameBytes(count));
  const dv = new DataView(buf);
  dv.setUint8(0, kind);
  dv.setUint8(1, FRAME_VERSION);
  dv.setUint32(4, streamId, true);
  dv.setUint32(8, count, true);
  dv.setInt32(12, startIndex, true);
  dv.setInt32(16, first, true);
  dv.setInt32(20, last, true);
  dv.setFloat64(24, ingestedAt, true);
  const rows = {} as BarRows;
  let at = HEADER_BYTES;
  for (const c of COLUMNS) {
    rows[c] = new Float64Array(buf, at, count);
    at += count * 8;
  }
  return { buf, rows };
}

/** Encodes rows [offset, offset+count) of `cols` into a fresh ArrayBuffer. */
export function encodeBarFrame(
  kind: FrameKind,
  streamId: number,
  startIndex: number,
  first: number,
  last: number,
  cols: BarRows,
  offset: number,
  count: number,
): ArrayBuffer {
  const { buf, rows } = allocBarFrame(kind, streamId, startIndex, first, last, count);
  for (const c of COLUMNS) rows[c].set(cols[c].subarray(offset, offset + count));
  return buf;
}

export class FrameError extends Error {}

/** Decodes without copying: the row arrays are views on `buf`. */
export function decodeBarFrame(buf: ArrayBuffer): BarFrame {
  if (buf.byteLength < HEADER_BYTES) throw new FrameError(`bar frame too short: ${buf.byteLength} bytes`);
  const dv = new DataView(buf);
  const kind = dv.getUint8(0) as FrameKind;
  if (kind !== 1 && kind !== 2 && kind !== 3) throw new FrameError(`unknown bar frame kind ${kind}`);
  if (dv.getUint8(1) !== FRAME_VERSION) throw new FrameError(`unsupported bar frame version ${dv.getUint8(1)}`);
  const count = dv.getUint32(8, true);
  if (buf.byteLength !== frameBytes(count)) {
    throw new FrameError(`bar frame of ${count} rows must be ${frameBytes(count)} bytes, got ${buf.byteLength}`);
  }
  const rows = {} as BarRows;
  let at = HEADER_BYTES;
  for (const c of COLUMNS) {
    rows[c] = new Float64Array(buf, at, count);
    at += count * 8;
  }
  return {
    kind,
    streamId: dv.getUint32(4, true),
    count,
    startIndex: dv.getInt32(12, true),
    first: dv.getInt32(16, true),
    last: dv.getInt32(20, true),
    ingestedAt: dv.getFloat64(24, true),
    rows,
  };
}
