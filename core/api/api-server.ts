import type { ServerConnection } from './connection.js';
import { Session } from './session.js';
import type { ApiContext } from './context.js';
import type { EventName, Events, ReconcileReport } from '../protocol/messages.js';
import type { Status } from '../protocol/orders.js';

/** How often withheld updates (slow clients, quiet markets) and feed liveness are re-checked. */
const SWEEP_MS = 100;

/**
 * Host side of the typed API: every connection (WebSocket or Electron port) becomes a Session. Feed events
 * schedule one flush per turn of the event loop, so a burst of tick batches costs one send per client.
 */
export class ApiServer {
  readonly sessions = new Set<Session>();
  private flushScheduled = false;
  private sweepTimer: NodeJS.Timeout;
  private liveness = new Map<string, boolean>();
  private unlisten: (() => void)[] = [];

  constructor(private readonly ctx: Omit<ApiContext, 'detach'>) {
    const hub = ctx.hub;
    this.unlisten.push(
      hub.listen({
        onQuotes: (fqme, packed) => {
          for (const s of this.sessions) s.onQuotes(fqme, packed);
          this.scheduleFlush();
        },
        onBuffer: (fqme, tf, buf) => {
          for (const s of this.sessions) s.onBuffer(fqme, tf, buf);
        },
        onHistory: (fqme, tf, first) => {
          for (const s of this.sessions) s.onHistory(fqme, tf, first);
        },
        // To every client, not only those streaming the market: a gap recorded while a client's subscribe is still
        // on its way would otherwise be missed by a chart that asked history.gaps just before it was committed.
        onGaps: (fqme, timeframe) => this.broadcast('gaps', { fqme, timeframe }),
        onFeedStatus: (status) => this.broadcast('feed', status),
      }),
      ctx.registry.onChange((list) => this.broadcast('services', list)),
    );
    this.sweepTimer = setInterval(() => {
      hub.sweepLiveness(this.liveness);
      // Covers slow clients that drained, and sampler steps on markets with no ticks to trigger a flush.
      for (const s of this.sessions) s.flush();
    }, SWEEP_MS);
    this.sweepTimer.unref();
  }

  attach(conn: ServerConnection): Session {
    const session = new Session(conn, { ...this.ctx, detach: (s) => this.sessions.delete(s) });
    this.sessions.add(session);
    return session;
  }

  private taps = new Set<(event: EventName, data: unknown) => void>();

  /**
   * Every event to every client, but a `status` only to the clients that follow its market (Session.follows), and a
   * `reconcile` only to those that do not have it yet. Serialized once, however many clients get it.
   */
  broadcast<E extends EventName>(event: E, data: Events[E]): void {
    let text: string | null = null;
    const send = (s: Session) => s.emitText((text ??= JSON.stringify({ event, data })));
    if (event === 'reconcile') {
      for (const s of this.sessions) s.sendReconcile(data as ReconcileReport);
    } else if (event === 'status') {
      // A refused order without a usable fqme concerns only its sender, who has the Status as the call's answer.
      const fqme = (data as Status).req?.fqme;
      const market = typeof fqme === 'string' ? fqme.toLowerCase() : null;
      for (const s of this.sessions) if (market && s.follows(market)) send(s);
    } else {
      for (const s of this.sessions) send(s);
    }
    for (const tap of this.taps) tap(event, data);
  }

  /** Host-side listeners of every broadcast (Electron main: desktop notifications for alerts). */
  onBroadcast(cb: (event: EventName, data: unknown) => void): () => void {
    this.taps.add(cb);
    return () => this.taps.delete(cb);
  }

  /** Flushes after the current batch of worker messages, and after a sampler step so new rows go out. */
  scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      for (const s of this.sessions) s.flush();
    });
  }

  close(): void {
    clearInterval(this.sweepTimer);
    for (const u of this.unlisten) u();
  }
}
