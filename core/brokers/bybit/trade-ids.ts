/**
 * The trade ids one market delivered recently, to drop a trade seen before (a venue resend, an overlap across
 * reconnects). Bybit's ids are opaque (UUIDs on linear, long digit strings on spot), so "older" cannot be read off
 * the id; but a resent trade carries its original time T, so only trades with the same T can be the same trade.
 * The window keeps (T, fingerprint of the id) sorted by T: a trade newer than everything is new without a lookup,
 * one at a known T is compared with the few kept at that T, and a trade at or before the newest T that left the
 * window is too old to tell apart, so it counts as a duplicate. Fingerprints are 52-bit hashes (nothing per trade
 * is retained, which keeps the hot path free of garbage); two different trades would have to share both the
 * millisecond and the hash to be confused.
 */
export class TradeIds {
  private readonly times: Float64Array;
  private readonly keys: Float64Array;
  /** Ring position of the oldest entry, and the number of entries. */
  private head = 0;
  private n = 0;
  private floorMs = -Infinity;

  constructor(private readonly cap = 4_096) {
    this.times = new Float64Array(cap);
    this.keys = new Float64Array(cap);
  }

  /** True for a new trade (now remembered); false for a duplicate. */
  admit(id: string, timeMs: number): boolean {
    if (timeMs <= this.floorMs) return false;
    const key = fingerprint(id);
    const { times, keys, cap } = this;
    // Newest first: stop at the first entry older than this trade; `at` ends as the first one newer than it.
    let at = this.n;
    for (let j = this.n - 1; j >= 0; j--) {
      const k = (this.head + j) % cap;
      const t = times[k]!;
      if (t < timeMs) break;
      if (t === timeMs && keys[k] === key) return false;
      if (t > timeMs) at = j;
    }
    // New: above the floor and not in the window. A full window drops its oldest entry, which may be this one.
    if (this.n === cap) {
      if (at === 0) {
        this.floorMs = Math.max(this.floorMs, timeMs);
        return true;
      }
      this.floorMs = Math.max(this.floorMs, times[this.head]!);
      this.head = (this.head + 1) % cap;
      this.n--;
      at--;
    }
    // A late trade goes in its time's place (rare: a venue prints in time order), keeping the window sorted.
    for (let j = this.n; j > at; j--) {
      const dst = (this.head + j) % cap;
      const src = (this.head + j - 1) % cap;
      times[dst] = times[src]!;
      keys[dst] = keys[src]!;
    }
    const k = (this.head + at) % cap;
    times[k] = timeMs;
    keys[k] = key;
    this.n++;
    return true;
  }
}

/** A 52-bit hash of a string (two 32-bit multiplicative lanes, 32 + 20 bits): exact as a double. */
export function fingerprint(s: string): number {
  let a = 0x811c9dc5;
  let b = 0x1b873593 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 13;
  }
  return (a >>> 0) * 1_048_576 + ((b >>> 0) & 0xfffff);
}
