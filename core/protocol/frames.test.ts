import { describe, expect, it } from 'vitest';
import { COLUMNS, decodeBarFrame, encodeBarFrame, FrameError, FrameKind, type BarRows } from './frames.js';

function rows(n: number): BarRows {
  const r = {} as BarRows;
  COLUMNS.forEach((c, ci) => (r[c] = Float64Array.from({ length: n }, (_, i) => i * 10 + ci)));
  return r;
}

describe('binary bar frames', () => {
  it('round-trips rows, indices and bounds', () => {
    const buf = encodeBarFrame(FrameKind.update, 9, 1000, 10, 1004, rows(6), 2, 4);
    const f = decodeBarFrame(buf);
    expect(f).toMatchObject({ kind: FrameKind.update, streamId: 9, startIndex: 1000, first: 10, last: 1004, count: 4 });
    expect([...f.rows.time]).toEqual([20, 30, 40, 50]);
    expect([...f.rows.volume]).toEqual([25, 35, 45, 55]);
  });
  it('rejects truncated, unknown and mis-sized frames', () => {
    const good = encodeBarFrame(FrameKind.snapshot, 1, 0, 0, 3, rows(3), 0, 3);
    expect(() => decodeBarFrame(good.slice(0, 10))).toThrow(FrameError);
    expect(() => decodeBarFrame(good.slice(0, good.byteLength - 8))).toThrow(/must be/);
    const bad = good.slice(0);
    new DataView(bad).setUint8(0, 99);
    expect(() => decodeBarFrame(bad)).toThrow(/kind 99/);
  });
});
