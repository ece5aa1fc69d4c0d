import type { LinkState } from '../backend.js';
import type { FrameClass } from '../net/frame-queue.js';
import type { LogLimiter } from '../net/log-limiter.js';
import { VenueSocket, type Backoff, type SocketCounters } from '../net/venue-socket.js';
import { BinanceFrameHandler, type HandlerOptions } from './handler.js';
import { F_ACK, F_ERROR, F_SHUTDOWN, type WireFrame } from './wire.js';

/** Binance closes every connection at 24 h (B1): roll over to a fresh one 10 minutes before. */
export const DEFAULT_ROLL_OVER_MS = 23 * 3_600_000 + 50 * 60_000;
/** 5 incoming messages/s per connection (B1, USD-M allows 10): control frames go out at most every 300 ms. */
const CONTROL_INTERVAL_MS = 300;
/** Streams per connection (B1, F1). */
export const MAX_STREAMS = 1024;

export interface ConnectionOptions extends Omit<HandlerOptions, 'onControl' | 'name'> {
  /** `binance.spot`, `binance.usdtm.market`. */
  name: string;
  /** The combined-stream endpoint: `wss://stream.binance.com:9443/stream`, `wss://fstream.binance.com/market/stream`. */
  url: string;
  staleAfterMs: number;
  backoff: Backoff;
  rollOverMs: number;
  rollOverOverlapMs?: number;
  log: (line: string) => void;
  logs: LogLimiter;
  onState(state: LinkState, detail: string): void;
  /** The connection is back after a break (not after a roll-over, which loses nothing). */
  onResumed(): void;
  /** The venue refused a SUBSCRIBE: these streams carry nothing (the reason is the venue's error). */
  onRefused?(streams: string[], reason: string): void;
}

const DATA: FrameClass = { kind: 'data' };
const COMBINED = '{"stream":"';
const BOOK = '@bookTicker"';

/** L1 quotes are states: while queued behind a backlog, only the newest per stream matters. */
export function classifyFrame(raw: string): FrameClass {
  if (!raw.startsWith(COMBINED)) return DATA;
  const end = raw.indexOf('"', COMBINED.length);
  return end > 0 && raw.startsWith(BOOK, end - BOOK.length + 1) ? { kind: 'quote', key: raw.slice(COMBINED.length, end) } : DATA;
}

/**
 * One Binance combined-stream connection carrying many symbols. The stream set is in the URL of each new
 * connection (`/stream?streams=a/b`); changes while it is open go out as SUBSCRIBE / UNSUBSCRIBE method frames,
 * throttled under the venue's incoming message limit, and their answers (`{"result":null,"id":n}`) or refusals
 * (`{"code":…,"msg":…,"id":n}`) are matched by id. The venue's ping frames are answered by `ws` itself with the
 * same payload, as B1 requires; we send no unsolicited pongs (they would only count against the message limit).
 */
export class StreamConnection {
  readonly handler: BinanceFrameHandler;
  private readonly streams = new Map<string, string[]>();
  /** The streams the venue has on the current connection: its URL's set plus the method frames sent since. */
  private live = new Set<string>();
  /**
   * The same for a roll-over's replacement until it takes over (then it is `live`) or is given up. While one
   * exists, changes go to it and not to the connection it replaces, so each lands once, where it will stay.
   */
  private replacement: Set<string> | null = null;
  private socket: VenueSocket | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastControlAt = 0;
  private nextId = 1;
  /** Control requests awaiting their answer: method, streams, and the connection's set they were counted in. */
  private readonly requests = new Map<number, { method: string; streams: string[]; on: Set<string> }>();
  private broken = false;
  /** Counters of sockets already closed, so stats survive an idle period. */
  readonly retired: SocketCounters = { received: 0, reconnects: 0, coalesced: 0 };

  constructor(private readonly o: ConnectionOptions) {
    this.handler = new BinanceFrameHandler({ ...o, onControl: (k, f) => this.onControl(k, f) });
  }

  get counters(): SocketCounters {
    const c = this.socket?.counters;
    return { received: this.retired.received + (c?.received ?? 0), reconnects: this.retired.reconnects + (c?.reconnects ?? 0), coalesced: this.retired.coalesced + (c?.coalesced ?? 0) };
  }

  get state(): LinkState | null {
    return this.socket?.linkState ?? null;
  }

  has(symbol: string): boolean {
    return this.streams.has(symbol);
  }

  subscribe(symbol: string, fqme: string, streams: string[]): void {
    if (this.streams.has(symbol)) return;
    if (this.allStreams().length + streams.length > MAX_STREAMS) this.o.log(`${this.o.name}: more than ${MAX_STREAMS} streams on one connection; Binance will refuse some`);
    this.handler.add(symbol, fqme);
    this.streams.set(symbol, streams);
    if (this.socket === null) this.open();
    else this.schedule();
  }

  unsubscribe(symbol: string): void {
    if (!this.streams.delete(symbol)) return;
    this.handler.flush();
    this.handler.remove(symbol);
    if (this.streams.size === 0) this.shut();
    else this.schedule();
  }

  close(): void {
    this.streams.clear();
    this.shut();
  }

  private allStreams(): string[] {
    return [...this.streams.values()].flat();
  }

  private open(): void {
    this.broken = false;
    this.socket = new VenueSocket({
      name: this.o.name,
      url: (role) => {
        // Read on every (re)connect and roll-over: the new connection starts with exactly the current set.
        const all = this.allStreams();
        if (role === 'replacement') this.replacement = new Set(all);
        else {
          this.live = new Set(all);
          this.replacement = null;
        }
        return `${this.o.url}?streams=${all.join('/')}`;
      },
      subscribe: (role) => {
        // Streams changed between building the URL and the open: fix the set now.
        const on = role === 'replacement' ? this.replacement : this.live;
        if (!on) return [];
        this.lastControlAt = Date.now();
        return this.diffFrames(on, 2);
      },
      onRollOver: (outcome) => {
        if (outcome === 'switched' && this.replacement) this.live = this.replacement;
        this.replacement = null;
        // Changes held back while a replacement was connecting belong on the connection that survived.
        this.schedule();
      },
      onFrame: (raw, at) => this.handler.onFrame(raw, at),
      classify: classifyFrame,
      onState: (s, d) => this.onState(s, d),
      staleAfterMs: this.o.staleAfterMs,
      rollOverMs: this.o.rollOverMs,
      rollOverOverlapMs: this.o.rollOverOverlapMs,
      backoff: this.o.backoff,
      log: this.o.log,
    });
  }

  private shut(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.socket) return;
    const c = this.socket.counters;
    this.retired.received += c.received;
    this.retired.reconnects += c.reconnects;
    this.retired.coalesced += c.coalesced;
    this.socket.close();
    this.socket = null;
    this.requests.clear();
  }

  private onState(s: LinkState, detail: string): void {
    if (s === 'down') this.broken = true;
    this.o.onState(s, detail);
    if (s === 'live' && this.broken) {
      this.broken = false;
      this.o.onResumed();
    }
  }

  /**
   * Up to `max` SUBSCRIBE / UNSUBSCRIBE frames that bring one connection's set (`on`) to ours; `on` assumes they
   * land.
   */
  private diffFrames(on: Set<string>, max: number): string[] {
    const want = new Set(this.allStreams());
    const add = [...want].filter((s) => !on.has(s));
    const drop = [...on].filter((s) => !want.has(s));
    const out: string[] = [];
    for (const [method, list] of [['SUBSCRIBE', add], ['UNSUBSCRIBE', drop]] as const) {
      if (list.length === 0 || out.length >= max) continue;
      const id = this.nextId++;
      this.requests.set(id, { method, streams: list, on });
      out.push(JSON.stringify({ method, params: list, id }));
      for (const s of list) method === 'SUBSCRIBE' ? on.add(s) : on.delete(s);
    }
    return out;
  }

  private schedule(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.lastControlAt + CONTROL_INTERVAL_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      const socket = this.socket;
      if (!socket || socket.linkState === 'down' || socket.linkState === 'connecting') return; // the next URL carries the set
      // During a roll-over the replacement is the connection that stays: a change goes to it once it is open (one
      // still connecting takes it with its subscribe on open); if it fails, onRollOver brings the change back here.
      const to = socket.rollingOver ? 'replacement' : 'current';
      const on = to === 'replacement' ? this.replacement : this.live;
      if (!on || (to === 'replacement' && !socket.isOpen(to))) return;
      const [frame] = this.diffFrames(on, 1);
      if (frame === undefined) return;
      this.lastControlAt = Date.now();
      if (!socket.send(frame, to)) this.live = new Set(); // not open after all: the reconnect's URL fixes it
      this.schedule();
    }, wait);
    this.timer.unref?.();
  }

  private onControl(kind: number, f: WireFrame): void {
    const req = typeof f.reqId === 'number' ? this.requests.get(f.reqId) : undefined;
    if (typeof f.reqId === 'number') this.requests.delete(f.reqId);
    if (kind === F_ACK) return;
    if (kind === F_ERROR) {
      const what = req ? `${req.method} ${req.streams.join(',')}` : `request ${String(f.reqId)}`;
      this.o.logs.line('venue-error', `${this.o.name}: venue refused ${what}: code ${f.code} ${f.msg}`);
      if (req?.method === 'SUBSCRIBE') {
        // Not live at the venue: a later change (or the next connection's URL) asks again.
        for (const st of req.streams) req.on.delete(st);
        this.o.onRefused?.(req.streams, `code ${f.code} ${f.msg}`);
      }
    } else if (kind === F_SHUTDOWN) {
      this.o.log(`${this.o.name}: venue announced a server shutdown; rolling over to a new connection`);
      this.socket?.rollOverNow('serverShutdown');
    }
  }
}
