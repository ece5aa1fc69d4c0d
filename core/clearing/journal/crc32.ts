import * as zlib from 'node:zlib';

/**
 * CRC-32 (IEEE 802.3, the zlib/PNG polynomial, reflected) for the journal's frame checksums: node:zlib's where the
 * runtime has it (Node 20.15+, 22.2+; several times faster than the table for the journal's frames), else the table
 * below (the journal must not depend on a native addon). Both give the same value; crc32.test.ts checks each.
 */
const POLY = 0xedb88320;

// One byte at a time through a 256-entry table: ~8x fewer steps than bit-by-bit, and frames are small.
const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? POLY ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 of `bytes[start, end)`, as an unsigned 32-bit number. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return native ? native(start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end)) >>> 0 : crc32Table(bytes, start, end);
}

const native: ((data: Uint8Array) => number) | undefined = typeof (zlib as { crc32?: unknown }).crc32 === 'function' ? zlib.crc32 : undefined;

/** The table version (what runs where node:zlib has no crc32). */
export function crc32Table(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
