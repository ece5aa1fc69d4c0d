import { describe, expect, it } from 'vitest';
import { nextBoundary, Sampler, type Clock } from './sampler.js';

/** A clock whose timers fire when the test advances time; it may fire early, as real timers can. */
class FakeClock implements Clock {
  t: number;
  timers: { at: number; cb: () => void; id: number }[] = [];
  private id = 0;
  constructor(start: number, private readonly earlyMs = 0) {
    this.t = start;
  }
  now() {
    return this.t;
  }
  setTimeout(cb: () => void, ms: number) {
    const id = ++this.id;
    // Long timers fire a little early, short ones on time (as OS timers do): the sampler must re-arm, not step early.
    this.timers.push({ at: this.t + (ms > 10 * this.earlyMs ? ms - this.earlyMs : ms), cb, id });
    return id;
  }
  clearTimeout(h: unknown) {
    this.timers = this.timers.filter((x) => x.id !== h);
  }
  advance(ms: number) {
    const end = this.t + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.t = Math.max(this.t, next.at);
      next.cb();
    }
    this.t = end;
  }
}

describe('samplerd clock', () => {
  it('computes the next wall-clock boundary', () => {
    expect(nextBoundary(59_999, 60)).toBe(60_000);
    expect(nextBoundary(60_000, 60)).toBe(120_000);
    expect(nextBoundary(1_234, 1)).toBe(2_000);
  });

  it('steps 1 s and 60 s exactly on boundaries, even when timers fire early', () => {
    const start = Date.UTC(2026, 10, 21, 10, 0, 37, 123);
    const clock = new FakeClock(start, 3);
    const s = new Sampler([1, 60], clock);
    const steps: [number, number][] = [];
    s.onStep((p, t) => steps.push([p, t]));
    s.start();
    clock.advance(150_000);
    s.stop();
    const minutes = steps.filter(([p]) => p === 60).map(([, t]) => t);
    const seconds = steps.filter(([p]) => p === 1).map(([, t]) => t);
    expect(minutes).toEqual([1, 2, 3].map((m) => Date.UTC(2026, 10, 21, 10, m) / 1000));
    expect(seconds.length).toBe(150);
    expect(seconds.every((t) => Number.isInteger(t))).toBe(true);
    expect(seconds[0]).toBe(Math.ceil(start / 1000));
    expect(new Set(seconds).size).toBe(seconds.length);
  });

  it('stops stepping when stopped', () => {
    const clock = new FakeClock(0);
    const s = new Sampler([1], clock);
    let n = 0;
    s.onStep(() => n++);
    s.start();
    clock.advance(2_500);
    s.stop();
    clock.advance(5_000);
    expect(n).toBe(2);
  });
});
