import WebSocket from 'ws';
import type { LinkState } from '../backend.js';
import { FrameQueue, type FrameClass } from './frame-queue.js';

export interface Backoff {
  minMs: number;
  maxMs: number;
}

/** Reconnect delays: exponential from 1 s to 60 s, each drawn from [d/2, d] so a fleet of clients spreads out. */
export const DEFAULT_BACKOFF: Backoff = { minMs: 1_000, maxMs: 60_000 };

export function backoffDelay(attempt: number, b: Backoff, rand: () => number = Math.random): number {
  const d = Math.min(b.maxMs, b.minMs * 2 ** Math.min(attempt, 30));
  return Math.round(d / 2 + (rand() * d) / 2);
}

/**
 * Which connection a `url` / `subscribe` call is for: `current` (a first connect or a reconnect: it is the only
 * one) or `replacement` (a roll-over's new connection, opened while the current one still delivers).
 */
export type ConnectionRole = 'current' | 'replacement';

export interface VenueSocketOptions {
  /** For logs: `binance.spot`, `kraken`, `bybit.linear`. */
  name: string;
  /** Read on every (re)connect, so a subscription-in-URL venue (Binance combined streams) gets the current set. */
  url: (role: ConnectionRole) => string;
  /** Frames to send after every open, before anything else (subscriptions, auth). */
  subscribe: (role: ConnectionRole) => string[] | Promise<string[]>;
  /**
   * A roll-over ended: the replacement took over (`switched`: from now on `send` reaches it) or it failed and the
   * current connection stays (`abandoned`). Subscriptions changed meanwhile belong on the one that survived.
   */
  onRollOver?: (outcome: 'switched' | 'abandoned') => void;
  /** A frame off the queue, in arrival order (quotes possibly coalesced). Must not throw; count rejects. */
  onFrame: (raw: string, recvMs: number) => void;
  classify?: (raw: string) => FrameClass;
  onState: (state: LinkState, detail: string) => void;
  /** Venues with application-level pings (Kraken `{"method":"ping"}`, Bybit `{"op":"ping"}`). */
  ping?: { everyMs: number; frame: () => string };
  /** No frame for this long: stale. Twice this long: the connection is dropped and re-made. */
  staleAfterMs: number;
  /** Open a replacement connection after this age and switch once it delivers (Binance's 24 h limit). */
  rollOverMs?: number;
  /**
   * After a roll-over switched, the old connection keeps delivering for this long (default 2 s) before it is
   * closed, so frames it still had in flight are not lost; the parser drops the ones both delivered.
   */
  rollOverOverlapMs?: number;
  backoff?: Backoff;
  queueCap?: number;
  log?: (line: string) => void;
}

export interface SocketCounters {
  received: number;
  reconnects: number;
  coalesced: number;
}

/**
 * A venue WebSocket that stays up: reconnect with backoff and jitter, resubscribe, stale detection, venue pings,
 * 24 h roll-over with overlap, and a bounded queue between socket and parser. Dedup across an overlap (the same
 * trade from both connections) is the parser's job: it knows the trade ids.
 */
export class VenueSocket {
  private ws: WebSocket | null = null;
  /** The replacement connection during a roll-over, until it delivers its first frame. */
  private next: WebSocket | null = null;
  /** The connection a roll-over replaced, still read until the overlap ends. */
  private retiring: WebSocket | null = null;
  private state: LinkState = 'connecting';
  private attempt = 0;
  private lastFrameAt = 0;
  private openedAt = 0;
  private closed = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly watchdog: NodeJS.Timeout;
  private pingTimer: NodeJS.Timeout | null = null;
  private readonly queue: FrameQueue;
  private readonly backoff: Backoff;
  readonly counters: SocketCounters = { received: 0, reconnects: 0, coalesced: 0 };
  private everLive = false;

  constructor(private readonly o: VenueSocketOptions) {
    this.backoff = o.backoff ?? DEFAULT_BACKOFF;
    this.queue = new FrameQueue(
      o.queueCap ?? 50_000,
      (raw, at) => o.onFrame(raw, at),
      (pause) => this.pressure(pause),
      o.classify,
    );
    this.watchdog = setInterval(() => this.checkStale(), Math.max(50, Math.min(1_000, o.staleAfterMs / 4)));
    this.watchdog.unref?.();
    if (o.ping) {
      this.pingTimer = setInterval(() => this.sendNow(o.ping!.frame()), o.ping.everyMs);
      this.pingTimer.unref?.();
    }
    this.connect();
  }

  get linkState(): LinkState {
    return this.state;
  }

  /** A roll-over's replacement exists and has not taken over yet (onRollOver says how it ends). */
  get rollingOver(): boolean {
    return this.next !== null;
  }

  /** Whether the current connection, or a roll-over's replacement, is open (can be sent to). */
  isOpen(to: ConnectionRole = 'current'): boolean {
    const ws = to === 'current' ? this.ws : this.next;
    return ws !== null && ws.readyState === WebSocket.OPEN;
  }

  /**
   * Sends on the current connection (or a roll-over's replacement, not current yet) if it is open; subscriptions
   * are re-sent by `subscribe` after reconnects.
   */
  send(frame: string, to: ConnectionRole = 'current'): boolean {
    if (to === 'current') return this.sendNow(frame);
    if (!this.isOpen('replacement')) return false;
    this.next!.send(frame);
    return true;
  }

  /** Drops the connection now (a venue asked us to reconnect, or a test fault). The usual backoff applies. */
  reconnectNow(reason = 'reconnect requested'): void {
    this.ws?.terminate();
    this.onDown(reason);
  }

  /**
   * Starts a roll-over now (the venue announced a shutdown of this connection): a replacement is opened and
   * takes over once it delivers, as at `rollOverMs`.
   */
  rollOverNow(reason = 'venue asked'): void {
    if (this.closed || this.next || !this.ws || this.ws.readyState !== WebSocket.OPEN) return;
    this.startRollOver(reason);
  }

  close(): void {
    this.closed = true;
    clearInterval(this.watchdog);
    if (this.pingTimer) clearInterval(this.pingTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    for (const ws of [this.ws, this.next, this.retiring]) ws?.terminate();
    this.ws = this.next = this.retiring = null;
    this.queue.clear();
  }

  private sendNow(frame: string): boolean {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    ws.send(frame);
    return true;
  }

  private setState(s: LinkState, detail: string): void {
    if (this.state === s) return;
    this.state = s;
    this.o.onState(s, detail);
  }

  private connect(): void {
    if (this.closed) return;
    this.setState('connecting', this.attempt === 0 ? 'connecting' : `reconnect attempt ${this.attempt}`);
    const ws = this.open('current', (first) => {
      if (first && this.everLive) this.counters.reconnects++;
      if (first) {
        this.everLive = true;
        this.attempt = 0;
      }
    });
    this.ws = ws;
    ws.on('close', (code, reason) => {
      if (this.ws === ws) this.onDown(`closed ${code}${reason.length ? ` ${reason.toString()}` : ''}`);
    });
    ws.on('error', (e) => {
      this.o.log?.(`${this.o.name}: socket error: ${e.message}`);
      if (this.ws === ws) this.onDown(`error: ${e.message}`);
    });
  }

  /** Opens a socket that feeds the queue and subscribes on open; `onFirst(true)` on its first frame. */
  private open(role: ConnectionRole, onFirst: (first: boolean) => void): WebSocket {
    const ws = new WebSocket(this.o.url(role), { perMessageDeflate: false, handshakeTimeout: 10_000 });
    let first = true;
    ws.on('open', () => {
      // A replacement given up before it opened (the current connection went down meanwhile) is not subscribed.
      if (role === 'replacement' && ws !== this.next) return;
      this.openedAt = Date.now();
      this.lastFrameAt = this.openedAt;
      Promise.resolve(this.o.subscribe(role)).then(
        (frames) => {
          if (ws.readyState === WebSocket.OPEN) for (const f of frames) ws.send(f);
        },
        (e: Error) => {
          this.o.log?.(`${this.o.name}: subscribe failed: ${e.message}`);
          ws.terminate();
        },
      );
    });
    ws.on('message', (data, isBinary) => {
      if (ws !== this.ws && ws !== this.next && ws !== this.retiring) return;
      const now = Date.now();
      this.lastFrameAt = now;
      this.counters.received++;
      if (ws === this.next) this.promoteNext();
      if (first) {
        first = false;
        onFirst(true);
        this.setState('live', 'receiving');
      } else if (this.state === 'stale') this.setState('live', 'receiving again');
      const raw = isBinary ? Buffer.from(data as Buffer).toString('utf8') : (data as Buffer).toString('utf8');
      this.queue.push(raw, now);
    });
    return ws;
  }

  private onDown(reason: string): void {
    if (this.closed) return;
    this.ws?.removeAllListeners('close');
    this.ws = null;
    this.abandonNext();
    this.setState('down', reason);
    if (this.retryTimer) return;
    const delay = backoffDelay(this.attempt++, this.backoff);
    this.o.log?.(`${this.o.name}: down (${reason}); reconnecting in ${delay} ms`);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  private checkStale(): void {
    if (this.closed || !this.ws || this.ws.readyState !== WebSocket.OPEN) return;
    const now = Date.now();
    this.counters.coalesced = this.queue.counters.coalesced;
    const silent = now - this.lastFrameAt;
    if (silent > 2 * this.o.staleAfterMs) {
      this.ws.terminate();
      this.onDown(`no message for ${Math.round(silent / 1000)} s`);
    } else if (silent > this.o.staleAfterMs && this.state === 'live') {
      this.setState('stale', `no message for ${Math.round(silent / 1000)} s`);
    }
    if (this.o.rollOverMs !== undefined && !this.next && now - this.openedAt > this.o.rollOverMs && this.state === 'live') {
      this.startRollOver(`connection older than ${this.o.rollOverMs} ms`);
    }
  }

  private startRollOver(reason: string): void {
    this.o.log?.(`${this.o.name}: rolling over to a fresh connection (${reason})`);
    const next = this.open('replacement', () => {});
    this.next = next;
    next.on('error', (e) => {
      if (next !== this.next) return;
      this.o.log?.(`${this.o.name}: roll-over connection failed (${e.message}); staying on the current one`);
      this.abandonNext();
    });
    next.on('close', (code) => {
      if (next !== this.next) return;
      this.o.log?.(`${this.o.name}: roll-over connection closed ${code} before it delivered; staying on the current one`);
      this.abandonNext();
    });
  }

  /** Gives up a roll-over's replacement (it failed, or the current connection went down and a reconnect follows). */
  private abandonNext(): void {
    const next = this.next;
    if (!next) return;
    this.next = null;
    next.terminate();
    this.o.onRollOver?.('abandoned');
  }

  /** The replacement delivered: it becomes the connection, the old one closes (its frames already queued). */
  private promoteNext(): void {
    const old = this.ws;
    this.ws = this.next;
    this.next = null;
    const ws = this.ws!;
    ws.removeAllListeners('close');
    ws.removeAllListeners('error');
    ws.on('close', (code) => this.ws === ws && this.onDown(`closed ${code}`));
    ws.on('error', (e) => this.ws === ws && this.onDown(`error: ${e.message}`));
    this.o.onRollOver?.('switched');
    if (!old) return;
    old.removeAllListeners('close');
    old.removeAllListeners('error');
    old.on('error', () => {});
    this.retiring?.terminate();
    this.retiring = old;
    const t = setTimeout(() => {
      if (this.retiring === old) this.retiring = null;
      old.close();
    }, this.o.rollOverOverlapMs ?? 2_000);
    t.unref?.();
  }

  private pressure(pause: boolean): void {
    // ws exposes no pause(); its underlying socket does, which stops reads and lets TCP push back on the venue.
    const sock = (this.ws as unknown as { _socket?: { pause(): void; resume(): void } } | null)?._socket;
    if (pause) sock?.pause();
    else sock?.resume();
  }
}
