/**
 * At most one chart flush per animation frame, without waiting a frame when idle.
 *
 * Waiting for the next requestAnimationFrame before applying a sparse update costs ~8 ms on average, and
 * lightweight-charts then paints in the frame after that: too slow for a 4 ms tick-to-chart median. So the
 * first request in a frame flushes right away (in a microtask, so frames arriving in one task batch), and
 * later requests in the same frame coalesce into one flush at the next animation frame. A hidden page
 * (no animation frames) stops flushing: the stores keep the truth, nothing queues up.
 *
 * View-only requests (the chart's own range-change callbacks, which every update() fires) are lazy: they run
 * at the next animation frame without taking that frame's leading slot. Otherwise each data flush would
 * schedule a view flush that uses up the next frame, and every data frame would wait ~8 ms for an animation
 * frame under a steady feed.
 */
export interface SchedulerDeps {
  raf: (cb: () => void) => unknown;
  microtask: (cb: () => void) => void;
}

export class FlushScheduler {
  private flushedThisFrame = false;
  private pending = false;
  /** Only lazy (view) requests are pending: the frame flush for them leaves the leading slot free. */
  private pendingLazyOnly = false;
  private microtaskQueued = false;
  private frameWatch = false;
  /** Flushes run so far: for tests and the debug handle. */
  flushes = 0;

  constructor(
    private readonly flush: () => void,
    private readonly deps: SchedulerDeps = defaultDeps(),
  ) {}

  request(lazy = false): void {
    if (lazy) {
      if (this.pending || this.microtaskQueued) return;
      this.pending = true;
      this.pendingLazyOnly = true;
      this.watchFrame();
      return;
    }
    if (this.pending && this.pendingLazyOnly && !this.flushedThisFrame) {
      // A data request while only view work waits: take the leading slot now, the view work rides along.
      this.pending = false;
      this.pendingLazyOnly = false;
    }
    if (this.pending) {
      this.pendingLazyOnly = false;
      return;
    }
    if (this.microtaskQueued) return;
    if (!this.flushedThisFrame) {
      this.microtaskQueued = true;
      this.deps.microtask(() => {
        this.microtaskQueued = false;
        this.run();
      });
      return;
    }
    this.pending = true;
  }

  private run(takesSlot = true): void {
    if (takesSlot) this.flushedThisFrame = true;
    this.pending = false;
    this.pendingLazyOnly = false;
    this.watchFrame();
    this.flushes++;
    this.flush();
  }

  private watchFrame(): void {
    if (this.frameWatch) return;
    this.frameWatch = true;
    this.deps.raf(() => {
      this.frameWatch = false;
      this.flushedThisFrame = false;
      if (this.pending) this.run(!this.pendingLazyOnly);
    });
  }
}

function defaultDeps(): SchedulerDeps {
  return {
    raf: (cb) => requestAnimationFrame(() => cb()),
    microtask: (cb) => queueMicrotask(cb),
  };
}
