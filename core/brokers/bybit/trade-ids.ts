/**
 * The trade ids one market has delivered recently, to drop a trade seen before (a venue resend, an overlap
 * across reconnects). Bybit's ids are opaque (UUIDs on linear, long digit strings on spot), so "older" cannot
 * be read off the id: a bounded window of ids is kept, and a trade at or before the time of the newest id that
 * left the window is too old to tell apart, so it counts as a duplicate too.
 */
export class TradeIds {
  private readonly seen = new Set<string>();
  private readonly ids: string[] = [];
  private readonly times: number[] = [];
  private head = 0;
  private floorMs = -Infinity;

  constructor(private readonly cap = 20_000) {}

  /** True for a new trade (now remembered); false for a duplicate. */
  admit(id: string, timeMs: number): boolean {
    if (timeMs <= this.floorMs || this.seen.has(id)) return false;
    if (this.ids.length < this.cap) {
      this.ids.push(id);
      this.times.push(timeMs);
    } else {
      this.seen.delete(this.ids[this.head]!);
      this.floorMs = Math.max(this.floorMs, this.times[this.head]!);
      this.ids[this.head] = id;
      this.times[this.head] = timeMs;
      this.head = (this.head + 1) % this.cap;
    }
    this.seen.add(id);
    return true;
  }
}
