import { describe, expect, it } from 'vitest';
import { crc32 } from './crc32.js';
import { encodeFrame, findIntactFrame, HEADER_BYTES, readFrame } from './frame.js';
import type { JournalEntry } from './records.js';
import { sampleOrder } from './test-workers/fixtures.js';

const entry = (seq: number): JournalEntry => ({ type: 'order', order: sampleOrder(`o${seq}`), seq, time: 1000 + seq });

describe('journal frames', () => {
  it('round-trips a record through u32 length | u32 crc | JSON', () => {
    const f = encodeFrame(entry(7));
    expect(f.readUInt32LE(0)).toBe(f.length - HEADER_BYTES);
    const r = readFrame(f, 0);
    expect(r).toEqual({ ok: true, entry: entry(7), end: f.length });
  });

  it('says why a frame is not intact', () => {
    const f = encodeFrame(entry(1));
    expect(readFrame(f.subarray(0, 5), 0)).toMatchObject({ ok: false, reason: 'partial frame header' });
    expect(readFrame(f.subarray(0, f.length - 1), 0)).toMatchObject({ ok: false, reason: expect.stringContaining('runs past the end') });
    expect(readFrame(Buffer.alloc(64), 0)).toMatchObject({ ok: false, reason: 'implausible frame length 0' });
    const flipped = Buffer.from(f);
    flipped[f.length - 3]! ^= 0x01;
    expect(readFrame(flipped, 0)).toMatchObject({ ok: false, reason: 'CRC mismatch' });
  });

  it('refuses a payload whose CRC matches but which is not a journal record', () => {
    const frameFor = (text: string) => {
      const payload = Buffer.from(text);
      const f = Buffer.alloc(HEADER_BYTES + payload.length);
      f.writeUInt32LE(payload.length, 0);
      f.writeUInt32LE(crc32(payload), 4);
      payload.copy(f, HEADER_BYTES);
      return f;
    };
    expect(readFrame(frameFor('{"seq":1,'), 0)).toMatchObject({ ok: false, reason: 'payload is not JSON' });
    expect(readFrame(frameFor('{"seq":0,"time":1,"type":"order","order":{"oid":"x"}}'), 0)).toMatchObject({ ok: false, reason: 'payload is not a journal record' });
    expect(readFrame(frameFor('{"seq":1,"time":1,"type":"order","order":{"oid":"x"}}'), 0).ok).toBe(true);
  });

  it('finds the next intact frame after damage, and only frames past a given seq', () => {
    const a = encodeFrame(entry(1));
    const b = encodeFrame(entry(2));
    const buf = Buffer.concat([a, Buffer.from('garbage!'), b]);
    expect(findIntactFrame(buf, 1, 1)).toBe(a.length + 8);
    expect(findIntactFrame(buf, 1, 2)).toBe(-1);
    expect(findIntactFrame(Buffer.concat([a, Buffer.alloc(4096)]), a.length, 1)).toBe(-1);
  });
});
