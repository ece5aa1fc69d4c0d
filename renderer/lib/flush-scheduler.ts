/**
 * At most one chart flush per animation frame, without waiting a frame when idle.
 *
 * Waiting for the next requestAnimationFrame before applying a sparse update costs ~8 ms on average, and
 * lightweight-charts then paints in the frame after that: too slow for a 4 ms tick-to-chart median. So the
 * first request in a frame flushes right away (in a microtask, so frames arriving in one task batch), and
 * later requests in the same frame coalesce into one flush at the next animation frame. A hidden page
 * (no animation frames) stops flushing: the stores keep the truth, nothing queues up.
 */
export interface SchedulerDeps {
  raf: (cb: () => void) => unknown;
  microtask: (cb: () => void) => void;
}

export class FlushScheduler {
  private flushedThisFrame = false;
  private pending = false;
  private microtaskQueued = false;
  private frameWatch = false;
  /** Flushes run so far: for tests and the debug handle. */
  flushes = 0;

  constructor(
    private readonly flush: () => void,
    private readonly deps: SchedulerDeps = defaultDeps(),
  ) {}

  request(): void {
    if (this.pending || this.microtaskQueued) return;
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

  private run(): void {
    this.flushedThisFrame = true;
    this.pending = false;
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
      if (this.pending) this.run();
    });
  }
}

function defaultDeps(): SchedulerDeps {
  return {
    raf: (cb) => requestAnimationFrame(() => cb()),
    microtask: (cb) => queueMicrotask(cb),
  };
}
