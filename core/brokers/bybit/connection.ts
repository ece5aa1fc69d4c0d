import type { LinkState } from '../backend.js';
import type { FrameClass } from '../net/frame-queue.js';
import { VenueSocket, type Backoff } from '../net/venue-socket.js';
import type { Category } from './names.js';

/** Public "args" may total at most 21,000 characters per connection (Bybit rate-limit rules). */
export const ARGS_BUDGET = 21_000;
/** Spot takes at most 10 args per subscribe request; linear has no such limit. */
const ARGS_PER_REQUEST: Record<Category, number> = { spot: 10, linear: Infinity };

export interface ConnectionOptions {
  category: Category;
  /** `<ws_url>/spot` or `<ws_url>/linear`. */
  url: string;
  staleMs: number;
  backoff?: Backoff;
  /** Bybit recommends a client ping every 20 s; without traffic it cuts the connection after 10 minutes. */
  pingMs: number;
  argsBudget: number;
  log: (line: string) => void;
  onFrame(conn: BybitConnection, raw: string): void;
  onState(conn: BybitConnection, state: LinkState, detail: string): void;
}

/**
 * Level-1 book frames are snapshots (a state: only the newest matters), so the queue may coalesce them per topic.
 * Ticker frames are not: a linear delta only makes sense on top of every delta before it.
 */
export function classifyFrame(raw: string): FrameClass {
  const i = raw.indexOf('"topic":"orderbook.1.');
  if (i < 0 || !raw.includes('"type":"snapshot"')) return { kind: 'data' };
  const end = raw.indexOf('"', i + 9);
  return end < 0 ? { kind: 'data' } : { kind: 'quote', key: raw.slice(i + 9, end) };
}

/** One public WebSocket of a category and the topics it carries (within the per-connection args budget). */
export class BybitConnection {
  readonly topics = new Set<string>();
  readonly socket: VenueSocket;
  /** Went down since it was last live: the next live state is a resume. */
  broken = false;
  private argsLength = 0;
  private nextReq = 1;
  /** Subscribe requests awaiting their ack, by req_id: what a failed ack refers to. */
  private readonly pending = new Map<string, string[]>();

  constructor(private readonly o: ConnectionOptions) {
    this.socket = new VenueSocket({
      name: `bybit.${o.category}`,
      url: () => o.url,
      subscribe: () => {
        this.pending.clear();
        return this.requests('subscribe', [...this.topics]);
      },
      onFrame: (raw) => o.onFrame(this, raw),
      classify: classifyFrame,
      onState: (state, detail) => o.onState(this, state, detail),
      ping: { everyMs: o.pingMs, frame: () => JSON.stringify({ req_id: 'ping', op: 'ping' }) },
      staleAfterMs: o.staleMs,
      backoff: o.backoff,
      log: o.log,
    });
  }

  get category(): Category {
    return this.o.category;
  }

  fits(topics: readonly string[]): boolean {
    return this.argsLength + topics.reduce((n, t) => n + t.length, 0) <= this.o.argsBudget;
  }

  add(topics: readonly string[]): void {
    const fresh = topics.filter((t) => !this.topics.has(t));
    for (const t of fresh) {
      this.topics.add(t);
      this.argsLength += t.length;
    }
    // Not open yet: the socket's subscribe() sends every topic once it is.
    this.sendAll(this.requests('subscribe', fresh));
  }

  remove(topics: readonly string[]): void {
    const gone = topics.filter((t) => this.topics.delete(t));
    for (const t of gone) this.argsLength -= t.length;
    this.sendAll(this.requests('unsubscribe', gone));
  }

  /** The topics of the request a subscribe ack answers (forgotten once answered). */
  answered(reqId: string): string[] {
    const topics = this.pending.get(reqId) ?? [];
    this.pending.delete(reqId);
    return topics;
  }

  close(): void {
    this.socket.close();
  }

  private requests(op: 'subscribe' | 'unsubscribe', topics: readonly string[]): string[] {
    const out: string[] = [];
    const per = ARGS_PER_REQUEST[this.o.category];
    for (let i = 0; i < topics.length; i += per) {
      const args = topics.slice(i, i + per);
      const reqId = `${op === 'subscribe' ? 'sub' : 'unsub'}-${this.nextReq++}`;
      if (op === 'subscribe') this.pending.set(reqId, args);
      out.push(JSON.stringify({ req_id: reqId, op, args }));
    }
    return out;
  }

  private sendAll(frames: string[]): void {
    for (const f of frames) {
      if (this.socket.send(f)) continue;
      this.pending.delete((JSON.parse(f) as { req_id: string }).req_id);
    }
  }
}
