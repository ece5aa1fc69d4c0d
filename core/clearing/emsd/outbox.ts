/**
 * What emsd lets out of the process (statuses, fills, answers to submit and cancel, orders to a real venue) waits
 * for the journal: each output names the seq it depends on (an intent, a cancel, a fill) and runs once the journal
 * is durable up to it, and never before an output queued earlier. emsd's own work (its records, its trigger books,
 * the in-process paper engine) goes on meanwhile, so an order's fill can join its intent's group commit instead of
 * waiting for a sync of its own: "journaled before acknowledged / shown" holds for everything a client can see.
 *
 * If the journal fails, nothing queued runs: each output's `fail` (if any) gets the error.
 */
export interface DurableLog {
  readonly durableSeq: number;
  whenDurable(seq: number): Promise<void>;
}

interface Output {
  seq: number;
  run: () => void;
  fail?: (e: Error) => void;
}

export class DurableOutbox {
  private readonly pending: Output[] = [];
  /** The highest seq any output queued so far waits for: a later output waits for it too (outputs keep their order). */
  private gate = 0;
  private waiting = false;
  private failure: Error | null = null;

  constructor(
    private readonly log: DurableLog,
    private readonly onError: (e: Error) => void,
  ) {}

  /** The seq the outputs queued so far wait for (what an order to a real venue must wait for too). */
  get needs(): number {
    return this.gate;
  }

  /** Outputs queued and not yet run. */
  get size(): number {
    return this.pending.length;
  }

  /** Runs `run` once the journal is durable up to `seq` and every output queued before it has run. */
  after(seq: number, run: () => void, fail?: (e: Error) => void): void {
    if (this.failure) {
      fail?.(this.failure);
      return;
    }
    this.gate = Math.max(this.gate, seq);
    if (!this.pending.length && this.gate <= this.log.durableSeq) return this.runOne(run);
    this.pending.push({ seq: this.gate, run, ...(fail ? { fail } : {}) });
    this.wait();
  }

  /** Resolves with `value` in turn: after every output queued so far. */
  release<T>(value: T): Promise<T> {
    return new Promise((resolve, reject) => this.after(0, () => resolve(value), reject));
  }

  private wait(): void {
    const head = this.pending[0];
    if (this.waiting || !head) return;
    this.waiting = true;
    this.log.whenDurable(head.seq).then(
      () => {
        this.waiting = false;
        this.drain();
      },
      (e: Error) => {
        this.waiting = false;
        this.failure = e;
        for (const o of this.pending.splice(0)) o.fail?.(e);
      },
    );
  }

  private drain(): void {
    const durable = this.log.durableSeq;
    while (this.pending.length && this.pending[0]!.seq <= durable) this.runOne(this.pending.shift()!.run);
    this.wait();
  }

  private runOne(run: () => void): void {
    try {
      run();
    } catch (e) {
      this.onError(e as Error);
    }
  }
}
