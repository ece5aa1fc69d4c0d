import { describe, expect, it } from 'vitest';
import { crc32 } from './crc32.js';

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

  it('notices a single flipped bit', () => {
    const b = bytes('{"seq":1,"type":"order"}');
    const before = crc32(b);
    b[5]! ^= 0x04;
    expect(crc32(b)).not.toBe(before);
  });
});
