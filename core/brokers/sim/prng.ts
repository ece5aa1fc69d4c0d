/** Integer hashing for the sim: every random draw is a pure function of (seed, stream, key), so the sim replays exactly. */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

export function hash4(a: number, b: number, c: number, d: number): number {
  let h = mix32(a ^ 0x9e3779b9);
  h = mix32(h ^ b);
  h = mix32(h ^ c);
  h = mix32(h ^ (d >>> 0));
  return mix32(h ^ Math.floor(d / 4294967296));
}

/** Uniform in [0, 1). */
export function unit(a: number, b: number, c: number, d: number): number {
  return hash4(a, b, c, d) / 4294967296;
}

export function strHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
