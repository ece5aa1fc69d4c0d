import type { Timeframe } from '../protocol/types.js';

/**
 * samplerd: one clock for the whole host. Steps fire on wall-clock boundaries (a 60 s step at :00),
 * unlike piker whose steps count from the sampler's start.
 */
export interface Clock {
  now(): number;
  setTimeout(cb: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (cb, ms) => setTimeout(cb, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** The first boundary of `periodS` strictly after `nowMs`, in epoch ms. */
export function nextBoundary(nowMs: number, periodS: number): number {
  const p = periodS * 1000;
  return (Math.floor(nowMs / p) + 1) * p;
}

export type StepListener = (period: Timeframe, timeSec: number) => void;

export class Sampler {
  private timers = new Map<Timeframe, unknown>();
  private listeners = new Set<StepListener>();
  private running = false;
  readonly steps = { 1: 0, 60: 0 } as Record<Timeframe, number>;

  constructor(
    private readonly periods: readonly Timeframe[] = [1, 60],
    private readonly clock: Clock = systemClock,
  ) {}

  onStep(cb: StepListener): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    for (const p of this.periods) this.arm(p);
  }

  stop(): void {
    this.running = false;
    for (const h of this.timers.values()) this.clock.clearTimeout(h);
    this.timers.clear();
  }

  get isRunning(): boolean {
    return this.running;
  }

  private arm(period: Timeframe): void {
    const at = nextBoundary(this.clock.now(), period);
    // Timers may fire a little early; re-arming from the boundary itself keeps every step on it.
    const h = this.clock.setTimeout(() => this.fire(period, at), Math.max(0, at - this.clock.now()));
    this.timers.set(period, h);
  }

  private fire(period: Timeframe, atMs: number): void {
    if (!this.running) return;
    if (this.clock.now() < atMs) {
      this.timers.set(period, this.clock.setTimeout(() => this.fire(period, atMs), atMs - this.clock.now()));
      return;
    }
    this.steps[period]++;
    for (const cb of this.listeners) cb(period, atMs / 1000);
    this.arm(period);
  }
}
