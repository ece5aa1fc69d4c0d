import { describe, expect, it } from 'vitest';
import { crc32, crc32Table } from './crc32.js';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('crc32', () => {
  it('matches the published check values', () => {
    expect(crc32(bytes('123456789'))).toBe(0xcbf43926);
    expect(crc32(bytes(''))).toBe(0);
    expect(crc32(bytes('a'))).toBe(0xe8b7be43);
    expect(crc32(bytes('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
    expect(crc32(new Uint8Array(32))).toBe(0x190a55ad);
    expect(crc32(new Uint8Array(32).fill(0xff))).toBe(0xff6cab0b);
  });

  it('checksums a sub-range without copying it', () => {
    const b = bytes('xx123456789yy');
    expect(crc32(b, 2, 11)).toBe(0xcbf43926);
  });

  it('gives the same values through the table as through node:zlib', () => {
    expect(crc32Table(bytes('123456789'))).toBe(0xcbf43926);
    expect(crc32Table(bytes('xx123456789yy'), 2, 11)).toBe(0xcbf43926);
    const junk = new Uint8Array(4096).map((_, i) => (i * 131 + 7) & 0xff);
    for (const [a, b] of [[0, 4096], [1, 999], [17, 18], [5, 5]] as const) expect(crc32(junk, a, b)).toBe(crc32Table(junk, a, b));
  });

  it('notices a single flipped bit', () => {
    const b = bytes('{"seq":1,"type":"order"}');
    const before = crc32(b);
    b[5]! ^= 0x04;
    expect(crc32(b)).not.toBe(before);
  });
});
