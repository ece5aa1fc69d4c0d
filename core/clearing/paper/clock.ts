/**
 * Time for the matching engines, injectable so latency (ack, open, cancel) can be stepped through in tests,
 * including the cancel-before-ack race, without real waiting.
 */
export interface Clock {
  now(): number;
  /** Runs `fn` after `ms`; the handle cancels it. */
  after(ms: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  after(ms, fn) {
    const t = setTimeout(fn, ms);
    return () => clearTimeout(t);
  },
};

/** A clock that moves only when told to: timers fire in due-time order, ties in the order they were set. */
export class ManualClock implements Clock {
  private t: number;
  private seq = 0;
  private timers: { due: number; seq: number; fn: () => void }[] = [];

  constructor(start = 0) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  after(ms: number, fn: () => void): () => void {
    const timer = { due: this.t + Math.max(0, ms), seq: this.seq++, fn };
    this.timers.push(timer);
    return () => {
      const i = this.timers.indexOf(timer);
      if (i >= 0) this.timers.splice(i, 1);
    };
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way (including ones set meanwhile). */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const next = this.nextDue(end);
      if (!next) break;
      this.timers.splice(this.timers.indexOf(next), 1);
      this.t = next.due;
      next.fn();
    }
    this.t = end;
  }

  pending(): number {
    return this.timers.length;
  }

  private nextDue(end: number) {
    let best: (typeof this.timers)[number] | undefined;
    for (const x of this.timers) {
      if (x.due > end) continue;
      if (!best || x.due < best.due || (x.due === best.due && x.seq < best.seq)) best = x;
    }
    return best;
  }
}
