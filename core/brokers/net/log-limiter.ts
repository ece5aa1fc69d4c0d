/**
 * Rate-limited logging for venue adapters: a venue sending a stream of bad frames must not flood the log, yet
 * nothing may vanish silently. Per key, at most `perWindow` lines are written per `windowMs`; the rest are
 * counted and the count is reported with the next line that gets through.
 */
export class LogLimiter {
  private readonly keys = new Map<string, { windowStart: number; written: number; suppressed: number }>();

  constructor(
    private readonly log: (line: string) => void,
    private readonly windowMs = 10_000,
    private readonly perWindow = 5,
    private readonly now: () => number = Date.now,
  ) {}

  line(key: string, text: string): void {
    const t = this.now();
    let k = this.keys.get(key);
    if (!k) {
      if (this.keys.size > 1_000) this.keys.clear();
      this.keys.set(key, (k = { windowStart: t, written: 0, suppressed: 0 }));
    }
    if (t - k.windowStart >= this.windowMs) {
      k.windowStart = t;
      k.written = 0;
    }
    if (k.written >= this.perWindow) {
      k.suppressed++;
      return;
    }
    k.written++;
    const more = k.suppressed > 0 ? ` (${k.suppressed} more like this not logged)` : '';
    k.suppressed = 0;
    this.log(text + more);
  }
}
