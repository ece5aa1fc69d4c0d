/**
 * The bounded queue between a venue socket and its parser. Frames are classified cheaply on arrival:
 * a quote (best bid/ask) is replaced by a newer one for the same key while it waits (an L1 quote is a state,
 * only the newest matters); trades and everything else are never dropped. When the queue holds `cap` frames
 * the socket is paused (TCP backpressure to the venue) until the parser drains it to half.
 */
export type FrameClass = { kind: 'quote'; key: string } | { kind: 'data' };

interface Entry {
  raw: string;
  recvMs: number;
  dead: boolean;
  key: string | null;
}

export interface QueueCounters {
  coalesced: number;
}

export class FrameQueue {
  private entries: Entry[] = [];
  private head = 0;
  private live = 0;
  private readonly quoteAt = new Map<string, Entry>();
  private scheduled = false;
  private paused = false;
  readonly counters: QueueCounters = { coalesced: 0 };

  constructor(
    private readonly cap: number,
    private readonly deliver: (raw: string, recvMs: number) => void,
    private readonly pressure: (pause: boolean) => void,
    private readonly classify: (raw: string) => FrameClass = () => ({ kind: 'data' }),
  ) {}

  get length(): number {
    return this.live;
  }

  push(raw: string, recvMs: number): void {
    const c = this.classify(raw);
    const key = c.kind === 'quote' ? c.key : null;
    if (key !== null) {
      const prev = this.quoteAt.get(key);
      if (prev && !prev.dead) {
        prev.dead = true;
        this.live--;
        this.counters.coalesced++;
      }
    }
    const e: Entry = { raw, recvMs, dead: false, key };
    this.entries.push(e);
    this.live++;
    if (key !== null) this.quoteAt.set(key, e);
    if (this.live >= this.cap && !this.paused) {
      this.paused = true;
      this.pressure(true);
    }
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.drain());
    }
  }

  /** Delivers everything queued now; frames arriving meanwhile wait for the next turn. */
  drain(): void {
    this.scheduled = false;
    const end = this.entries.length;
    for (; this.head < end; this.head++) {
      const e = this.entries[this.head]!;
      if (e.dead) continue;
      e.dead = true;
      this.live--;
      if (e.key !== null && this.quoteAt.get(e.key) === e) this.quoteAt.delete(e.key);
      this.deliver(e.raw, e.recvMs);
    }
    if (this.head === this.entries.length) {
      this.entries = [];
      this.head = 0;
    }
    if (this.paused && this.live <= this.cap / 2) {
      this.paused = false;
      this.pressure(false);
    }
    if (this.live > 0 && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.drain());
    }
  }

  clear(): void {
    this.entries = [];
    this.head = 0;
    this.live = 0;
    this.quoteAt.clear();
  }
}
