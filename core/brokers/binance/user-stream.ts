import type { LinkState } from '../backend.js';
import type { LogLimiter } from '../net/log-limiter.js';
import { VenueSocket, type Backoff } from '../net/venue-socket.js';
import { signWsParams } from './sign.js';

/**
 * Binance spot's user data stream, as it works now (B4): listenKeys are gone, so the events arrive on a WebSocket
 * API connection after `userDataStream.subscribe.signature` (HMAC keys; `session.logon` would need Ed25519),
 * wrapped as `{"subscriptionId":n,"event":{…}}`. The connection is a VenueSocket: it reconnects with backoff and
 * subscribes again on every open (with a fresh timestamp and signature). The WS API's `ping` method keeps a quiet
 * account's connection from looking stale; the venue's protocol pings are answered by `ws` itself.
 */
export interface UserStreamOptions {
  url: string;
  apiKey: string;
  apiSecret: string;
  now: () => number;
  staleMs: number;
  backoff: Backoff;
  /** How long start() waits for the first subscription answer. */
  startTimeoutMs?: number;
  log: (line: string) => void;
  logs: LogLimiter;
  onEvent(event: Record<string, unknown>): void;
  /** Subscribed again after a break: events in between may be missing (the caller catches up). */
  onResubscribed(): void;
  onState?(state: LinkState, detail: string): void;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export class UserStream {
  private socket: VenueSocket | null = null;
  private nextId = 1;
  private pendingSub: string | null = null;
  private everSubscribed = false;
  private first: { resolve: () => void; reject: (e: Error) => void } | null = null;
  /** Frames that were not JSON or not a known shape. */
  rejected = 0;

  constructor(private readonly o: UserStreamOptions) {}

  /** Connects and subscribes; resolves once the venue accepted the subscription, rejects with its reason. */
  start(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error(`Binance WebSocket API: no answer to the user data subscription in ${this.o.startTimeoutMs ?? 15_000} ms`)), this.o.startTimeoutMs ?? 15_000);
      const fail = (e: Error) => {
        clearTimeout(timer);
        this.first = null;
        this.close();
        reject(e);
      };
      this.first = {
        resolve: () => {
          clearTimeout(timer);
          this.first = null;
          resolve();
        },
        reject: fail,
      };
      this.socket = new VenueSocket({
        name: 'binance.userStream',
        url: () => this.o.url,
        subscribe: () => [this.subscribeFrame()],
        onFrame: (raw) => this.onFrame(raw),
        onState: (s, d) => this.o.onState?.(s, d),
        ping: { everyMs: Math.max(250, Math.floor(this.o.staleMs / 2)), frame: () => JSON.stringify({ id: `ping-${this.nextId++}`, method: 'ping' }) },
        staleAfterMs: this.o.staleMs,
        backoff: this.o.backoff,
        log: this.o.log,
      });
    });
  }

  close(): void {
    this.socket?.close();
    this.socket = null;
  }

  private subscribeFrame(): string {
    const id = `sub-${this.nextId++}`;
    this.pendingSub = id;
    const params = signWsParams({ apiKey: this.o.apiKey, timestamp: this.o.now() }, this.o.apiSecret);
    return JSON.stringify({ id, method: 'userDataStream.subscribe.signature', params });
  }

  private onFrame(raw: string): void {
    let m: unknown;
    try {
      m = JSON.parse(raw);
    } catch {
      return this.reject(`not JSON: ${raw.slice(0, 80)}`);
    }
    if (!isObj(m)) return this.reject('not a JSON object');
    if ('subscriptionId' in m) {
      if (!isObj(m.event) || typeof m.event.e !== 'string') return this.reject('user data event without an event object');
      if (m.event.e === 'eventStreamTerminated') {
        this.o.log('binance user stream: the venue ended the subscription; subscribing again');
        this.socket?.send(this.subscribeFrame());
        return;
      }
      return this.o.onEvent(m.event);
    }
    if (typeof m.id === 'string' && m.id === this.pendingSub) return this.onSubscribeAnswer(m);
    if (typeof m.id === 'string' && m.id.startsWith('ping-')) return;
    if (isObj(m.error)) return this.o.logs.line('ws-api-error', `binance WebSocket API error for ${String(m.id)}: ${String(m.error.code)} ${String(m.error.msg)}`);
    this.reject(`unknown frame ${raw.slice(0, 80)}`);
  }

  private onSubscribeAnswer(m: Obj): void {
    this.pendingSub = null;
    if (m.status === 200 && isObj(m.result)) {
      const again = this.everSubscribed;
      this.everSubscribed = true;
      this.o.log(`binance user stream: subscribed (subscriptionId ${String(m.result.subscriptionId)})`);
      if (this.first) this.first.resolve();
      else if (again) this.o.onResubscribed();
      return;
    }
    const err = isObj(m.error) ? `${String(m.error.code)} ${String(m.error.msg)}` : `status ${String(m.status)}`;
    const e = new Error(`Binance refused the user data stream: ${err}`);
    if (this.first) return this.first.reject(e);
    this.o.log(`${e.message}; reconnecting`);
    this.socket?.reconnectNow('subscription refused');
  }

  private reject(why: string): void {
    this.rejected++;
    this.o.logs.line('user-stream-reject', `binance user stream: rejected frame (${why})`);
  }
}
