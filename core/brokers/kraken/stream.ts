import type { BackendStats, LinkEvent } from '../backend.js';
import type { Tick } from '../../protocol/types.js';
import { LogLimiter } from '../net/log-limiter.js';
import { VenueSocket, type Backoff } from '../net/venue-socket.js';
import type { FrameClass } from '../net/frame-queue.js';
import { PublicFrames } from './frames.js';
import type { KrakenPair } from './symbols.js';

/**
 * The public WS v2 connection (K1): one socket multiplexing every streamed symbol on `trade` (snapshot on, so a
 * resubscribe after a reconnect re-sends recent trades, which PublicFrames dedupes by trade_id) and `ticker` with
 * `event_trigger: bbo` (L1). Kraken heartbeats every second on a subscribed connection, so `stale_ms` (default 5 s)
 * is tight; we also send `{"method":"ping"}` because the venue drops connections without client requests.
 */
export interface StreamOptions {
  url: string;
  staleMs: number;
  backoff: Backoff;
  pingMs?: number;
  log: (line: string) => void;
}

type OnTicks = (fqme: string, ticks: Tick[]) => void;
type OnLink = (e: LinkEvent) => void;

interface Listener {
  onTicks: OnTicks;
  onLink?: OnLink;
}

interface Sub {
  pair: KrakenPair;
  fromMs: number;
  listeners: Set<Listener>;
  /** Time of the newest tick delivered: a reconnect's 'resumed' says bars after it may be missing. */
  lastMs: number;
}

const TICKER_PREFIX = '{"channel":"ticker"';
const SYMBOL_KEY = '"symbol":"';

/** Ticker frames are L1 state: only the newest per symbol matters while they queue. */
export function classifyFrame(raw: string): FrameClass {
  if (!raw.startsWith(TICKER_PREFIX)) return { kind: 'data' };
  const i = raw.indexOf(SYMBOL_KEY);
  if (i < 0) return { kind: 'data' };
  const j = raw.indexOf('"', i + SYMBOL_KEY.length);
  return { kind: 'quote', key: raw.slice(i + SYMBOL_KEY.length, j) };
}

export class KrakenStream {
  private socket: VenueSocket | null = null;
  private readonly subs = new Map<string, Sub>();
  private readonly byFqme = new Map<string, Sub>();
  private readonly pending = new Map<Sub, Tick[]>();
  private flushQueued = false;
  private readonly frames: PublicFrames;
  private readonly rejects: LogLimiter;
  private reqId = 0;
  private everLive = false;
  private broken = false;
  /** The engine status the venue last sent on this connection (on connect and at each change); null before. */
  private engine: string | null = null;
  /** Counters of sockets already closed, so stats survive an idle period. */
  private readonly past = { received: 0, reconnects: 0, coalesced: 0 };

  constructor(private readonly o: StreamOptions) {
    this.rejects = new LogLimiter(o.log);
    this.frames = new PublicFrames({
      ticks: (fqme, ticks) => this.deliver(fqme, ticks),
      ack: (a) => {
        if (a.success) return;
        const sub = a.symbol === null ? undefined : this.subs.get(a.symbol);
        o.log(`kraken: ${a.method} ${a.channel} ${a.symbol ?? '?'} refused: ${a.error ?? 'no reason given'}`);
        if (sub && a.method === 'subscribe') this.toLinks(sub, { type: 'state', state: 'down', detail: `subscribe refused: ${a.error ?? '?'}` });
      },
      status: (system, id) => {
        o.log(`kraken: engine ${system} (connection ${id})`);
        this.engine = system;
        for (const sub of this.subs.values()) this.toLinks(sub, { type: 'engine', status: system });
      },
      venueError: (e) => o.log(`kraken: venue error: ${e}`),
      reject: (reason, raw) => this.rejects.line(reason, `kraken: rejected frame: ${reason}: ${raw.slice(0, 160)}`),
    });
  }

  /** Streams `pair` to `onTicks` from `fromMs` on; returns the unsubscribe. */
  add(pair: KrakenPair, fromMs: number, onTicks: OnTicks, onLink?: OnLink): () => void {
    let sub = this.subs.get(pair.symbol);
    const listener: Listener = { onTicks, ...(onLink ? { onLink } : {}) };
    if (!sub) {
      sub = { pair, fromMs, listeners: new Set(), lastMs: 0 };
      this.subs.set(pair.symbol, sub);
      this.byFqme.set(pair.fqme, sub);
      this.frames.track(pair.symbol, pair.fqme, fromMs);
      if (this.socket) for (const f of this.subscribeFrames('subscribe', [pair.symbol])) this.socket.send(f);
      else this.open();
    }
    sub.listeners.add(listener);
    onLink?.({ type: 'state', state: this.socket!.linkState, detail: 'subscribed' });
    if (this.engine !== null) onLink?.({ type: 'engine', status: this.engine });
    const entry = sub;
    return () => {
      entry.listeners.delete(listener);
      if (entry.listeners.size > 0 || this.subs.get(pair.symbol) !== entry) return;
      this.subs.delete(pair.symbol);
      this.byFqme.delete(pair.fqme);
      this.frames.untrack(pair.symbol);
      if (this.subs.size === 0) this.closeSocket();
      else for (const f of this.subscribeFrames('unsubscribe', [pair.symbol])) this.socket?.send(f);
    };
  }

  stats(): BackendStats {
    const c = this.socket?.counters ?? { received: 0, reconnects: 0, coalesced: 0 };
    return {
      received: this.past.received + c.received,
      coalesced: this.past.coalesced + c.coalesced,
      dropped: 0,
      rejected: this.frames.counters.rejected,
      duplicates: this.frames.counters.duplicates,
      reconnects: this.past.reconnects + c.reconnects,
    };
  }

  close(): void {
    this.closeSocket();
    this.subs.clear();
    this.byFqme.clear();
  }

  private open(): void {
    this.everLive = false;
    this.broken = false;
    // A connection opened after an idle spell hears the status afresh; reconnects keep the last one until then.
    this.engine = null;
    this.socket = new VenueSocket({
      name: 'kraken',
      url: () => this.o.url,
      subscribe: () => this.subscribeFrames('subscribe', [...this.subs.keys()]),
      onFrame: (raw) => this.frames.handle(raw),
      classify: classifyFrame,
      onState: (state, detail) => {
        for (const sub of this.subs.values()) this.toLinks(sub, { type: 'state', state, detail });
        if (state === 'down' && this.everLive) this.broken = true;
        if (state === 'live') {
          this.everLive = true;
          if (this.broken) this.resumed();
        }
      },
      ping: { everyMs: this.o.pingMs ?? 20_000, frame: () => JSON.stringify({ method: 'ping', req_id: ++this.reqId }) },
      staleAfterMs: this.o.staleMs,
      backoff: this.o.backoff,
      log: this.o.log,
    });
  }

  private resumed(): void {
    this.broken = false;
    this.frames.resetQuotes();
    for (const sub of this.subs.values()) this.toLinks(sub, { type: 'resumed', lastMs: sub.lastMs || sub.fromMs });
  }

  private closeSocket(): void {
    const s = this.socket;
    if (!s) return;
    s.close();
    this.past.received += s.counters.received;
    this.past.reconnects += s.counters.reconnects;
    this.past.coalesced += s.counters.coalesced;
    this.socket = null;
  }

  private subscribeFrames(method: 'subscribe' | 'unsubscribe', symbols: string[]): string[] {
    if (symbols.length === 0) return [];
    const snapshot = method === 'subscribe' ? { snapshot: true } : {};
    return [
      JSON.stringify({ method, params: { channel: 'trade', symbol: symbols, ...snapshot }, req_id: ++this.reqId }),
      JSON.stringify({ method, params: { channel: 'ticker', symbol: symbols, event_trigger: 'bbo', ...snapshot }, req_id: ++this.reqId }),
    ];
  }

  /**
   * Ticks of the frames drained in one turn of the socket's queue go out as one batch per market (flushed in a
   * microtask, i.e. right after the drain): one Feed.ingest and one post to the host per drain, not per frame.
   */
  private deliver(fqme: string, ticks: Tick[]): void {
    const sub = this.byFqme.get(fqme);
    if (!sub) return;
    const t = ticks[ticks.length - 1]!.time;
    if (t > sub.lastMs) sub.lastMs = t;
    const queued = this.pending.get(sub);
    if (queued) for (const tick of ticks) queued.push(tick);
    else this.pending.set(sub, ticks);
    if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(() => this.flush());
    }
  }

  private flush(): void {
    this.flushQueued = false;
    const batches = [...this.pending];
    this.pending.clear();
    for (const [sub, ticks] of batches) for (const l of sub.listeners) l.onTicks(sub.pair.fqme, ticks);
  }

  private toLinks(sub: Sub, e: LinkEvent): void {
    for (const l of sub.listeners) l.onLink?.(e);
  }
}
