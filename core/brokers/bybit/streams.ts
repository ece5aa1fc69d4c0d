import { emptyStats, type BackendStats, type LinkEvent, type LinkState } from '../backend.js';
import { LogLimiter } from '../net/log-limiter.js';
import type { Backoff } from '../net/venue-socket.js';
import type { Tick } from '../../protocol/types.js';
import { BybitConnection } from './connection.js';
import { BybitFrameParser, type FrameOutcome } from './frame-parser.js';
import { CATEGORIES, marketKey, topicSymbol, topicsFor, type Category } from './names.js';

export interface StreamTarget {
  category: Category;
  symbol: string;
  fqme: string;
}

export interface StreamListener {
  onTicks(fqme: string, ticks: Tick[]): void;
  onLink?(e: LinkEvent): void;
}

export interface StreamsOptions {
  /** `[bybit] ws_url`, e.g. wss://stream.bybit.com/v5/public; `/spot` or `/linear` is appended. */
  wsUrl: string;
  staleMs: number;
  backoff?: Backoff;
  pingMs: number;
  argsBudget: number;
  log: (line: string) => void;
}

interface Sub {
  target: StreamTarget;
  topics: string[];
  conn: BybitConnection;
  listeners: Set<StreamListener>;
  /** Time of the newest trade delivered (null before the first): where a resume's repair starts. */
  lastMs: number | null;
  subscribedMs: number;
  /** Ticks parsed in this queue drain, handed over together (one feed write and one host message per drain). */
  pending: Tick[];
}

/** Subscriptions of every market onto the category connections, and frames from them back to the listeners. */
export class BybitStreams {
  private readonly parsers: Record<Category, BybitFrameParser> = { spot: new BybitFrameParser('spot'), linear: new BybitFrameParser('linear') };
  private readonly conns: Record<Category, BybitConnection[]> = { spot: [], linear: [] };
  private readonly subs = new Map<string, Sub>();
  /** Counters of connections closed since (their sockets are gone). */
  private readonly retired = emptyStats();
  private readonly logs: LogLimiter;
  private dirty: Sub[] = [];
  private readonly flushSoon = () => this.flush();

  constructor(private readonly o: StreamsOptions) {
    this.logs = new LogLimiter(o.log);
  }

  add(target: StreamTarget, listener: StreamListener): () => void {
    const key = marketKey(target.category, target.symbol);
    let sub = this.subs.get(key);
    if (!sub) {
      const topics = topicsFor(target.category, target.symbol);
      const conn = this.conns[target.category].find((c) => c.fits(topics)) ?? this.open(target.category);
      sub = { target, topics, conn, listeners: new Set(), lastMs: null, subscribedMs: Date.now(), pending: [] };
      this.subs.set(key, sub);
      conn.add(topics);
    }
    sub.listeners.add(listener);
    listener.onLink?.({ type: 'state', state: sub.conn.socket.linkState, detail: 'subscribed' });
    const s = sub;
    return () => {
      if (!s.listeners.delete(listener) || s.listeners.size > 0) return;
      this.subs.delete(key);
      s.conn.remove(s.topics);
      this.parsers[target.category].forget(target.symbol);
      if (s.conn.topics.size === 0) this.retire(s.conn);
    };
  }

  stats(): BackendStats {
    const s = { ...this.retired };
    for (const c of CATEGORIES) {
      for (const conn of this.conns[c]) {
        s.received += conn.socket.counters.received;
        s.reconnects += conn.socket.counters.reconnects;
        s.coalesced += conn.socket.counters.coalesced;
      }
      s.rejected += this.parsers[c].counters.rejected;
      s.duplicates += this.parsers[c].counters.duplicates;
    }
    return s;
  }

  /** The parser of a category (its counters: control and empty frames, for tests and the fuzz test). */
  parser(category: Category): BybitFrameParser {
    return this.parsers[category];
  }

  connections(category: Category): readonly BybitConnection[] {
    return this.conns[category];
  }

  close(): void {
    for (const c of CATEGORIES) for (const conn of [...this.conns[c]]) this.retire(conn);
    this.subs.clear();
  }

  private open(category: Category): BybitConnection {
    const conn = new BybitConnection({
      category,
      url: `${this.o.wsUrl.replace(/\/$/, '')}/${category}`,
      staleMs: this.o.staleMs,
      backoff: this.o.backoff,
      pingMs: this.o.pingMs,
      argsBudget: this.o.argsBudget,
      log: this.o.log,
      onFrame: (c, raw) => this.onFrame(c, raw),
      onState: (c, state, detail) => this.onState(c, state, detail),
    });
    this.conns[category].push(conn);
    return conn;
  }

  private retire(conn: BybitConnection): void {
    conn.close();
    const list = this.conns[conn.category];
    list.splice(list.indexOf(conn), 1);
    this.retired.received += conn.socket.counters.received;
    this.retired.reconnects += conn.socket.counters.reconnects;
    this.retired.coalesced += conn.socket.counters.coalesced;
  }

  private onFrame(conn: BybitConnection, raw: string): void {
    const out = this.parsers[conn.category].handle(raw);
    const name = `bybit.${conn.category}`;
    if (out.kind === 'ticks') {
      if (out.note) this.logs.line(`${name} rejected`, `${name}: ${out.note}`);
      const sub = this.subs.get(marketKey(conn.category, out.symbol));
      if (!sub) return; // a frame for a topic just unsubscribed
      for (const t of out.ticks) if (t.type === 'trade' && (sub.lastMs === null || t.time > sub.lastMs)) sub.lastMs = t.time;
      // The socket queue delivers a drain's frames in one synchronous run: flush once after it.
      if (sub.pending.length === 0 && this.dirty.push(sub) === 1) queueMicrotask(this.flushSoon);
      for (const t of out.ticks) sub.pending.push(t);
    } else if (out.kind === 'rejected') {
      this.logs.line(`${name} rejected`, `${name}: rejected frame (${out.reason}): ${raw.slice(0, 160)}`);
    } else if (out.kind === 'control' && out.op === 'subscribe') {
      const asked = conn.answered(out.reqId);
      if (!out.success) this.refused(conn, out, asked);
    } else if (out.kind === 'control' && !out.success) {
      this.logs.line(`${name} ${out.op}`, `${name}: ${out.op} failed: ${out.message}`);
    }
  }

  private flush(): void {
    const dirty = this.dirty;
    this.dirty = [];
    for (const sub of dirty) {
      const ticks = sub.pending;
      sub.pending = [];
      if (this.subs.get(marketKey(sub.target.category, sub.target.symbol)) !== sub) continue; // unsubscribed meanwhile
      for (const l of sub.listeners) l.onTicks(sub.target.fqme, ticks);
    }
  }

  /** A failed subscribe: the markets it names (or, failing that, the request's) hear it as their link going down. */
  private refused(conn: BybitConnection, out: Extract<FrameOutcome, { kind: 'control' }>, asked: string[]): void {
    if (/already subscribed/i.test(out.message)) return;
    const named = [...out.message.matchAll(/(?:topic:|\[)([A-Za-z0-9_.-]+)/g)].map((m) => m[1]!);
    const topics = named.length > 0 ? named : asked;
    const detail = `bybit refused the subscription: ${out.message || 'no reason given'}`;
    this.o.log(`bybit.${conn.category}: ${detail} (${topics.join(', ') || 'topics unknown'})`);
    const symbols = new Set(topics.map(topicSymbol));
    for (const sub of this.subs.values()) {
      if (sub.conn !== conn || (topics.length > 0 && !symbols.has(sub.target.symbol))) continue;
      for (const l of sub.listeners) l.onLink?.({ type: 'state', state: 'down', detail });
    }
  }

  private onState(conn: BybitConnection, state: LinkState, detail: string): void {
    if (state === 'down') conn.broken = true;
    const resumed = state === 'live' && conn.broken;
    if (resumed) conn.broken = false;
    for (const sub of this.subs.values()) {
      if (sub.conn !== conn) continue;
      for (const l of sub.listeners) {
        l.onLink?.({ type: 'state', state, detail });
        // Nothing delivered yet: everything since the subscription may be missing.
        if (resumed) l.onLink?.({ type: 'resumed', lastMs: sub.lastMs ?? sub.subscribedMs });
      }
    }
  }
}
