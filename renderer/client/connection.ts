import { ApiClient, type Transport } from '../../core/protocol/client.js';
import { backoffDelay } from '../lib/backoff.js';
import { useConnection } from '../stores/connection.js';

const HELLO_TIMEOUT_MS = 5000;
/**
 * The host sends a `step` event every second, so a silent connection is a dead one that the transport did
 * not report (a half-open TCP connection, a MessagePort whose far end vanished without a close event):
 * after this much silence it is probed, and closed when the probe gets no answer.
 */
const SILENCE_PROBE_MS = 10_000;
const WATCH_INTERVAL_MS = 2_000;

/**
 * Keeps one API connection up: open a transport, say hello, publish the client; when it drops, publish
 * "disconnected" and retry with backoff. Every reconnect yields a fresh ApiClient (stream ids are per
 * connection), and features that subscribed through the old one re-run against the new one.
 */
export class ConnectionManager {
  private stopped = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private current: ApiClient | null = null;
  private attempt = 0;
  private lastHeard = 0;
  private watchTimer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly open: () => Promise<Transport>) {}

  start(): void {
    this.stopped = false;
    globalThis.addEventListener?.('online', this.retryNow);
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    globalThis.removeEventListener?.('online', this.retryNow);
    if (this.timer) clearTimeout(this.timer);
    if (this.watchTimer) clearInterval(this.watchTimer);
    this.current?.close();
  }

  /** Skip the backoff wait (the network came back). */
  private readonly retryNow = () => {
    if (this.timer && useConnection.getState().state === 'disconnected') {
      clearTimeout(this.timer);
      this.timer = null;
      void this.connect();
    }
  };

  private async connect(): Promise<void> {
    if (this.stopped) return;
    useConnection.setState({ state: 'connecting', retryAt: null, attempt: this.attempt });
    let client: ApiClient | null = null;
    try {
      const transport = watched(await this.open(), () => (this.lastHeard = Date.now()));
      this.lastHeard = Date.now();
      client = new ApiClient(transport);
      const hello = await withTimeout(client.call('hello', { client: 'candlewick-renderer' }), HELLO_TIMEOUT_MS, 'hello');
      if (this.stopped) return client.close();
      const c = client;
      this.current = c;
      this.attempt = 0;
      c.onClose((reason) => this.dropped(c, reason));
      this.watch(c);
      useConnection.setState({
        state: 'connected',
        client: c,
        attempt: 0,
        lastError: null,
        serverVersion: hello.version,
        backends: hello.backends,
      });
    } catch (e) {
      client?.close();
      this.scheduleRetry(e instanceof Error ? e.message : String(e));
    }
  }

  private dropped(client: ApiClient, reason: string): void {
    if (this.current !== client) return;
    this.current = null;
    if (this.watchTimer) clearInterval(this.watchTimer);
    this.watchTimer = null;
    this.scheduleRetry(reason);
  }

  private watch(client: ApiClient): void {
    let probing = false;
    if (this.watchTimer) clearInterval(this.watchTimer);
    this.watchTimer = setInterval(() => {
      if (probing || this.current !== client || Date.now() - this.lastHeard < SILENCE_PROBE_MS) return;
      probing = true;
      withTimeout(client.call('hello', { client: 'candlewick-renderer' }), HELLO_TIMEOUT_MS, 'liveness probe').then(
        () => (probing = false),
        () => client.close(),
      );
    }, WATCH_INTERVAL_MS);
  }

  private scheduleRetry(reason: string): void {
    if (this.stopped) return;
    this.attempt++;
    const delay = backoffDelay(this.attempt);
    useConnection.setState({ state: 'disconnected', client: null, lastError: reason, retryAt: Date.now() + delay, attempt: this.attempt });
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.connect();
    }, delay);
  }
}

/** The same transport, telling `heard` about every incoming message. */
function watched(t: Transport, heard: () => void): Transport {
  return {
    send: (text) => t.send(text),
    onMessage: (cb) =>
      t.onMessage((data) => {
        heard();
        cb(data);
      }),
    onClose: (cb) => t.onClose(cb),
    close: () => t.close(),
  };
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e: unknown) => (clearTimeout(t), reject(e instanceof Error ? e : new Error(String(e)))),
    );
  });
}
