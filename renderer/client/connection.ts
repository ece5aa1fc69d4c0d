import { ApiClient, type Transport } from '../../core/protocol/client.js';
import { backoffDelay } from '../lib/backoff.js';
import { useConnection } from '../stores/connection.js';

const HELLO_TIMEOUT_MS = 5000;

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

  constructor(private readonly open: () => Promise<Transport>) {}

  start(): void {
    this.stopped = false;
    window.addEventListener('online', this.retryNow);
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    window.removeEventListener('online', this.retryNow);
    if (this.timer) clearTimeout(this.timer);
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
      const transport = await this.open();
      client = new ApiClient(transport);
      const hello = await withTimeout(client.call('hello', { client: 'candlewick-renderer' }), HELLO_TIMEOUT_MS, 'hello');
      if (this.stopped) return client.close();
      const c = client;
      this.current = c;
      this.attempt = 0;
      c.onClose((reason) => this.dropped(c, reason));
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
    this.scheduleRetry(reason);
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

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e: unknown) => (clearTimeout(t), reject(e instanceof Error ? e : new Error(String(e)))),
    );
  });
}
